import { toZonedLocal } from '../../common/time/local-time';
import type { CallbackVisibility } from '../../outcome-statuses/outcome-status.entity';
import type { Callback, CallbackState } from '../callback.entity';

/** A callback as the API lists it: enough to call it, and to judge how late it is. */
export interface CallbackItem {
  id: number;
  contactId: number;
  contact: { id: number; name: string; phone: string };
  campaign: { id: number; code: string; name: string; timezone: string };
  /** ISO instant, UTC. */
  dueAt: string;
  /** "YYYY-MM-DD HH:MM" in the campaign's time zone. */
  dueLocal: string;
  visibility: CallbackVisibility;
  state: CallbackState;
  owner: { id: number; name: string } | null;
  notes: string | null;
  reason: string | null;
  /** Minutes past its time while still waiting to be called; null otherwise. */
  overdueMinutes: number | null;
  escalatedAt: string | null;
  escalationReason: string | null;
}

/** A callback loaded with its contact, campaign and owner (see CallbacksService). */
export type LoadedCallback = Callback &
  Required<Pick<Callback, 'contact' | 'campaign'>> &
  Pick<Callback, 'owner'>;

export function toCallbackItem(callback: LoadedCallback, now: Date): CallbackItem {
  const { contact, campaign, owner } = callback;
  const waiting = callback.state === 'scheduled' || callback.state === 'due';
  const lateMs = now.getTime() - callback.dueAt.getTime();
  return {
    id: callback.id,
    contactId: contact.id,
    contact: {
      id: contact.id,
      name: `${contact.firstName} ${contact.lastName}`.trim(),
      phone: contact.phone,
    },
    campaign: {
      id: campaign.id,
      code: campaign.code,
      name: campaign.name,
      timezone: campaign.timezone,
    },
    dueAt: callback.dueAt.toISOString(),
    dueLocal: toZonedLocal(callback.dueAt, campaign.timezone).replace('T', ' '),
    visibility: callback.visibility,
    state: callback.state,
    owner: owner ? { id: owner.id, name: owner.displayName } : null,
    notes: callback.notes,
    reason: callback.reason,
    overdueMinutes: waiting && lateMs > 0 ? Math.floor(lateMs / 60_000) : null,
    escalatedAt: callback.escalatedAt?.toISOString() ?? null,
    escalationReason: callback.escalationReason,
  };
}

/** A callback as the pages show it: the list's item with what the call needs beside it. */
export interface CallbackCard extends CallbackItem {
  /** Calls made to the contact so far. */
  attempts: number;
  /** The answers of the call that set it, under their questions' titles. */
  answers: Array<{ question: string; answer: string }>;
  /** Still waiting past its time plus the campaign's grace: at risk. */
  atRisk: boolean;
}

/** `questions`: step id → title (an answer whose step is gone keeps its id). */
export function toCallbackCard(
  callback: LoadedCallback,
  now: Date,
  questions: ReadonlyMap<number, string>,
): CallbackCard {
  const item = toCallbackItem(callback, now);
  const graceMinutes = callback.campaign.privateCallbackGraceMinutes;
  return {
    ...item,
    attempts: callback.contact.attempts,
    answers: Object.entries(callback.answers ?? {}).map(([step, answer]) => ({
      question: questions.get(Number(step)) ?? `#${step}`,
      answer: String(answer),
    })),
    atRisk: item.overdueMinutes !== null && item.overdueMinutes >= graceMinutes,
  };
}
