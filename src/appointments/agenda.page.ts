import type { AgentView } from '../agents/dto/agent.view';
import { CAMPAIGN_DEFAULTS } from '../campaigns/campaign-defaults';
import type { CampaignView } from '../campaigns/dto/campaign.view';
import type { ErrorResponse } from '../common/errors/error-response';
import type { Say } from '../common/http/form-page';
import { formText } from '../common/http/form-values';
import { filledIn, markSelected, queryString } from '../common/http/list-filters';
import type { FlashMessage, FormState } from '../common/http/request-context';
import { addDays, isCalendarDay } from '../common/time/calendar-day';
import { formatZonedDateTime, toZonedLocal } from '../common/time/local-time';
import type { Role } from '../users/role';
import type { CampaignAgenda } from './agenda.service';
import { APPOINTMENT_STATES } from './appointment.entity';
import type { AppointmentView } from './appointments.service';
import { MAX_REASON } from './dto/appointment-input';

/**
 * The agenda pages' view models: every agent's appointments of a week or a day (the grid),
 * one appointment with its move picker, and how a refused change is said on that page.
 */

/** The filters the grid keeps in its links and forms. */
const FILTER_FIELDS = ['campaignId', 'zone', 'agentId', 'state'] as const;
type GridView = 'week' | 'day';
/** Where the detail page may send the coordinator back to: the grid, with its filters. */
const BACK_TO_AGENDA = /^\/agenda(\?[^\s#]*)?$/;
/** A slot of the picker: "<agentId>|<local start>". */
const SLOT = /^([1-9][0-9]{0,9})\|(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})$/;
/** Day view: the hours shown when no working hours or appointment says otherwise. */
const DEFAULT_HOURS = { first: 9, last: 17 };

/** ISO weekday of a local date, 1 (Monday) to 7. */
function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay() || 7;
}

function mondayOf(date: string): string {
  return addDays(date, 1 - weekdayOf(date));
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const hourText = (hour: number) => `${String(hour).padStart(2, '0')}:00`;

/** Calendar dates written in the page's language ("lun 30/11", "30 nov – 6 dic 2026"). */
function dateText(date: string, lang: string, options: Intl.DateTimeFormatOptions): string {
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'it-IT', {
    ...options,
    timeZone: 'UTC',
  }).format(new Date(`${date}T00:00:00Z`));
}

/** What the grid shows: its filters, view (week or day), date and the days it covers. */
export function gridRange(raw: Record<string, unknown>, campaigns: CampaignView[], now: Date) {
  const query = filledIn(raw);
  const text = (field: string) => (typeof query[field] === 'string' ? query[field].trim() : '');
  const filters = Object.fromEntries(FILTER_FIELDS.map((f) => [f, text(f)]));
  const gridView: GridView = text('view') === 'day' ? 'day' : 'week';
  const campaign = campaigns.find((c) => String(c.id) === filters.campaignId);
  const zone = campaign?.timezone ?? CAMPAIGN_DEFAULTS.timezone;
  const today = toZonedLocal(now, zone).slice(0, 10);
  const date = isCalendarDay(text('date')) ? text('date') : today;
  const from = gridView === 'week' ? mondayOf(date) : date;
  const to = gridView === 'week' ? addDays(from, 6) : date;
  // A date that is none is said beside the form (the grid shows today meanwhile).
  const dateError = text('date') !== '' && !isCalendarDay(text('date'));
  return { query, filters, gridView, campaign, zone, today, date, from, to, dateError };
}

export type GridRange = ReturnType<typeof gridRange>;

