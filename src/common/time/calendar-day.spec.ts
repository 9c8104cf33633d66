import { addDays, daysBetween, isCalendarDay } from './calendar-day';

describe('calendar days', () => {
  it('accepts days that exist, in the YYYY-MM-DD form only', () => {
    expect(isCalendarDay('2026-03-29')).toBe(true);
    expect(isCalendarDay('2028-02-29')).toBe(true);
    for (const bad of ['2026-02-29', '2026-02-30', '2026-13-01', '2026-3-29', '29/03/2026', '']) {
      expect(isCalendarDay(bad)).toBe(false);
    }
  });

  it('counts days on the calendar, across months, years and clock-change Sundays', () => {
    expect(addDays('2026-03-28', 1)).toBe('2026-03-29');
    expect(addDays('2026-03-29', 1)).toBe('2026-03-30');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-01-01', '2026-12-31')).toBe(364);
    expect(daysBetween('2026-10-25', '2026-10-25')).toBe(0);
  });
});
