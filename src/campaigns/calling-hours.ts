import type { InLanguages } from '../common/errors/domain-errors';
import { formatDateTime } from '../common/format/locale-format';
import { toZonedLocal, zonedLocalToUtc } from '../common/time/local-time';
import type { CallingHours, DayWindow, LegacyCallingHours } from './campaign.entity';
import { type HolidayCalendar, isPublicHoliday } from './holiday-calendar';

/** Weekdays as a window names them, Monday first. */
const DAY_NAMES: Record<'it' | 'en', readonly string[]> = {
  en: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
  it: ['Lun', 'Mar', 'Mer', 'Gio', 'Ven', 'Sab', 'Dom'],
};
const NO_DAYS = { en: 'no days', it: 'nessun giorno' };
const NEXT_OPEN = { en: 'next open', it: 'prossima apertura' };
/** How far ahead the next open moment is looked for: a year of closed dates is not a window. */
const LOOK_AHEAD_DAYS = 400;

/** What a campaign's calling rule reads: its zone, its windows and the days it is closed. */
export interface CallingWindow {
  timezone: string;
  /** The per-weekday windows; the old one-window shape is read as that window every listed day. */
  callingHours: CallingHours | LegacyCallingHours;
  /** The national calendar whose public holidays close the campaign (null: none). */
  holidays: HolidayCalendar | null;
  /** The campaign's own closed days, local "YYYY-MM-DD" (a patron saint's day). */
  closedDates: readonly string[] | null;
}

function isLegacy(hours: CallingHours | LegacyCallingHours): hours is LegacyCallingHours {
  return !Array.isArray(hours);
}

/**
 * The windows, sorted by day then start: the stored and API shape. The old
 * `{days, start, end}` (rows written before per-weekday windows, API callers that still send
 * it) is the same window every listed day.
 */
export function windowsOf(
  hours: CallingHours | LegacyCallingHours | null | undefined,
): DayWindow[] {
  if (!hours) return [];
  const windows = isLegacy(hours)
    ? (hours.days ?? []).map((day) => ({ day, start: hours.start, end: hours.end }))
    : hours.map(({ day, start, end }) => ({ day, start, end }));
  return windows.sort((a, b) => a.day - b.day || a.start.localeCompare(b.start));
}

/** ISO day of week (1 = Monday) of a local "YYYY-MM-DD...". */
export function isoDay(localDate: string): number {
  const day = new Date(`${localDate.slice(0, 10)}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

/** Whether the campaign is closed all of the local day "YYYY-MM-DD": a holiday or a closed date. */
export function isClosedDay(campaign: CallingWindow, localDate: string): boolean {
  const date = localDate.slice(0, 10);
  if (campaign.closedDates?.includes(date)) return true;
  return campaign.holidays !== null && isPublicHoliday(campaign.holidays, date);
}

/** The windows open on the local day "YYYY-MM-DD": none on a closed day. */
export function windowsOn(campaign: CallingWindow, localDate: string): DayWindow[] {
  if (isClosedDay(campaign, localDate)) return [];
  const day = isoDay(localDate);
  return windowsOf(campaign.callingHours).filter((w) => w.day === day);
}

/** Whether `at` falls inside the campaign's calling hours, in its time zone (invariant 9). */
export function isWithinCallingHours(campaign: CallingWindow, at: Date): boolean {
  const local = toZonedLocal(at, campaign.timezone);
  const time = local.slice(11, 16);
  return windowsOn(campaign, local).some((w) => time >= w.start && time < w.end);
}

/** "09:00-13:00, 14:00-18:00". */
function spans(windows: DayWindow[]): string {
  return windows.map((w) => `${w.start}-${w.end}`).join(', ');
}

/**
 * "Mon-Fri 09:00-20:00 (Europe/Rome)", "Lun-Ven 09:00-13:00, 14:00-18:00; Sab 09:00-12:00
 * (Europe/Rome)": how pages and errors name the window (English unless a language is given:
 * the API's messages). With `from`, the refusal's "next open" moment follows.
 */
export function describeCallingHours(
  campaign: CallingWindow,
  lang: 'it' | 'en' = 'en',
  from?: Date,
): string {
  const names = DAY_NAMES[lang];
  const windows = windowsOf(campaign.callingHours);
  // Consecutive days with the same windows are one group: "Mon-Fri".
  const groups: { from: number; to: number; said: string }[] = [];
  for (let day = 1; day <= 7; day++) {
    const said = spans(windows.filter((w) => w.day === day));
    if (!said) continue;
    const last = groups[groups.length - 1];
    if (last && last.to === day - 1 && last.said === said) last.to = day;
    else groups.push({ from: day, to: day, said });
  }
  const dayName = (day: number) => names[day - 1]!;
  // Days named one by one when every group shares its hours: "Mon, Wed, Sat-Sun 10:00-12:00".
  const shared = groups.every((g) => g.said === groups[0]?.said);
  const text =
    groups.length === 0
      ? NO_DAYS[lang]
      : shared
        ? `${groups.map((g) => (g.to > g.from ? `${dayName(g.from)}-${dayName(g.to)}` : dayName(g.from))).join(', ')} ${groups[0]!.said}`
        : groups
            .map(
              (g) =>
                `${g.to > g.from ? `${dayName(g.from)}-${dayName(g.to)}` : dayName(g.from)} ${g.said}`,
            )
            .join('; ');
  let said = `${text} (${campaign.timezone})`;
  if (from) {
    const next = nextCallingMoment(campaign, from);
    if (next) said += `; ${NEXT_OPEN[lang]}: ${formatDateTime(next, lang, campaign.timezone)}`;
  }
  return said;
}

/**
 * The window in each language, for a refusal its reader sees in theirs; with `from`, the next
 * open moment after it ("next open: Wed 09/12/2026, 09:00").
 */
export function callingHoursSaid(campaign: CallingWindow, from?: Date): InLanguages {
  return {
    it: describeCallingHours(campaign, 'it', from),
    en: describeCallingHours(campaign, 'en', from),
  };
}

/**
 * The first moment at or after `from` inside the calling hours (a retry due at night waits
 * for the morning, one due on a holiday for the next open day), or null when the campaign
 * opens on no day of the next year. Walks local days, so a daylight-saving change moves
 * nothing.
 */
export function nextCallingMoment(campaign: CallingWindow, from: Date): Date | null {
  if (isWithinCallingHours(campaign, from)) return from;
  if (windowsOf(campaign.callingHours).length === 0) return null;
  const today = toZonedLocal(from, campaign.timezone).slice(0, 10);
  for (let offset = 0; offset <= LOOK_AHEAD_DAYS; offset++) {
    const date = new Date(Date.parse(`${today}T12:00:00Z`) + offset * 86_400_000)
      .toISOString()
      .slice(0, 10);
    for (const window of windowsOn(campaign, date)) {
      const opening = zonedLocalToUtc(`${date}T${window.start}`, campaign.timezone);
      if (opening && opening.getTime() >= from.getTime()) return opening;
    }
  }
  return null;
}
