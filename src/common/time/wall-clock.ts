import { toZonedLocal } from './local-time';

/** Clock changes fall on a quarter hour: one zone's offset holds through each quarter. */
const QUARTER_HOUR = 900_000;
const MAX_CACHED = 100_000;
const offsets = new Map<string, Map<number, number>>();

/**
 * The wall-clock time of `instant` in `zone`, as a Date whose UTC fields read it
 * (09:30 in Rome is a Date of 09:30Z). Exports date a million rows: Intl is asked once per
 * zone and quarter hour, not once per cell.
 */
export function wallClock(instant: Date, zone: string): Date {
  const ms = instant.getTime();
  const quarter = Math.floor(ms / QUARTER_HOUR);
  let byQuarter = offsets.get(zone);
  if (!byQuarter) {
    byQuarter = new Map();
    offsets.set(zone, byQuarter);
  }
  let offset = byQuarter.get(quarter);
  if (offset === undefined) {
    if (byQuarter.size >= MAX_CACHED) byQuarter.clear();
    const start = quarter * QUARTER_HOUR;
    offset = Date.parse(`${toZonedLocal(new Date(start), zone)}:00Z`) - start;
    byQuarter.set(quarter, offset);
  }
  return new Date(ms + offset);
}