/** The filter form, the range's title and the links that move through the weeks or days. */
function gridForm(range: GridRange, campaigns: CampaignView[], agents: AgentView[], lang: string) {
  const { filters, gridView, date, from, to, today } = range;
  const link = (changes: Record<string, string | undefined>) => {
    const search = queryString({ view: gridView, date, ...filters, ...changes });
    return search ? `/agenda?${search}` : '/agenda';
  };
  const step = gridView === 'week' ? 7 : 1;
  const view = {
    title: 'agenda.title',
    gridView,
    isWeek: gridView === 'week',
    date,
    filters,
    filtered: FILTER_FIELDS.some((f) => filters[f] !== ''),
    clearLink: `/agenda?${queryString({ view: gridView, date })}`,
    campaigns: markSelected(campaigns, filters.campaignId),
    agents: markSelected(agents, filters.agentId),
    states: APPOINTMENT_STATES.map((s) => ({ value: s, selected: filters.state === s })),
    rangeText:
      gridView === 'week'
        ? `${dateText(from, lang, { day: 'numeric', month: 'short' })} – ${dateText(to, lang, { day: 'numeric', month: 'short', year: 'numeric' })}`
        : dateText(date, lang, {
            weekday: 'long',
            day: 'numeric',
            month: 'long',
            year: 'numeric',
          }),
    links: {
      previous: link({ date: addDays(date, -step) }),
      next: link({ date: addDays(date, step) }),
      today: link({ date: today }),
      week: link({ view: 'week' }),
      day: link({ view: 'day' }),
    },
    isToday: from <= today && today <= to,
  };
  return { view, link };
}

/** A wrong filter is said beside the form, with the form still there to correct it. */
export function refusedGridPage(
  range: GridRange,
  campaigns: CampaignView[],
  agents: AgentView[],
  field: string,
  lang: string,
) {
  return { ...gridForm(range, campaigns, agents, lang).view, filterError: { field }, rows: [] };
}

/** The grid: a row per agent, a column per day (week) or hour (day), the appointments' cards. */
export function gridPage(
  range: GridRange,
  campaigns: CampaignView[],
  agents: AgentView[],
  list: AppointmentView[],
  lang: string,
) {
  const { filters, gridView, campaign, zone, today, date, from, to } = range;
  const { view, link } = gridForm(range, campaigns, agents, lang);
  const back = link({});
  const rowAgents = selectRowAgents(agents, campaign, filters, list);
  const days = Array.from({ length: gridView === 'week' ? 7 : 1 }, (_, i) => addDays(from, i));
  const columns =
    gridView === 'week'
      ? days.map((day) => ({
          key: day,
          label: dateText(day, lang, { weekday: 'short', day: '2-digit', month: '2-digit' }),
          today: day === today,
          weekend: weekdayOf(day) >= 6,
          href: link({ view: 'day', date: day }),
        }))
      : hoursOf(rowAgents, list, date).map((hour) => ({
          key: String(hour),
          label: hourText(hour),
          today: false,
          weekend: false,
          href: null,
        }));
  const zones = [...new Set(list.map((a) => a.timezone))];
  const shownZone = zones.length === 1 ? zones[0]! : zones.length === 0 ? zone : null;
  const cardsOf = new Map<string, ReturnType<typeof card>[]>();
  for (const appointment of list) {
    const local = toZonedLocal(new Date(appointment.startsAt), appointment.timezone);
    let column = gridView === 'week' ? local.slice(0, 10) : String(Number(local.slice(11, 13)));
    // A campaign in another zone may start just outside the grid's days: kept at its edge.
    if (gridView === 'week' && column < from) column = from;
    if (gridView === 'week' && column > to) column = to;
    const key = `${appointment.agentId}:${column}`;
    const cards = cardsOf.get(key) ?? [];
    cards.push(card(appointment, shownZone, back));
    cardsOf.set(key, cards);
  }
  const counts = new Map<string, number>();
  const perAgent = new Map<number, number>();
  for (const a of list) {
    counts.set(a.state, (counts.get(a.state) ?? 0) + 1);
    perAgent.set(a.agentId, (perAgent.get(a.agentId) ?? 0) + 1);
  }
  return {
    ...view,
    zone: shownZone,
    columns,
    span: columns.length + 1,
    total: list.length,
    totalKey:
      list.length === 0
        ? 'agenda.grid.totalNone'
        : list.length === 1
          ? 'agenda.grid.totalOne'
          : 'agenda.grid.total',
    legend: APPOINTMENT_STATES.map((s) => ({ value: s, count: counts.get(s) ?? 0 })),
    rows: rowAgents.map((agent) => ({
      id: agent.id,
      name: agent.name,
      zones: agent.zones.join(', '),
      active: agent.active,
      count: perAgent.get(agent.id) ?? 0,
      cells: columns.map((column) => {
        const cards = cardsOf.get(`${agent.id}:${column.key}`) ?? [];
        const off =
          gridView === 'week'
            ? !agent.workingHours.some((w) => w.day === weekdayOf(column.key))
            : !worksAt(agent, date, Number(column.key));
        return { cards, off: off && cards.length === 0, weekend: column.weekend };
      }),
    })),
  };
}

