import { ValidationError } from '../common/errors/domain-errors';
import type { WorkingHours } from './agent.entity';

/** "HH:MM" from 00:00 to 24:00 (24:00 only makes sense as an end). */
export const TIME_PATTERN = /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;

/** A window as a request gives it; `row` names it in errors when it came from a form row. */
export interface WorkingHoursInput {
  day: number;
  start: string;
  end: string;
  row?: number;
}

export const minutesOf = (time: string): number =>
  Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/**
 * Checks an agent's weekly windows and returns them sorted by day and start. Each
 * error names the window (`workingHours.3.start`): day 1-7, times HH:MM 00:00-24:00,
 * start before end, and no two windows of one day overlapping (touching is fine).
 */
export function checkWorkingHours(hours: readonly WorkingHoursInput[]): WorkingHours[] {
  const name = (i: number) => `workingHours.${hours[i]?.row ?? i}`;
  hours.forEach((window, i) => {
    if (!Number.isInteger(window.day) || window.day < 1 || window.day > 7) {
      throw new ValidationError(
        `${name(i)}.day`,
        `${name(i)}.day must be 1 (Monday) to 7 (Sunday)`,
      );
    }
    for (const field of ['start', 'end'] as const) {
      if (typeof window[field] !== 'string' || !TIME_PATTERN.test(window[field])) {
        throw new ValidationError(
          `${name(i)}.${field}`,
          `${name(i)}.${field} must be a time HH:MM from 00:00 to 24:00`,
        );
      }
    }
    if (minutesOf(window.start) >= minutesOf(window.end)) {
      throw new ValidationError(`${name(i)}.end`, `${name(i)}.end must be after ${name(i)}.start`);
    }
  });
  const order = hours
    .map((window, i) => ({ window, i }))
    .sort(
      (a, b) =>
        a.window.day - b.window.day || minutesOf(a.window.start) - minutesOf(b.window.start),
    );
  order.forEach(({ window, i }, k) => {
    const previous = order[k - 1];
    if (
      previous &&
      previous.window.day === window.day &&
      minutesOf(window.start) < minutesOf(previous.window.end)
    ) {
      const [later, earlier] = [Math.max(i, previous.i), Math.min(i, previous.i)];
      throw new ValidationError(
        `${name(later)}.start`,
        `${name(later)}.start: ${name(later)} overlaps ${name(earlier)} on day ${window.day}`,
      );
    }
  });
  return order.map(({ window }) => ({ day: window.day, start: window.start, end: window.end }));
}

/** Consecutive days with the same windows, for a one-line summary ("Mon-Fri 09:00-18:00"). */
export interface HoursSummaryGroup {
  fromDay: number;
  toDay: number;
  windows: string[];
}

export function summarizeHours(hours: readonly WorkingHours[]): HoursSummaryGroup[] {
  const groups: HoursSummaryGroup[] = [];
  for (let day = 1; day <= 7; day++) {
    const windows = hours.filter((h) => h.day === day).map((h) => `${h.start}–${h.end}`);
    if (windows.length === 0) continue;
    const last = groups[groups.length - 1];
    if (last && last.toDay === day - 1 && last.windows.join() === windows.join()) {
      last.toDay = day;
    } else {
      groups.push({ fromDay: day, toDay: day, windows });
    }
  }
  return groups;
}

/** Zones as stored: trimmed, upper case, 1-10 letters or digits, each once. */
export function normalizeZones(zones: readonly unknown[]): string[] {
  const seen = new Set<string>();
  for (const [i, zone] of zones.entries()) {
    const value = typeof zone === 'string' ? zone.trim().toUpperCase() : '';
    if (!/^[A-Z0-9]{1,10}$/.test(value)) {
      throw new ValidationError(
        'zones',
        `zones.${i} must be 1-10 letters or digits (a province such as MI, or a postcode)`,
      );
    }
    if (seen.has(value)) throw new ValidationError('zones', `zones must not repeat "${value}"`);
    seen.add(value);
  }
  return [...seen];
}
