import {
  callingHoursSaid,
  describeCallingHours,
  isWithinCallingHours,
  nextCallingMoment,
} from './calling-hours';

const rome = {
  timezone: 'Europe/Rome',
  callingHours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '20:00' },
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
    ).toBe('nessun giorno 09:00-20:00 (Europe/Rome)');
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
