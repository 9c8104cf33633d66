import type { CallingHours } from './campaign.entity';
import {
  callingHoursSaid,
  describeCallingHours,
  isWithinCallingHours,
  nextCallingMoment,
} from './calling-hours';

const rome = {
  timezone: 'Europe/Rome',
  callingHours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '20:00' },
  holidays: null,
  closedDates: [],
};

describe('calling hours', () => {
  it('reads the clock in the campaign zone, start included and end excluded', () => {
    // Monday 2026-11-23: Rome is UTC+1.
    expect(isWithinCallingHours(rome, new Date('2026-11-23T08:00:00Z'))).toBe(true);
    expect(isWithinCallingHours(rome, new Date('2026-11-23T07:59:00Z'))).toBe(false);
    expect(isWithinCallingHours(rome, new Date('2026-11-23T18:59:00Z'))).toBe(true);
    expect(isWithinCallingHours(rome, new Date('2026-11-23T19:00:00Z'))).toBe(false);
    // Saturday
    expect(isWithinCallingHours(rome, new Date('2026-11-28T10:00:00Z'))).toBe(false);
    // Summer time: UTC+2
    expect(isWithinCallingHours(rome, new Date('2026-07-06T07:00:00Z'))).toBe(true);
    expect(isWithinCallingHours(rome, new Date('2026-07-06T06:59:00Z'))).toBe(false);
  });

  it('names the window', () => {
    expect(describeCallingHours(rome)).toBe('Mon-Fri 09:00-20:00 (Europe/Rome)');
    expect(
      describeCallingHours({
        ...rome,
        callingHours: { days: [1, 3, 6, 7], start: '10:00', end: '12:00' },
      }),
    ).toBe('Mon, Wed, Sat-Sun 10:00-12:00 (Europe/Rome)');
  });

  it('names the window in Italian, and in both languages for a refusal', () => {
    expect(describeCallingHours(rome, 'it')).toBe('Lun-Ven 09:00-20:00 (Europe/Rome)');
    const monSat = {
      ...rome,
      callingHours: { days: [1, 2, 3, 4, 5, 6], start: '09:00', end: '20:00' },
    };
    expect(callingHoursSaid(monSat)).toEqual({
      it: 'Lun-Sab 09:00-20:00 (Europe/Rome)',
      en: 'Mon-Sat 09:00-20:00 (Europe/Rome)',
    });
    expect(
      describeCallingHours(
        { ...rome, callingHours: { days: [], start: '09:00', end: '20:00' } },
        'it',
      ),
    ).toBe('nessun giorno (Europe/Rome)');
  });

  it('finds the next moment inside the hours, across a weekend and a clock change', () => {
    const inside = new Date('2026-11-23T10:00:00Z');
    expect(nextCallingMoment(rome, inside)).toEqual(inside);
    // Friday 21:00 in Rome -> Monday 09:00 in Rome
    expect(nextCallingMoment(rome, new Date('2026-11-27T20:00:00Z'))).toEqual(
      new Date('2026-11-30T08:00:00Z'),
    );
    // Friday 2026-03-27 evening -> Monday 2026-03-30 09:00, now UTC+2 after the change
    expect(nextCallingMoment(rome, new Date('2026-03-27T20:00:00Z'))).toEqual(
      new Date('2026-03-30T07:00:00Z'),
    );
    // Early morning the same day
    expect(nextCallingMoment(rome, new Date('2026-11-24T05:00:00Z'))).toEqual(
      new Date('2026-11-24T08:00:00Z'),
    );
    expect(
      nextCallingMoment(
        { ...rome, callingHours: { days: [], start: '09:00', end: '20:00' } },
        inside,
      ),
    ).toBeNull();
  });
});

