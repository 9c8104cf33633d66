import type { WorkingHours } from '../agents/agent.entity';
import { minutesOf } from '../agents/working-hours';
import { zonedLocalToUtc } from '../common/time/local-time';
import { addDays } from '../common/time/calendar-day';

/** An interval of instants in epoch milliseconds; the end is exclusive. */
export interface Span {
  start: number;
  end: number;
}

/** How a campaign lays out its agents' agendas. */
export interface SlotRules {
  /** IANA zone the working hours are read in (the campaign's). */
  zone: string;
  /** Length of a visit: slots start every this many minutes from a window's start. */
  slotMinutes: number;
  /** Kept free before and after every booked visit, for travelling. */
  bufferMinutes: number;
  /**
   * Whether the local day "YYYY-MM-DD" is closed (the campaign's holidays and closed dates):
   * no slot that day, whatever the agents' working hours say.
   */
  closed?: (date: string) => boolean;
}

export type SlotState = 'free' | 'taken' | 'absent' | 'past';

export interface Slot extends Span {
  state: SlotState;
}

/** Where an instant falls in an agent's week: outside it, inside but between slots, or a slot. */
export type GridPlace =
  { kind: 'outside' } | { kind: 'off-grid'; nearest: Span } | { kind: 'slot' };

const MINUTE = 60_000;

/** Conversions kept per zone; past this many the zone's map starts again (a bound, not a tune). */
const CACHED_PER_ZONE = 100_000;
const conversions = new Map<string, Map<string, number | null>>();

/**
 * Wall-clock conversions cost several Intl calls each, and every agent of every campaign in a
 * zone shares the same local times: each distinct (zone, local time) is converted once per
 * process and kept. The result depends on nothing else (the zone rules are the runtime's).
 */
export class ZoneClock {
  private readonly cache: Map<string, number | null>;

  constructor(readonly zone: string) {
    let cache = conversions.get(zone);
    if (!cache) {
      cache = new Map();
      conversions.set(zone, cache);
    }
    this.cache = cache;
  }

  /** The instant of a local "YYYY-MM-DDTHH:MM", or null in the hour the spring change skips. */
  instant(local: string): number | null {
    let found = this.cache.get(local);
    if (found === undefined) {
      if (this.cache.size >= CACHED_PER_ZONE) this.cache.clear();
      found = zonedLocalToUtc(local, this.zone)?.getTime() ?? null;
      this.cache.set(local, found);
    }
    return found;
  }
}

/** Local calendar days from `from` to `to` inclusive, as "YYYY-MM-DD" with their ISO weekday. */
export function localDays(from: string, to: string): Array<{ date: string; weekday: number }> {
  const days: Array<{ date: string; weekday: number }> = [];
  for (
    let t = Date.parse(`${from}T00:00:00Z`);
    t <= Date.parse(`${to}T00:00:00Z`);
    t += 86_400_000
  ) {
    const date = new Date(t);
    days.push({ date: date.toISOString().slice(0, 10), weekday: date.getUTCDay() || 7 });
  }
  return days;
}

const hhmm = (minutes: number): string =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/**
 * The slot grid of one agent over local days: in each working window of the day, a slot
 * starts at the window's start and then every `slotMinutes`, as long as it ends inside the
 * window. Times are wall-clock times in the campaign's zone, so a 09:00 slot is at 09:00 on
 * both sides of a daylight-saving change; a slot whose start or end does not exist that day,
 * or that the change would lengthen or shorten, is left out.
 */
export function slotGrid(
  hours: readonly WorkingHours[],
  days: ReadonlyArray<{ date: string; weekday: number }>,
  rules: SlotRules,
  clock: ZoneClock,
): Span[] {
  const length = rules.slotMinutes;
  const slots: Span[] = [];
  for (const day of days) {
    if (rules.closed?.(day.date)) continue;
    for (const window of hours) {
      if (window.day !== day.weekday) continue;
      const last = minutesOf(window.end) - length;
      for (let at = minutesOf(window.start); at <= last; at += length) {
        const start = clock.instant(`${day.date}T${hhmm(at)}`);
        const endLocal =
          at + length === 24 * 60 ? nextDayMidnight(day.date) : `${day.date}T${hhmm(at + length)}`;
        const end = clock.instant(endLocal);
        if (start === null || end === null || end - start !== length * MINUTE) continue;
        slots.push({ start, end });
      }
    }
  }
  return slots.sort((a, b) => a.start - b.start);
}

function nextDayMidnight(date: string): string {
  return `${addDays(date, 1)}T00:00`;
}

/** Sorted, merged spans: what is busy, whatever overlapped what. */
export function mergeSpans(spans: readonly Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const merged: Span[] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ start: span.start, end: span.end });
  }
  return merged;
}

/** Booked visits widened by the travel buffer on both sides. */
export function withBuffer(visits: readonly Span[], bufferMinutes: number): Span[] {
  const buffer = bufferMinutes * MINUTE;
  return visits.map((v) => ({ start: v.start - buffer, end: v.end + buffer }));
}

/**
 * Each grid slot with its state: `absent` inside an absence, `taken` where it would touch a
 * booked visit (with its travel buffer), `past` when it starts before `now`, else `free`.
 * `slots` must be sorted by start; the busy lists are merged here, so one pass suffices.
 */
export function classifySlots(
  slots: readonly Span[],
  busy: { visits: readonly Span[]; absences: readonly Span[] },
  rules: SlotRules,
  now: number,
): Slot[] {
  const visits = mergeSpans(withBuffer(busy.visits, rules.bufferMinutes));
  const absences = mergeSpans(busy.absences);
  let v = 0;
  let a = 0;
  return slots.map((slot) => {
    while (v < visits.length && visits[v]!.end <= slot.start) v++;
    while (a < absences.length && absences[a]!.end <= slot.start) a++;
    const overlaps = (list: Span[], i: number) => i < list.length && list[i]!.start < slot.end;
    const state: SlotState = overlaps(absences, a)
      ? 'absent'
      : overlaps(visits, v)
        ? 'taken'
        : slot.start < now
          ? 'past'
          : 'free';
    return { start: slot.start, end: slot.end, state };
  });
}

/**
 * Where `start` falls in the agent's week for a visit of the campaign's length: a slot of the
 * grid, inside a working window but not on the grid (with the grid slot nearest to it), or
 * outside the working hours.
 */
export function placeOnGrid(
  hours: readonly WorkingHours[],
  start: number,
  localDay: { date: string; weekday: number },
  rules: SlotRules,
  clock: ZoneClock,
): GridPlace {
  const end = start + rules.slotMinutes * MINUTE;
  if (rules.closed?.(localDay.date)) return { kind: 'outside' };
  const windows = hours.filter((w) => w.day === localDay.weekday);
  for (const window of windows) {
    const from = clock.instant(`${localDay.date}T${window.start}`);
    const to =
      window.end === '24:00'
        ? clock.instant(nextDayMidnight(localDay.date))
        : clock.instant(`${localDay.date}T${window.end}`);
    if (from === null || to === null || start < from || end > to) continue;
    const grid = slotGrid([window], [localDay], rules, clock);
    if (grid.some((slot) => slot.start === start)) return { kind: 'slot' };
    const nearest = grid.reduce<Span | undefined>(
      (best, slot) =>
        !best || Math.abs(slot.start - start) < Math.abs(best.start - start) ? slot : best,
      undefined,
    );
    return nearest ? { kind: 'off-grid', nearest } : { kind: 'outside' };
  }
  return { kind: 'outside' };
}