/**
 * The grid's rows: the active agents the filters name (one agent, the campaign's agents,
 * those covering the zone), and every agent who has an appointment listed.
 */
function selectRowAgents(
  agents: AgentView[],
  campaign: CampaignView | undefined,
  filters: Record<string, string>,
  list: AppointmentView[],
): AgentView[] {
  const zone = filters.zone?.toUpperCase() ?? '';
  const listed = new Set(list.map((a) => a.agentId));
  return agents
    .filter(
      (agent) =>
        listed.has(agent.id) ||
        (agent.active &&
          (!filters.agentId || String(agent.id) === filters.agentId) &&
          (!campaign || campaign.agentIds.includes(agent.id)) &&
          (!zone || agent.zones.includes(zone))),
    )
    .sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
}

/** The day view's hours: the shown agents' working hours that day and every appointment. */
function hoursOf(agents: AgentView[], list: AppointmentView[], date: string): number[] {
  let first = 24;
  let last = -1;
  for (const agent of agents) {
    for (const window of agent.workingHours.filter((w) => w.day === weekdayOf(date))) {
      first = Math.min(first, Math.floor(minutesOf(window.start) / 60));
      last = Math.max(last, Math.ceil(minutesOf(window.end) / 60) - 1);
    }
  }
  if (last < 0) ({ first, last } = DEFAULT_HOURS);
  for (const a of list) {
    const hour = Number(toZonedLocal(new Date(a.startsAt), a.timezone).slice(11, 13));
    first = Math.min(first, hour);
    last = Math.max(last, hour);
  }
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

function worksAt(agent: AgentView, date: string, hour: number): boolean {
  return agent.workingHours.some(
    (w) =>
      w.day === weekdayOf(date) &&
      minutesOf(w.start) < (hour + 1) * 60 &&
      minutesOf(w.end) > hour * 60,
  );
}

/** One appointment on the grid: time on the campaign's clock, customer, place, state. */
function card(appointment: AppointmentView, gridZone: string | null, back: string) {
  const start = toZonedLocal(new Date(appointment.startsAt), appointment.timezone);
  const end = toZonedLocal(new Date(appointment.endsAt), appointment.timezone);
  return {
    id: appointment.id,
    href: `/agenda/${appointment.id}?${queryString({ back })}`,
    time: `${start.slice(11)}–${end.slice(11)}`,
    start: start.slice(11),
    customer: appointment.contact.name,
    address: appointment.contact.address,
    campaign: appointment.campaignName,
    state: appointment.state,
    overlaps: appointment.overlaps && appointment.state === 'booked',
    closed: appointment.state !== 'booked',
    zone: gridZone === appointment.timezone ? null : appointment.timezone,
  };
}

/** The week the move picker shows: asked for, else the appointment's (this week once that is past). */
export function pickerWeek(appointment: AppointmentView, raw: Record<string, unknown>, now: Date) {
  const zone = appointment.timezone;
  const today = toZonedLocal(now, zone).slice(0, 10);
  const weekText = typeof raw.week === 'string' && isCalendarDay(raw.week) ? raw.week : '';
  const ownDay = toZonedLocal(new Date(appointment.startsAt), zone).slice(0, 10);
  return mondayOf(weekText || (ownDay < today ? today : ownDay));
}

/** One appointment, its changes as forms; a booked one with the picker of `agenda`'s free slots. */
export function appointmentPage(
  appointment: AppointmentView,
  raw: Record<string, unknown>,
  form: FormState | undefined,
  user: { role: Role; uiLanguage: string },
  now: Date,
  agenda: CampaignAgenda | null,
) {
  const lang = user.uiLanguage;
  const zone = appointment.timezone;
  const when = (iso: string) => formatZonedDateTime(new Date(iso), zone, lang);
  const backText = typeof raw.back === 'string' ? raw.back : '';
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

  const week = pickerWeek(appointment, raw, now);
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
