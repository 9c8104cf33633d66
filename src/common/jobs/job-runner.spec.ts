import { Logger } from '@nestjs/common';
import type { AppConfigService } from '../../config/app-config.service';
import { didWork, disabledJobs, JobRunner } from './job-runner';

function runner(disabled = ''): JobRunner {
  const config = { get: () => disabled } as unknown as AppConfigService;
  return new JobRunner(config);
}

describe('JobRunner', () => {
  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('runs the work and counts the run', async () => {
    const jobs = runner();
    const work = jest.fn().mockResolvedValue(3);
    await jobs.run('callbacks-due', work, { done: 'callbacks fallen due' });
    expect(work).toHaveBeenCalledTimes(1);
    expect(jobs.stats()).toEqual([
      expect.objectContaining({ name: 'callbacks-due', runs: 1, failures: 0, running: false }),
    ]);
    expect(Logger.prototype.log).toHaveBeenCalledWith(
      { job: 'callbacks-due', count: 3 },
      'callbacks fallen due',
    );
  });

  it('skips a tick while the previous run of the same job is still going', async () => {
    const jobs = runner();
    let finish: () => void = () => undefined;
    const slow = jest.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const first = jobs.run('lease-expiry', slow);
    await jobs.run('lease-expiry', slow);
    // Another job is not held up by it.
    const other = jest.fn().mockResolvedValue(0);
    await jobs.run('wrap-up', other);
    finish();
    await first;
    expect(slow).toHaveBeenCalledTimes(1);
    expect(other).toHaveBeenCalledTimes(1);
    const lease = jobs.stats().find((s) => s.name === 'lease-expiry');
    expect(lease).toMatchObject({ runs: 1, overlapsSkipped: 1, running: false });
    // Once finished, the next tick runs it again.
    await jobs.run('lease-expiry', other);
    expect(other).toHaveBeenCalledTimes(2);
  });

  it('catches, logs and counts a failure, and runs again at the next tick', async () => {
    const jobs = runner();
    await jobs.run('follow-up-sender', () => Promise.reject(new Error('SMTP down')));
    expect(jobs.stats()[0]).toMatchObject({ runs: 1, failures: 1, lastError: 'SMTP down' });
    expect(Logger.prototype.error).toHaveBeenCalled();
    await jobs.run('follow-up-sender', () => Promise.resolve({ sent: 0 }));
    expect(jobs.stats()[0]).toMatchObject({ runs: 2, failures: 1, lastError: null });
  });

  it('does not run a job JOBS_DISABLED names, or any with "all"', async () => {
    const work = jest.fn().mockResolvedValue(0);
    await runner('wrap-up, auth-housekeeping').run('wrap-up', work);
    await runner('all').run('lease-expiry', work);
    expect(work).not.toHaveBeenCalled();
    await runner('wrap-up').run('lease-expiry', work);
    expect(work).toHaveBeenCalledTimes(1);
    expect([...disabledJobs(' a ,b,')]).toEqual(['a', 'b']);
  });

  it('tells its tick listeners when a run starts and how it ended, and of skipped ticks', async () => {
    const jobs = runner();
    const ticks: Array<{ name: string; event: string; timed: boolean }> = [];
    const stop = jobs.onTick((tick) =>
      ticks.push({ name: tick.name, event: tick.event, timed: tick.durationMs !== null }),
    );
    let finish: () => void = () => undefined;
    const first = jobs.run('wrap-up', () => new Promise<void>((resolve) => (finish = resolve)));
    await jobs.run('wrap-up', () => Promise.resolve());
    finish();
    await first;
    await jobs.run('follow-up-sender', () => Promise.reject(new Error('SMTP down')));
    stop();
    await jobs.run('wrap-up', () => Promise.resolve());
    expect(ticks).toEqual([
      { name: 'wrap-up', event: 'started', timed: false },
      { name: 'wrap-up', event: 'skipped', timed: false },
      { name: 'wrap-up', event: 'done', timed: true },
      { name: 'follow-up-sender', event: 'started', timed: false },
      { name: 'follow-up-sender', event: 'failed', timed: true },
    ]);
  });

  it('logs a result only when it says some work was done', () => {
    expect(didWork(0)).toBe(false);
    expect(didWork(2)).toBe(true);
    expect(didWork({ sent: 0, retried: 0, failed: 0 })).toBe(false);
    expect(didWork({ sent: 0, retried: 1, failed: 0 })).toBe(true);
    expect(didWork(undefined)).toBe(false);
  });
});