describe('calling hours per weekday, holidays and closed dates', () => {
  // Mon-Fri 09:00-13:00 and 14:00-18:00, Saturday 09:00-12:00, closed on Italian holidays.
  const week: CallingHours = [
    ...[1, 2, 3, 4, 5].flatMap((day) => [
      { day, start: '09:00', end: '13:00' },
      { day, start: '14:00', end: '18:00' },
    ]),
    { day: 6, start: '09:00', end: '12:00' },
  ];
  const office = {
    timezone: 'Europe/Rome',
    callingHours: week,
    holidays: 'IT' as const,
    closedDates: ['2026-12-07'],
  };
  const at = (local: string) => new Date(`${local}:00+01:00`);

  it('closes for lunch and shortens Saturday', () => {
    // Wednesday 2026-12-09
    expect(isWithinCallingHours(office, at('2026-12-09T12:59'))).toBe(true);
    expect(isWithinCallingHours(office, at('2026-12-09T13:00'))).toBe(false);
    expect(isWithinCallingHours(office, at('2026-12-09T13:59'))).toBe(false);
    expect(isWithinCallingHours(office, at('2026-12-09T14:00'))).toBe(true);
    expect(isWithinCallingHours(office, at('2026-12-09T18:00'))).toBe(false);
    // Saturday 2026-12-12: the morning only
    expect(isWithinCallingHours(office, at('2026-12-12T11:59'))).toBe(true);
    expect(isWithinCallingHours(office, at('2026-12-12T12:00'))).toBe(false);
    expect(isWithinCallingHours(office, at('2026-12-12T15:00'))).toBe(false);
    // after lunch: the afternoon's opening
    expect(nextCallingMoment(office, at('2026-12-09T13:10'))).toEqual(at('2026-12-09T14:00'));
  });

  it('closes on the national holidays: 8 December, Easter Monday, 4 October from 2026', () => {
    expect(isWithinCallingHours(office, at('2026-12-08T10:00'))).toBe(false);
    // Easter Monday 2026 is 6 April, summer time
    expect(isWithinCallingHours(office, new Date('2026-04-06T10:00:00+02:00'))).toBe(false);
    expect(isWithinCallingHours(office, new Date('2026-04-07T10:00:00+02:00'))).toBe(true);
    // Easter Monday 2027 is 29 March
    expect(isWithinCallingHours(office, new Date('2027-03-29T10:00:00+02:00'))).toBe(false);
    // San Francesco, a national holiday again from 2026: a Monday in 2027
    expect(isWithinCallingHours(office, new Date('2027-10-04T10:00:00+02:00'))).toBe(false);
    // without the calendar, 8 December is an ordinary Tuesday
    expect(isWithinCallingHours({ ...office, holidays: null }, at('2026-12-08T10:00'))).toBe(true);
  });

  it("closes on the campaign's own dates", () => {
    expect(isWithinCallingHours(office, at('2026-12-07T10:00'))).toBe(false);
    expect(
      isWithinCallingHours({ ...office, holidays: null, closedDates: [] }, at('2026-12-07T10:00')),
    ).toBe(true);
  });

  it('finds the next open moment across a weekend, a closed date and a holiday', () => {
    // Saturday 5 December after noon -> Sunday closed, Monday 7 closed date, Tuesday 8
    // holiday -> Wednesday 9 December 09:00
    expect(nextCallingMoment(office, at('2026-12-05T12:30'))).toEqual(at('2026-12-09T09:00'));
    // Christmas Eve Thursday evening -> 25 and 26 holidays, Sunday -> Monday 28
    expect(nextCallingMoment(office, at('2026-12-24T18:30'))).toEqual(at('2026-12-28T09:00'));
    // Easter weekend 2026: Saturday 4 April noon -> Monday 6 holiday -> Tuesday 7 09:00 (UTC+2)
    expect(nextCallingMoment(office, new Date('2026-04-04T12:00:00+02:00'))).toEqual(
      new Date('2026-04-07T09:00:00+02:00'),
    );
  });

  it('keeps the local windows across the clock changes', () => {
    // Sunday 2026-03-29 the clocks go forward; Monday 30 opens at 09:00 UTC+2
    expect(nextCallingMoment(office, new Date('2026-03-28T12:00:00+01:00'))).toEqual(
      new Date('2026-03-30T09:00:00+02:00'),
    );
    // Sunday 2026-10-25 they go back; Monday 26 opens at 09:00 UTC+1, lunch at 13:00 UTC+1
    expect(nextCallingMoment(office, new Date('2026-10-24T12:00:00+02:00'))).toEqual(
      at('2026-10-26T09:00'),
    );
    expect(isWithinCallingHours(office, at('2026-10-26T13:30'))).toBe(false);
  });

  it('names the windows per day and the next open moment', () => {
    expect(describeCallingHours(office)).toBe(
      'Mon-Fri 09:00-13:00, 14:00-18:00; Sat 09:00-12:00 (Europe/Rome)',
    );
    expect(callingHoursSaid(office, at('2026-12-05T12:30'))).toEqual({
      it: 'Lun-Ven 09:00-13:00, 14:00-18:00; Sab 09:00-12:00 (Europe/Rome); prossima apertura: mer 09/12/2026, 09:00',
      en: 'Mon-Fri 09:00-13:00, 14:00-18:00; Sat 09:00-12:00 (Europe/Rome); next open: Wed 09/12/2026, 09:00',
    });
  });

  it('reads the old one-window shape as the same window every listed day', () => {
    const old = { ...office, callingHours: { days: [1, 3], start: '10:00', end: '12:00' } };
    expect(isWithinCallingHours(old, at('2026-12-09T11:00'))).toBe(true);
    expect(isWithinCallingHours(old, at('2026-12-10T11:00'))).toBe(false);
    expect(describeCallingHours(old)).toBe('Mon, Wed 10:00-12:00 (Europe/Rome)');
  });
});
