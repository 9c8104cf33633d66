import { filledIn, markSelected, queryString } from '../common/http/list-filters';
import type { FormState } from '../common/http/request-context';
import { formatZonedDateTime } from '../common/time/local-time';
import type { OperatorCampaignView } from '../campaigns/operator-campaigns';
import type { CallbackDesk } from './callback-queries';
import { CALLBACK_STATES } from './callback.entity';
import { MAX_CANCEL_REASON } from './dto/callback-query';
import type { CallbackCard } from './dto/callback.view';

/**
 * The callbacks pages' view models, from what the service answered: the operators' desk
 * (overdue, due now, upcoming, the public pool) and the coordinators' list with its
 * filters, paging and per-row actions.
 */

/** The filters the coordinators' list keeps in its links and forms. */
const FILTER_FIELDS = ['campaignId', 'ownerId', 'state', 'overdue', 'limit'] as const;
/** Where an action may send the coordinator back to: the list, with its filters. */
const BACK_TO_LIST = /^\/callbacks(\?[^\s#]*)?$/;

/** The list an action came from (its `back` field), else the plain list. */
export function listToReturnTo(back: unknown): string {
  return typeof back === 'string' && BACK_TO_LIST.test(back) ? back : '/callbacks';
}

/** What both pages show of a callback: plain values, the time on the campaign's clock. */
export function cardView(item: CallbackCard, lang: string) {
  return {
    id: item.id,
    contact: item.contact,
    campaign: item.campaign,
    dueText: formatZonedDateTime(new Date(item.dueAt), item.campaign.timezone, lang),
    visibility: item.visibility,
    state: item.state,
    owner: item.owner,
    reason: item.reason,
    notes: item.notes,
    answers: item.answers,
    attempts: item.attempts,
    overdueMinutes: item.overdueMinutes,
    atRisk: item.atRisk,
    escalationReason: item.escalationReason,
  };
}

// ---------------------------------------------------------------- operators

/** A callback with its context and whether "Apri" can work now (the server decides anyway). */
function operatorCard(
  item: CallbackCard,
  userId: number,
  now: Date,
  campaigns: Map<number, OperatorCampaignView>,
  lang: string,
) {
  const campaign = campaigns.get(item.campaign.id);
  const own = item.visibility === 'private' && item.owner?.id === userId;
  let blocked: { key: string; args?: Record<string, string> } | null = null;
  if (!campaign) blocked = { key: 'callbacks.card.notAssigned' };
  else if (campaign.paused) blocked = { key: 'callbacks.card.paused' };
  else if (!campaign.open) {
    blocked = {
      key: 'callbacks.card.closed',
      args: { window: campaign.callingHours[lang === 'en' ? 'en' : 'it'] },
    };
  } else if (!own && Date.parse(item.dueAt) > now.getTime()) {
    blocked = { key: 'callbacks.card.notDueYet' };
  }
  return { ...cardView(item, lang), blocked };
}

export function deskPage(data: CallbackDesk, user: { id: number; uiLanguage: string }, now: Date) {
  const assigned = new Map(data.campaigns.map((campaign) => [campaign.id, campaign]));
  const card = (item: CallbackCard) => operatorCard(item, user.id, now, assigned, user.uiLanguage);
  const isDue = (item: CallbackCard) => Date.parse(item.dueAt) <= now.getTime();
  const { mine, pool } = data;
  return {
    title: 'callbacks.desk.title',
    holding: data.holding,
    sections: [
      { key: 'overdue', items: mine.filter((item) => item.atRisk).map(card) },
      { key: 'due', items: mine.filter((item) => isDue(item) && !item.atRisk).map(card) },
      { key: 'upcoming', items: mine.filter((item) => !isDue(item)).map(card) },
      { key: 'pool', items: pool.map(card) },
    ],
  };
}

// ---------------------------------------------------------------- coordinators

export interface BoardOptions {
  campaigns: Array<{ id: number; code: string; name: string }>;
  operators: Array<{ id: number; name: string; active: boolean }>;
}

/** The list's filters as typed (empty ones are "not filtered"). */
export function boardFilters(raw: Record<string, unknown>) {
  const query = filledIn(raw);
  const text = (field: string) => (typeof query[field] === 'string' ? query[field] : '');
  return {
    query,
    after: text('after'),
    filters: Object.fromEntries(FILTER_FIELDS.map((f) => [f, text(f)])) as Record<
      (typeof FILTER_FIELDS)[number],
      string
    >,
  };
}

/** The filter form, with what the list was filtered by. */
function filterForm(filters: Record<string, string>, options: BoardOptions) {
  return {
    title: 'callbacks.list.title',
    filters,
    overdueChecked: filters.overdue === 'true',
    filtered: FILTER_FIELDS.some((f) => f !== 'limit' && filters[f] !== ''),
    states: CALLBACK_STATES.map((s) => ({ value: s, selected: filters.state === s })),
    campaigns: markSelected(options.campaigns, filters.campaignId ?? ''),
    operators: markSelected(options.operators, filters.ownerId ?? ''),
    maxReason: MAX_CANCEL_REASON,
  };
}

/** A wrong filter is said beside the form, with the form still there to correct it. */
export function refusedBoardPage(
  raw: Record<string, unknown>,
  options: BoardOptions,
  field: string,
) {
  return {
    ...filterForm(boardFilters(raw).filters, options),
    filterError: { field },
    items: [],
    paged: false,
  };
}

export interface BoardData {
  options: BoardOptions;
  page: { items: CallbackCard[]; next: number | null };
  /** Campaign id → the operators a callback of it may be reassigned to. */
  assignable: Map<number, Array<{ id: number; name: string }>>;
}

/** The coordinators' list: each waiting row with its actions, a refused one open with its errors. */
export function boardPage(
  raw: Record<string, unknown>,
  data: BoardData,
  lang: string,
  form: FormState | undefined,
) {
  const { filters, after } = boardFilters(raw);
  const link = (from?: string) => {
    const search = queryString({ ...filters, after: from });
    return search ? `/callbacks?${search}` : '/callbacks';
  };
  const refusedId = Number(form?.values.callbackId);
  return {
    ...filterForm(filters, data.options),
    back: link(after || undefined),
    items: data.page.items.map((item) => {
      const refused = item.id === refusedId ? form : undefined;
      const waiting = item.state === 'scheduled' || item.state === 'due';
      return {
        ...cardView(item, lang),
        actions: waiting
          ? {
              operators: (data.assignable.get(item.campaign.id) ?? []).filter(
                (o) => o.id !== item.owner?.id,
              ),
              makePublic: item.visibility === 'private',
              makePrivate: item.visibility === 'public' && item.owner !== null,
            }
          : null,
        refused: refused
          ? {
              action: refused.values.action,
              errors: refused.errors,
              reason: typeof refused.values.reason === 'string' ? refused.values.reason : '',
            }
          : null,
      };
    }),
    paged: data.page.next !== null || after !== '',
    next: data.page.next === null ? null : link(String(data.page.next)),
    first: after !== '' ? link() : null,
  };
}
