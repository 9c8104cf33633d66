/** "2026-03-01T09:30": what an `<input type="datetime-local">` sends. */
const LOCAL_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

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
  if (!LOCAL_PATTERN.test(local)) return null;
  const wall = Date.parse(`${local}:00Z`);
  if (Number.isNaN(wall) || new Date(wall).toISOString().slice(0, 16) !== local) return null;
  const guess = wall - offsetAt(wall, zone);
  const instant = wall - offsetAt(guess, zone);
  return toZonedLocal(new Date(instant), zone) === local ? new Date(instant) : null;
}

/** One formatter per (language, zone), as above. */
const readableFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * "lun 30/11/2026, 11:05" (it) or "Mon, 30/11/2026, 11:05" (en): a time agreed with a
 * customer, written on the wall clock of `zone`, where the customer lives.
 */
export function formatZonedDateTime(instant: Date, zone: string, lang: string): string {
  const key = `${lang}|${zone}`;
  let formatter = readableFormatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'it-IT', {
      weekday: 'short',
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZone: zone,
    });
    readableFormatters.set(key, formatter);
  }
  return formatter.format(instant);
}
