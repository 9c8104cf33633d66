import type { CallingHours } from '../campaigns/campaign.entity';
import { toZonedLocal, zonedLocalToUtc } from '../common/time/local-time';

/** What slots are cut from: a campaign's opening hours and its offer settings. */
export interface SlotRules {
  timezone: string;
  callingHours: CallingHours;
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
 * The local hours a capacity can be set for: those overlapping the calling hours
 * (09:30-19:00 gives 9 to 18). A capacity for any other hour would never be used.
 */
export function hoursOpen(callingHours: CallingHours): number[] {
  const opening = minutesOf(callingHours.start);
  const closing = minutesOf(callingHours.end);
  const hours: number[] = [];
  for (let hour = 0; hour < 24; hour++)
    if (hour * 60 < closing && (hour + 1) * 60 > opening) hours.push(hour);
  return hours;
}

/**
 * The slots of one local day: from the opening time every `slotMinutes`, each wholly inside
 * the calling hours; none on a closed day. A start the spring clock change skips is no slot.
 */
export function slotsOfDay(rules: SlotRules, date: string): Slot[] {
  const { days, start, end } = rules.callingHours;
  const day = isoDay(date);
  if (!days.includes(day)) return [];
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
