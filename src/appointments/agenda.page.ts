import type { AgentView } from '../agents/dto/agent.view';
import { CAMPAIGN_DEFAULTS } from '../campaigns/campaign-defaults';
import type { CampaignView } from '../campaigns/dto/campaign.view';
import { filledIn, markSelected, queryString } from '../common/http/list-filters';
import { addDays, isCalendarDay } from '../common/time/calendar-day';
import { toZonedLocal } from '../common/time/local-time';
import { APPOINTMENT_STATES } from './appointment.entity';
import type { AppointmentView } from './appointments.service';

/**
 * The agenda grid's view model: every agent's appointments of a week or a day, filtered by
 * campaign, zone, agent and state (one appointment's page is appointment.page.ts).
 */

/** The filters the grid keeps in its links and forms. */
const FILTER_FIELDS = ['campaignId', 'zone', 'agentId', 'state'] as const;
type GridView = 'week' | 'day';
/** Day view: the hours shown when no working hours or appointment says otherwise. */
const DEFAULT_HOURS = { first: 9, last: 17 };

/** ISO weekday of a local date, 1 (Monday) to 7. */
function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay() || 7;
}

export function mondayOf(date: string): string {
  return addDays(date, 1 - weekdayOf(date));
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const hourText = (hour: number) => `${String(hour).padStart(2, '0')}:00`;

/** Calendar dates written in the page's language ("lun 30/11", "30 nov – 6 dic 2026"). */
export function dateText(date: string, lang: string, options: Intl.DateTimeFormatOptions): string {
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
  // A date that is none is refused by the query's DTO; its form shows today meanwhile.
  return { query, filters, gridView, campaign, zone, today, date, from, to };
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
