import type { ErrorResponse } from '../common/errors/error-response';
import type { Say } from '../common/http/form-page';
import { formText } from '../common/http/form-values';
import { queryString } from '../common/http/list-filters';
import type { FlashMessage, FormState } from '../common/http/request-context';
import { addDays, isCalendarDay } from '../common/time/calendar-day';
import { formatZonedDateTime, toZonedLocal } from '../common/time/local-time';
import type { Role } from '../common/access/role';
import { dateText, mondayOf } from './agenda.page';
import type { CampaignAgenda } from './agenda.service';
import type { AppointmentView } from './appointments.service';
import { MAX_REASON } from './dto/appointment-input';

/**
 * One appointment's page on the agenda: its data, the changes as forms (move with a picker
 * of free slots, cancel, done, no-show, to be rescheduled), and how a refused change is said.
 */

/** Where the detail page may send the coordinator back to: the grid, with its filters. */
const BACK_TO_AGENDA = /^\/agenda(\?[^\s#]*)?$/;
/** A slot of the picker: "<agentId>|<local start>". */
const SLOT = /^([1-9][0-9]{0,9})\|(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})$/;

/** What the appointment's page was asked for in its query string. */
export interface AppointmentPageQuery {
  week?: string;
  back?: string;
}

/** The week the move picker shows: asked for, else the appointment's (this week once that is past). */
export function pickerWeek(appointment: AppointmentView, asked: AppointmentPageQuery, now: Date) {
  const zone = appointment.timezone;
  const today = toZonedLocal(now, zone).slice(0, 10);
  const weekText = asked.week !== undefined && isCalendarDay(asked.week) ? asked.week : '';
  const ownDay = toZonedLocal(new Date(appointment.startsAt), zone).slice(0, 10);
  return mondayOf(weekText || (ownDay < today ? today : ownDay));
}

/** One appointment, its changes as forms; a booked one with the picker of `agenda`'s free slots. */
export function appointmentPage(
  appointment: AppointmentView,
  asked: AppointmentPageQuery,
  form: FormState | undefined,
  user: { role: Role; uiLanguage: string },
  now: Date,
  agenda: CampaignAgenda | null,
) {
  const lang = user.uiLanguage;
  const zone = appointment.timezone;
  const when = (iso: string) => formatZonedDateTime(new Date(iso), zone, lang);
  const backText = asked.back ?? '';
  const back = BACK_TO_AGENDA.test(backText) ? backText : '/agenda';
  const values = form?.values ?? {};
  const errors = form?.errors ?? {};
  const value = (field: string) => (typeof values[field] === 'string' ? values[field] : '');
  const booked = appointment.state === 'booked';
  const started = Date.parse(appointment.startsAt) <= now.getTime();

  const view = {
    title: 'agenda.show.title',
    back,
    appointment: {
      ...appointment,
      whenText: when(appointment.startsAt),
      endText: toZonedLocal(new Date(appointment.endsAt), zone).slice(11),
      createdText: when(appointment.createdAt),
      updatedText: when(appointment.updatedAt),
      changed: appointment.sequence > 0,
      changesKey: appointment.sequence === 1 ? 'agenda.show.changesOne' : 'agenda.show.changes',
      zones: appointment.contact.zones.join(', '),
    },
    booked,
    started,
    contactLink: user.role === 'admin' || user.role === 'coordinator',
    maxReason: MAX_REASON,
    errors,
    cancelOpen: values.action === 'cancel',
    rescheduleOpen: values.action === 'reschedule',
    reasons: {
      cancel: values.action === 'cancel' ? value('reason') : '',
      reschedule: values.action === 'reschedule' ? value('reason') : '',
      move: values.action === 'move' ? value('reason') : '',
    },
  };
  if (!booked || !agenda) return view;

  const week = pickerWeek(appointment, asked, now);
  const moveValues = values.action === 'move' ? values : {};
  const picked = typeof moveValues.slot === 'string' ? moveValues.slot : '';
  const selfLink = (w: string) =>
    `/agenda/${appointment.id}?${queryString({ week: w, back })}#move`;
  const days = Array.from({ length: 7 }, (_, i) => addDays(week, i));
  return {
    ...view,
    move: {
      week,
      weekText: `${dateText(week, lang, { day: 'numeric', month: 'short' })} – ${dateText(addDays(week, 6), lang, { day: 'numeric', month: 'short', year: 'numeric' })}`,
      previous: selfLink(addDays(week, -7)),
      next: selfLink(addDays(week, 7)),
      days: days.map((day) => ({
        date: day,
        label: dateText(day, lang, { weekday: 'short', day: '2-digit', month: '2-digit' }),
      })),
      agents: pickerAgents(agenda, appointment, days, picked, lang),
      nearest: nearestChoices(moveValues, appointment, picked, lang),
      nearestAgent:
        agenda.agents.find((a) => a.id === (moveValues.nearestAgentId ?? appointment.agentId))
          ?.name ?? null,
      warnPolicy: agenda.overlapPolicy === 'warn',
      acknowledged: moveValues.acknowledgeOverlap === true,
      slotMinutes: agenda.appointmentMinutes,
      date: typeof moveValues.date === 'string' ? moveValues.date : '',
      time: typeof moveValues.time === 'string' ? moveValues.time : '',
      manualOpen: Boolean(moveValues.date) || Boolean(moveValues.time),
      agentOptions: agenda.agents.map((a) => ({
        id: a.id,
        name: a.name,
        selected:
          typeof moveValues.agentId === 'string' && moveValues.agentId !== ''
            ? moveValues.agentId === String(a.id)
            : a.id === appointment.agentId,
      })),
    },
  };
}

/** The free slots of the campaign's agents in the week: the appointment's agent first. */
function pickerAgents(
  agenda: CampaignAgenda,
  appointment: AppointmentView,
  days: string[],
  picked: string,
  lang: string,
) {
  const agents = [...agenda.agents].sort(
    (a, b) => Number(b.id === appointment.agentId) - Number(a.id === appointment.agentId),
  );
  return agents.map((agent) => {
    const free = agent.slots
      .filter((s) => s.state === 'free')
      .map((s) => toZonedLocal(new Date(s.start), agenda.timezone));
    return {
      id: agent.id,
      name: agent.name,
      zones: agent.zones.join(', '),
      current: agent.id === appointment.agentId,
      freeCount: free.length,
      days: days.map((day) => ({
        slots: free
          .filter((local) => local.startsWith(day))
          .map((local) => {
            const value = `${agent.id}|${local}`;
            return {
              value,
              time: local.slice(11),
              checked: value === picked,
              label: `${agent.name}, ${dateText(day, lang, { weekday: 'short', day: '2-digit', month: '2-digit' })} ${local.slice(11)}`,
            };
          }),
      })),
    };
  });
}

/** A refused move onto a taken slot: the agent's nearest free slots, as choices. */
function nearestChoices(
  values: Record<string, unknown>,
  appointment: AppointmentView,
  picked: string,
  lang: string,
) {
  const slots = Array.isArray(values.nearest) ? (values.nearest as unknown[]) : [];
  const agentId =
    typeof values.nearestAgentId === 'number' ? values.nearestAgentId : appointment.agentId;
  return slots
    .filter((s): s is string => typeof s === 'string' && !Number.isNaN(Date.parse(s)))
    .map((start) => {
      const local = toZonedLocal(new Date(start), appointment.timezone);
      const value = `${agentId}|${local}`;
      return {
        value,
        label: formatZonedDateTime(new Date(start), appointment.timezone, lang),
        checked: value === picked,
      };
    });
}

/** Where the move form's fields put the appointment: a picked slot, else a date and a time. */
export function chosenPlace(body: Record<string, unknown>): {
  startsAt?: string;
  agentId?: number;
} {
  const slot = SLOT.exec(formText(body, 'slot') ?? '');
  if (slot) return { agentId: Number(slot[1]), startsAt: slot[2] };
  const date = formText(body, 'date')?.trim() ?? '';
  const time = formText(body, 'time')?.trim() ?? '';
  const agent = formText(body, 'agentId') ?? '';
  const agentId = /^[1-9][0-9]{0,9}$/.test(agent) ? Number(agent) : undefined;
  if (date === '' && time === '') return { agentId };
  // Half a date and time, or not one: the service names `startsAt` with its own message.
  return { agentId, startsAt: `${date}T${time}` };
}

/** Back to the detail page, the picker's week and the grid's filters kept. */
export function detailLink(id: number, body: Record<string, unknown>): string {
  const back = formText(body, 'back') ?? '';
  const week = formText(body, 'week') ?? '';
  const search = queryString({
    week: isCalendarDay(week) ? week : undefined,
    back: BACK_TO_AGENDA.test(back) ? back : undefined,
  });
  return search ? `/agenda/${id}?${search}` : `/agenda/${id}`;
}

// ---------------------------------------------------------------- refused changes

export type AgendaAction = 'move' | 'cancel' | 'state' | 'reschedule';

/** The change a form on the detail page asks for (its path's last part, and the state asked). */
export function agendaAction(path: string, body: Record<string, unknown>): AgendaAction {
  const last = path.slice(path.lastIndexOf('/') + 1);
  if (last === 'move' || last === 'reschedule') return last;
  return formText(body, 'state') === 'cancelled' ? 'cancel' : 'state';
}

/** What a refused change keeps of the input to show it again. */
function keptInput(action: AgendaAction, body: Record<string, unknown>): Record<string, unknown> {
  const reason = formText(body, 'reason') ?? '';
  const kept: Record<string, unknown> =
    action === 'move'
      ? {
          slot: formText(body, 'slot') ?? '',
          date: formText(body, 'date') ?? '',
          time: formText(body, 'time') ?? '',
          agentId: formText(body, 'agentId') ?? '',
          acknowledgeOverlap: formText(body, 'acknowledgeOverlap') === 'true',
          // The agent the refused move was for: the nearest free slots are theirs.
          nearestAgentId: chosenPlace(body).agentId ?? null,
        }
      : {};
  return { ...kept, action, reason: reason.slice(0, MAX_REASON * 2) };
}

/** A 409 on a state change: no longer booked (said with its state), or not started yet. */
export function conflictFlash(current: AppointmentView, say: Say, lang: string): FlashMessage {
  if (current.state !== 'booked') {
    const state = `agenda.statesInline.${current.state}`;
    return { type: 'error', text: 'agenda.errors.notBooked', args: { state: say(state) ?? state } };
  }
  return {
    type: 'error',
    text: 'agenda.errors.notStarted',
    args: { when: formatZonedDateTime(new Date(current.startsAt), current.timezone, lang) },
  };
}

/**
 * A refused field in the user's language: the broken form rule, else the words the
 * service attached to its refusal (DomainError.say), else the service's own message.
 */
function fieldMessage(
  field: string,
  message: string,
  refusal: ErrorResponse,
  rule: string | undefined,
  say: Say,
) {
  if (field === 'reason' && rule === undefined) {
    return say('agenda.errors.reasonRequired') ?? 'agenda.errors.reasonRequired';
  }
  if (rule && rule !== 'required') {
    const said = say(`validation.${rule}`);
    if (said !== undefined) return said;
  }
  const own = refusal.userMessage;
  if (own) return say(own.key, own.args) ?? own.key;
  return message;
}

function literal(refusal: ErrorResponse): FlashMessage {
  if (refusal.userMessage) {
    return { type: 'error', text: refusal.userMessage.key, args: refusal.userMessage.args };
  }
  const message = Array.isArray(refusal.message) ? refusal.message.join('; ') : refusal.message;
  return { type: 'error', text: message, literal: true };
}

/**
 * A refused change said on the detail page: a refused field beside it (what was typed
 * kept; a taken slot with the nearest free ones), anything else in the flash.
 */
export async function refusedChange(
  refusal: ErrorResponse,
  action: AgendaAction,
  body: Record<string, unknown>,
  say: Say,
  conflict: () => Promise<FlashMessage>,
): Promise<{
  flash: FlashMessage[];
  errors: Record<string, string>;
  values: Record<string, unknown>;
}> {
  const values = keptInput(action, body);
  if (refusal.statusCode === 409) {
    const slots = refusal.details?.nearestFreeSlots;
    if (action === 'move' && Array.isArray(slots)) {
      const key = /acknowledgeOverlap/.test(String(refusal.message))
        ? 'agenda.errors.takenWarn'
        : 'agenda.errors.taken';
      const nearest = slots
        .map((s: unknown) => (s as { start?: unknown } | null)?.start)
        .filter((s): s is string => typeof s === 'string');
      return {
        flash: [{ type: 'error', text: 'errors.form' }],
        errors: { startsAt: say(key) ?? key },
        values: { ...values, nearest },
      };
    }
    return { flash: [await conflict()], errors: {}, values };
  }
  const fields = Object.entries(refusal.fields ?? {});
  if (refusal.statusCode !== 400 || fields.length === 0) {
    return { flash: [literal(refusal)], errors: {}, values: {} };
  }
  const errors = Object.fromEntries(
    fields.map(([field, message]) => {
      const pageField = field === 'startsAt.agentId' || field === 'agentId' ? 'agentId' : field;
      const key = pageField.startsWith('startsAt') ? 'startsAt' : pageField;
      return [key, fieldMessage(key, message, refusal, refusal.fieldRules?.[field], say)];
    }),
  );
  return { flash: [{ type: 'error', text: 'errors.form' }], errors, values };
}
