import type { InLanguages } from '../common/errors/domain-errors';
import { toZonedLocal, zonedLocalToUtc } from '../common/time/local-time';
import type { CallingHours } from './campaign.entity';

/** Weekdays as a window names them, Monday first. */
const DAY_NAMES: Record<'it' | 'en', readonly string[]> = {
  en: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
  it: ['Lun', 'Mar', 'Mer', 'Gio', 'Ven', 'Sab', 'Dom'],
};
const NO_DAYS = { en: 'no days', it: 'nessun giorno' };

export interface CallingWindow {
  timezone: string;
  callingHours: CallingHours;
}

/** ISO day of week (1 = Monday) of a local "YYYY-MM-DD...". */
function isoDay(localDate: string): number {
  const day = new Date(`${localDate.slice(0, 10)}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

/** Whether `at` falls inside the campaign's calling hours, in its time zone (invariant 9). */
export function isWithinCallingHours(campaign: CallingWindow, at: Date): boolean {
  const { days, start, end } = campaign.callingHours;
  const local = toZonedLocal(at, campaign.timezone);
  const time = local.slice(11, 16);
  return days.includes(isoDay(local)) && time >= start && time < end;
}

/**
 * "Mon-Fri 09:00-20:00 (Europe/Rome)", "Lun-Ven 09:00-20:00 (Europe/Rome)": how pages and
 * errors name the window (English unless a language is given: the API's messages).
 */
export function describeCallingHours(campaign: CallingWindow, lang: 'it' | 'en' = 'en'): string {
  const { days, start, end } = campaign.callingHours;
  const names = DAY_NAMES[lang];
  const sorted = [...days].sort((a, b) => a - b);
  const groups: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    const from = names[sorted[i]! - 1]!;
    groups.push(j > i ? `${from}-${names[sorted[j]! - 1]!}` : from);
    i = j;
  }
  return `${groups.join(', ') || NO_DAYS[lang]} ${start}-${end} (${campaign.timezone})`;
}

/** The window in each language, for a refusal its reader sees in theirs. */
export function callingHoursSaid(campaign: CallingWindow): InLanguages {
  return { it: describeCallingHours(campaign, 'it'), en: describeCallingHours(campaign, 'en') };
}

/**
 * The first moment at or after `from` inside the calling hours (a retry due at night waits
 * for the morning), or null when the campaign has no calling days. Walks local days, so a
 * daylight-saving change moves nothing.
 */
export function nextCallingMoment(campaign: CallingWindow, from: Date): Date | null {
  if (isWithinCallingHours(campaign, from)) return from;
  const { days, start } = campaign.callingHours;
  if (days.length === 0) return null;
  const today = toZonedLocal(from, campaign.timezone).slice(0, 10);
  for (let offset = 0; offset <= 8; offset++) {
    const date = new Date(Date.parse(`${today}T12:00:00Z`) + offset * 86_400_000)
      .toISOString()
      .slice(0, 10);
    if (!days.includes(isoDay(date))) continue;
    const opening = zonedLocalToUtc(`${date}T${start}`, campaign.timezone);
    if (opening && opening.getTime() >= from.getTime()) return opening;
  }
  return null;
}
