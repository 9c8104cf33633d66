/** Calendar days and wall-clock times in a campaign's time zone, without a date library. */

const DAY_MS = 86_400_000;

/** A wall-clock time as a datetime-local field holds it. */
export const LOCAL_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

/** "2026-11-30" + 2 → "2026-12-02" (calendar days, no time zone involved). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The Monday of the week of a calendar day. */
export function mondayOf(date: string): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay() || 7;
  return addDays(date, 1 - weekday);
}

/** Day and minute of an instant in `zone`, in numbers: read with formatToParts. */
export function zonedParts(zone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** The wall-clock time of `date` in `zone`, as "YYYY-MM-DDTHH:MM". */
export function toZonedLocal(date: Date, zone: string): string {
  const parts = zonedParts(zone).formatToParts(date);
  const get = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((part) => part.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}

/** The instant of a wall-clock time in `zone` (as src/common/time/local-time.ts); null if none. */
export function zonedLocalToUtc(local: string, zone: string): Date | null {
  if (!LOCAL_PATTERN.test(local)) return null;
  const wall = Date.parse(`${local}:00Z`);
  if (isNaN(wall)) return null;
  const offsetAt = (instant: number) =>
    Date.parse(`${toZonedLocal(new Date(instant), zone)}:00Z`) -
    Math.floor(instant / 60_000) * 60_000;
  const guess = wall - offsetAt(wall);
  const instant = wall - offsetAt(guess);
  return toZonedLocal(new Date(instant), zone) === local ? new Date(instant) : null;
}
