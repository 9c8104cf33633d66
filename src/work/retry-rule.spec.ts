import { retryRule } from './retry-rule';

const rome = {
  timezone: 'Europe/Rome',
  callingHours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '20:00' },
  holidays: null,
  closedDates: [],
};
// Monday 2026-11-23, 10:00 in Rome (UTC+1).
const now = new Date('2026-11-23T09:00:00Z');
const noAnswer = { retryAfterMinutes: 60, maxAttempts: 3 };

describe('retryRule', () => {
  it('makes the contact final when the status has no retry rule', () => {
    expect(retryRule({ retryAfterMinutes: null, maxAttempts: 3 }, 0, rome, now)).toEqual({
      requeue: false,
      lastAttemptFailed: false,
    });
  });

  it('re-queues after the delay while attempts are left, this one counted', () => {
    expect(retryRule(noAnswer, 0, rome, now)).toEqual({
      requeue: true,
      at: new Date('2026-11-23T10:00:00Z'),
    });
    expect(retryRule(noAnswer, 1, rome, now)).toEqual({
      requeue: true,
      at: new Date('2026-11-23T10:00:00Z'),
    });
    expect(retryRule({ retryAfterMinutes: 60, maxAttempts: null }, 99, rome, now)).toMatchObject({
      requeue: true,
    });
  });

  it('makes the contact final once the last attempt has failed', () => {
    expect(retryRule(noAnswer, 2, rome, now)).toEqual({
      requeue: false,
      lastAttemptFailed: true,
    });
  });

  it('moves the retry into the next calling window', () => {
    // Friday 19:30 in Rome plus an hour: Monday 09:00.
    const friday = new Date('2026-11-27T18:30:00Z');
    expect(retryRule(noAnswer, 0, rome, friday)).toEqual({
      requeue: true,
      at: new Date('2026-11-30T08:00:00Z'),
    });
  });

  it('makes the contact final when no calling day is left to retry on', () => {
    const never = { ...rome, callingHours: { days: [], start: '09:00', end: '20:00' } };
    expect(retryRule(noAnswer, 0, never, now)).toEqual({
      requeue: false,
      lastAttemptFailed: true,
    });
  });
});
