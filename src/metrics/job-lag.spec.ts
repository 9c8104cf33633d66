import { JobLag, type NextTick } from './job-lag';

const at = (iso: string) => new Date(`2026-03-10T${iso}Z`);
const every =
  (ms: number): NextTick =>
  (after) =>
    new Date(after.getTime() + ms);
/** A cron ticking at each whole minute. */
const eachMinute: NextTick = (after) => {
  const next = new Date(after);
  next.setUTCSeconds(0, 0);
  next.setUTCMinutes(next.getUTCMinutes() + 1);
  return next;
};

describe('JobLag', () => {
  it('measures an interval tick against the previous start plus the period, from the second tick', () => {
    const lag = new JobLag(() => every(15_000));
    expect(lag.observe('lease-expiry', at('10:00:00.000'))).toBeNull();
    expect(lag.observe('lease-expiry', at('10:00:15.000'))).toBe(0);
    // The event loop was busy: this tick came 1.2 s late, and the next is due 15 s after it.
    expect(lag.observe('lease-expiry', at('10:00:31.200'))).toBeCloseTo(1.2);
    expect(lag.observe('lease-expiry', at('10:00:46.250'))).toBeCloseTo(0.05);
  });

  it('measures a cron tick against the time the expression named', () => {
    const lag = new JobLag(() => eachMinute);
    lag.observe('callbacks-expiry', at('10:00:00.010'));
    expect(lag.observe('callbacks-expiry', at('10:01:00.350'))).toBeCloseTo(0.35);
    // Early by a clock's wobble counts as on time.
    expect(lag.observe('callbacks-expiry', at('10:01:59.990'))).toBe(0);
  });

  it('keeps each job apart and measures nothing for a job without a schedule', () => {
    const lag = new JobLag((job) => (job === 'wrap-up' ? every(1_000) : null));
    lag.observe('wrap-up', at('10:00:00.000'));
    expect(lag.observe('manual', at('10:00:00.500'))).toBeNull();
    expect(lag.observe('manual', at('10:00:09.000'))).toBeNull();
    expect(lag.observe('wrap-up', at('10:00:01.100'))).toBeCloseTo(0.1);
  });
});
