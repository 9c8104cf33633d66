import { ValidationError } from '../common/errors/domain-errors';
import type { CallingHours, DayWindow, LegacyCallingHours } from './campaign.entity';
import { windowsOf } from './calling-hours';

/** Windows a weekday may have: morning and afternoon (a lunch break between). */
export const MAX_WINDOWS_A_DAY = 2;
/** Closed dates a campaign may list: a year's worth of patron saints and bridges. */
export const MAX_CLOSED_DATES = 100;

const START = /^([01]\d|2[0-3]):[0-5]\d$/;
const END = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function legacyProblem(hours: Record<string, unknown>): string | null {
  for (const key of Object.keys(hours)) {
    if (!['days', 'start', 'end'].includes(key)) return `callingHours.${key} is not a field`;
  }
  const { days, start, end } = hours;
  if (!Array.isArray(days)) return 'callingHours.days must be an array of days 1-7';
  if (days.length === 0) return 'callingHours.days must name at least one day';
  if (new Set(days).size !== days.length) return 'callingHours.days must not repeat a day';
  if (!days.every((d) => Number.isInteger(d) && (d as number) >= 1 && (d as number) <= 7)) {
    return 'callingHours.days must be days 1-7 (1 = Monday)';
  }
  if (start === undefined) return 'callingHours.start is required';
  if (typeof start !== 'string' || !START.test(start)) {
    return 'callingHours.start must be a time HH:MM between 00:00 and 23:59';
  }
  if (end === undefined) return 'callingHours.end is required';
  if (typeof end !== 'string' || !END.test(end)) {
    return 'callingHours.end must be a time HH:MM between 00:00 and 24:00';
  }
  return null;
}

function windowProblem(window: unknown, i: number): string | null {
  const at = `callingHours.${i}`;
  if (!isRecord(window)) return `${at} must be a window {day, start, end}`;
  for (const key of Object.keys(window)) {
    if (!['day', 'start', 'end'].includes(key)) return `${at}.${key} is not a field`;
  }
  const { day, start, end } = window;
  if (!Number.isInteger(day) || (day as number) < 1 || (day as number) > 7) {
    return `${at}.day must be a day 1-7 (1 = Monday)`;
  }
  if (typeof start !== 'string' || !START.test(start)) {
    return `${at}.start must be a time HH:MM between 00:00 and 23:59`;
  }
  if (typeof end !== 'string' || !END.test(end)) {
    return `${at}.end must be a time HH:MM between 00:00 and 24:00`;
  }
  return null;
}

/**
 * What is wrong with a callingHours the API was sent, naming the field
 * ("callingHours.3.end must be ..."), or null: a list of {day, start, end} windows, or the old
 * {days, start, end}. Order, overlaps and the two-a-day limit are the service's (normalise).
 */
export function callingHoursProblem(value: unknown): string | null {
  if (isRecord(value)) return legacyProblem(value);
  if (!Array.isArray(value)) {
    return 'callingHours must be a list of windows [{day, start, end}] (or the old {days, start, end})';
  }
  if (value.length === 0) return 'callingHours must name at least one window';
  if (value.length > 7 * MAX_WINDOWS_A_DAY) {
    return `callingHours must be at most ${7 * MAX_WINDOWS_A_DAY} windows (${MAX_WINDOWS_A_DAY} a day)`;
  }
  for (let i = 0; i < value.length; i++) {
    const problem = windowProblem(value[i], i);
    if (problem) return problem;
  }
  return null;
}

/** The path of a window in what was sent: "callingHours.2" for a list, "callingHours" for the old shape. */
function pathOf(hours: CallingHours | LegacyCallingHours, window: DayWindow): string {
  if (!Array.isArray(hours)) return 'callingHours';
  return `callingHours.${hours.findIndex((w) => w.day === window.day && w.start === window.start && w.end === window.end)}`;
}

/**
 * The windows a campaign stores, sorted, or a 400 naming the window: each ends after it
 * starts, at most two a day, none overlapping another of its day.
 */
export function normaliseCallingHours(hours: CallingHours | LegacyCallingHours): CallingHours {
  const windows = windowsOf(hours);
  for (const window of windows) {
    if (window.start >= window.end) {
      const at = pathOf(hours, window);
      throw new ValidationError(`${at}.end`, `${at}.end must be after ${at}.start`).say(
        'campaigns.errors.hoursOrder',
      );
    }
  }
  for (let day = 1; day <= 7; day++) {
    const today = windows.filter((w) => w.day === day);
    if (today.length > MAX_WINDOWS_A_DAY) {
      const at = pathOf(hours, today[MAX_WINDOWS_A_DAY]!);
      throw new ValidationError(
        at,
        `${at}: at most ${MAX_WINDOWS_A_DAY} windows on ${DAY_NAMES[day - 1]}`,
      ).say('campaigns.errors.hoursTooMany', { max: MAX_WINDOWS_A_DAY });
    }
    for (let i = 1; i < today.length; i++) {
      if (today[i]!.start < today[i - 1]!.end) {
        const at = pathOf(hours, today[i]!);
        throw new ValidationError(
          `${at}.start`,
          `${at}.start: ${today[i]!.start}-${today[i]!.end} overlaps ${today[i - 1]!.start}-${today[i - 1]!.end} on ${DAY_NAMES[day - 1]}`,
        ).say('campaigns.errors.hoursOverlap');
      }
    }
  }
  return windows;
}

/** "YYYY-MM-DD" naming a real day. */
export function isCalendarDate(text: unknown): text is string {
  if (typeof text !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const time = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === text;
}

/** What is wrong with closedDates, naming the entry ("closedDates.0 must be ..."), or null. */
export function closedDatesProblem(value: unknown): string | null {
  if (!Array.isArray(value)) return 'closedDates must be a list of dates YYYY-MM-DD';
  if (value.length > MAX_CLOSED_DATES) {
    return `closedDates must be at most ${MAX_CLOSED_DATES} dates`;
  }
  const bad = value.findIndex((d) => !isCalendarDate(d));
  return bad === -1 ? null : `closedDates.${bad} must be a date YYYY-MM-DD`;
}

/** Closed dates as stored: each once, in order. */
export function normaliseClosedDates(dates: readonly string[]): string[] {
  return [...new Set(dates)].sort();
}
