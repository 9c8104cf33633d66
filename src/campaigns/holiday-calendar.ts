/** The national holiday calendars a campaign can close on (ISO 3166 country codes). */
export const HOLIDAY_CALENDARS = ['IT'] as const;
export type HolidayCalendar = (typeof HOLIDAY_CALENDARS)[number];

interface HolidaySource {
  getHolidays(year: number): { date: string; type: string }[];
}

/** date-holidays reads its whole world file on first use (~0.5 s): loaded once, when asked. */
const sources = new Map<HolidayCalendar, HolidaySource>();
/** "YYYY-MM-DD" of each public holiday, per calendar and year. */
const years = new Map<string, ReadonlySet<string>>();

function sourceOf(calendar: HolidayCalendar): HolidaySource {
  let source = sources.get(calendar);
  if (!source) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Holidays = require('date-holidays') as new (country: string) => HolidaySource;
    source = new Holidays(calendar);
    sources.set(calendar, source);
  }
  return source;
}

/** The public holidays of `year` (days off by law; observances such as Mother's Day are not). */
export function publicHolidays(calendar: HolidayCalendar, year: number): ReadonlySet<string> {
  const key = `${calendar}:${year}`;
  let days = years.get(key);
  if (!days) {
    days = new Set(
      sourceOf(calendar)
        .getHolidays(year)
        .filter((h) => h.type === 'public')
        .map((h) => h.date.slice(0, 10)),
    );
    years.set(key, days);
  }
  return days;
}

/** Whether the local date "YYYY-MM-DD" is a public holiday of `calendar`. */
export function isPublicHoliday(calendar: HolidayCalendar, date: string): boolean {
  return publicHolidays(calendar, Number(date.slice(0, 4))).has(date.slice(0, 10));
}
