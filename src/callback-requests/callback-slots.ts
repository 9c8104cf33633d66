import { type CallingWindow, windowsOf, windowsOn } from '../campaigns/calling-hours';
import type { CallingHours, LegacyCallingHours } from '../campaigns/campaign.entity';
import { toZonedLocal, zonedLocalToUtc } from '../common/time/local-time';

/** What slots are cut from: a campaign's opening hours and its offer settings. */
export interface SlotRules extends CallingWindow {
  slotMinutes: number;
  defaultCapacity: number;
  /** Capacity by `${isoDay}:${hour}` of the slot's local start; missing: the default. */
  capacities: ReadonlyMap<string, number>;
}

/** A callback window: [start, end) in UTC, its local times and how many callbacks it takes. */
export interface Slot {
  start: Date;
  end: Date;
  /** The campaign's local date and times, "YYYY-MM-DD", "HH:MM". */
  date: string;
  from: string;
  to: string;
  capacity: number;
}

/** ISO day of week (1 = Monday) of a "YYYY-MM-DD". */
export function isoDay(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
const clock = (minutes: number) =>
  `${String(Math.floor(minutes / 60) % 24).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

export const capacityKey = (day: number, hour: number): string => `${day}:${hour}`;

/**
 * The local hours a capacity can be set for: those overlapping a window of some day
 * (09:30-13:00 and 14:00-19:00 give 9 to 18, 13 not). A capacity for any other hour would
 * never be used.
 */
export function hoursOpen(callingHours: CallingHours | LegacyCallingHours): number[] {
  const windows = windowsOf(callingHours);
  const hours: number[] = [];
  for (let hour = 0; hour < 24; hour++) {
    const open = windows.some(
      (w) => hour * 60 < minutesOf(w.end) && (hour + 1) * 60 > minutesOf(w.start),
    );
    if (open) hours.push(hour);
  }
  return hours;
}

/** The weekdays with a window, Monday first. */
export function daysOpen(callingHours: CallingHours | LegacyCallingHours): number[] {
  return [...new Set(windowsOf(callingHours).map((w) => w.day))];
}

/**
 * The slots of one local day: from each window's opening every `slotMinutes`, each wholly
 * inside its window; none on a day without windows, a holiday or a closed date. A start the
 * spring clock change skips is no slot.
 */
export function slotsOfDay(rules: SlotRules, date: string): Slot[] {
  const day = isoDay(date);
  const slots: Slot[] = [];
  for (const window of windowsOn(rules, date))
    slots.push(...slotsOfWindow(rules, date, day, window));
  return slots;
}

function slotsOfWindow(
  rules: SlotRules,
  date: string,
  day: number,
  { start, end }: { start: string; end: string },
): Slot[] {
  const slots: Slot[] = [];
  const closing = minutesOf(end);
  for (let at = minutesOf(start); at + rules.slotMinutes <= closing; at += rules.slotMinutes) {
    const from = clock(at);
    const startsAt = zonedLocalToUtc(`${date}T${from}`, rules.timezone);
    if (!startsAt) continue;
    slots.push({
      start: startsAt,
      end: new Date(startsAt.getTime() + rules.slotMinutes * 60_000),
      date,
      from,
      to: clock(at + rules.slotMinutes),
      capacity:
        rules.capacities.get(capacityKey(day, Math.floor(at / 60))) ?? rules.defaultCapacity,
    });
  }
  return slots;
}

/** The slot starting exactly at `instant`, or null when no slot starts then. */
export function slotStartingAt(rules: SlotRules, instant: Date): Slot | null {
  const date = toZonedLocal(instant, rules.timezone).slice(0, 10);
  return slotsOfDay(rules, date).find((slot) => slot.start.getTime() === instant.getTime()) ?? null;
}
