import { formatDateTime } from '../format/locale-format';

/** "2026-03-01T09:30": what an `<input type="datetime-local">` sends. */
const LOCAL_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;
/** An ISO 8601 date and time without Z or an offset: "2026-03-01T09:30", seconds optional. */
const WALL_CLOCK_PATTERN = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?$/;
/** Z or a numeric offset at the end: the text names one instant. */
const OFFSET_PATTERN = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;

/** Building an Intl formatter costs far more than using one: one per zone, kept. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    // Throws a RangeError for an unknown zone, as constructing it each time did.
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** The wall-clock time of `instant` in `zone`, as "YYYY-MM-DDTHH:MM". */
export function toZonedLocal(instant: Date, zone: string): string {
  const parts = formatterFor(zone).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}

/** "YYYY-MM-DDTHH:MM" naming a real day and time of day (no 30 February, no 24:00). */
function isCalendarTime(local: string): boolean {
  if (!LOCAL_PATTERN.test(local)) return false;
  const wall = Date.parse(`${local}:00Z`);
  return !Number.isNaN(wall) && new Date(wall).toISOString().slice(0, 16) === local;
}

/** How far `zone` is ahead of UTC at `instant`, in milliseconds (to the minute). */
function offsetAt(instant: number, zone: string): number {
  const local = toZonedLocal(new Date(instant), zone);
  return Date.parse(`${local}:00Z`) - Math.floor(instant / 60_000) * 60_000;
}

/**
 * The UTC instant of a wall-clock time in `zone`, or null when the text is not a
 * date and time or that time does not exist there (skipped by the spring clock change).
 * A time that happens twice (autumn) is taken in the later, winter offset.
 */
export function zonedLocalToUtc(local: string, zone: string): Date | null {
  if (!isCalendarTime(local)) return null;
  const wall = Date.parse(`${local}:00Z`);
  const guess = wall - offsetAt(wall, zone);
  const instant = wall - offsetAt(guess, zone);
  return toZonedLocal(new Date(instant), zone) === local ? new Date(instant) : null;
}

/**
 * What an API caller means by an ISO 8601 date and time: with Z or an offset, that instant;
 * without one, that wall-clock time in `zone` (the campaign's, never the server's), as
 * zonedLocalToUtc reads it (the repeated autumn hour in its later, winter offset).
 * 'skipped' for a wall-clock time the spring change skips; null for anything else that is
 * not a date with a time of day.
 */
export function instantInZone(text: string, zone: string): Date | 'skipped' | null {
  const wall = WALL_CLOCK_PATTERN.exec(text);
  if (wall) {
    const [, date, time, seconds = '0', millis = '0'] = wall;
    const local = `${date}T${time}`;
    if (!isCalendarTime(local) || Number(seconds) > 59) return null;
    const minute = zonedLocalToUtc(local, zone);
    if (!minute) return 'skipped';
    return new Date(minute.getTime() + Number(seconds) * 1000 + Number(millis.padEnd(3, '0')));
  }
  if (!OFFSET_PATTERN.test(text) || !/\d[T ]\d/.test(text)) return null;
  const instant = new Date(text);
  return Number.isNaN(instant.getTime()) ? null : instant;
}

/**
 * "lun 30/11/2026, 11:05" (it) or "Mon 30/11/2026, 11:05" (en): a time agreed with a
 * customer, written on the wall clock of `zone`, where the customer lives (the one date and
 * time format, common/format/locale-format.ts).
 */
export function formatZonedDateTime(instant: Date, zone: string, lang: string): string {
  return formatDateTime(instant, lang, zone);
}
