import { Injectable, Logger } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { AppConfigService } from '../../config/app-config.service';

/** What this instance knows of one scheduled job since it started. */
export interface JobStats {
  name: string;
  /** Runs finished, failed ones included. */
  runs: number;
  failures: number;
  /** Ticks skipped because the previous run in this instance had not finished. */
  overlapsSkipped: number;
  running: boolean;
  lastStartedAt: Date | null;
  lastDurationMs: number | null;
  lastError: string | null;
}

/**
 * A tick of a job, told twice when it runs (`started`, then `done` or `failed`) and once when
 * it is `skipped` behind the previous run.
 */
export interface JobTick {
  name: string;
  event: 'started' | 'done' | 'failed' | 'skipped';
  /** When the tick came. */
  startedAt: Date;
  /** How long the run took: only when it has ended (done or failed). */
  durationMs: number | null;
}

export interface JobRunOptions {
  /** Logged with the result when the run did some work (a count above 0, or any in an object). */
  done?: string;
}

/** Whether a job's result says it did something: a positive count, or one in its fields. */
export function didWork(result: unknown): boolean {
  if (typeof result === 'number') return result > 0;
  if (result !== null && typeof result === 'object') {
    return Object.values(result).some((value) => typeof value === 'number' && value > 0);
  }
  return false;
}

/** The names JOBS_DISABLED lists ("all" stands for every job). */
export function disabledJobs(setting: string): Set<string> {
  return new Set(
    setting
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== ''),
  );
}

/**
 * The one way a scheduled job runs: it checks the job's flag (JOBS_DISABLED), skips a tick
 * while the previous run of the job is still going in this instance, catches and logs what
 * the work throws, and counts runs, failures and durations. Several instances running the
 * same job at once is the work's business: each service method claims its rows (SKIP
 * LOCKED, conditional UPDATEs), so a row is handled once however many run.
 */
@Injectable()
export class JobRunner {
  private readonly logger = new Logger(JobRunner.name);
  private readonly jobs = new Map<string, JobStats>();
  private readonly disabled: Set<string>;
  private readonly tickListeners = new Set<(tick: JobTick) => void>();

  constructor(config: AppConfigService) {
    this.disabled = disabledJobs(config.get('JOBS_DISABLED'));
  }

  enabled(name: string): boolean {
    return !this.disabled.has('all') && !this.disabled.has(name);
  }

  async run(
    name: string,
    work: () => Promise<unknown>,
    options: JobRunOptions = {},
  ): Promise<void> {
    if (!this.enabled(name)) return;
    const stats = this.statsOf(name);
    if (stats.running) {
      stats.overlapsSkipped += 1;
      this.tell({ name, event: 'skipped', startedAt: new Date(), durationMs: null });
      return;
    }
    stats.running = true;
    const startedAt = new Date();
    stats.lastStartedAt = startedAt;
    const started = performance.now();
    this.tell({ name, event: 'started', startedAt, durationMs: null });
    let failed = false;
    try {
      const result = await work();
      if (options.done && didWork(result)) {
        const counts = typeof result === 'number' ? { count: result } : (result as object);
        this.logger.log({ job: name, ...counts }, options.done);
      }
      stats.lastError = null;
    } catch (error) {
      failed = true;
      stats.failures += 1;
      stats.lastError = error instanceof Error ? error.message : String(error);
      this.logger.error({ err: error, job: name }, `${name} failed`);
    } finally {
      stats.running = false;
      stats.runs += 1;
      const durationMs = performance.now() - started;
      stats.lastDurationMs = Math.round(durationMs * 10) / 10;
      this.tell({ name, event: failed ? 'failed' : 'done', startedAt, durationMs });
    }
  }

  /** Hears every tick (metrics); returns the way to stop. */
  onTick(listener: (tick: JobTick) => void): () => void {
    this.tickListeners.add(listener);
    return () => this.tickListeners.delete(listener);
  }

  private tell(tick: JobTick): void {
    for (const listener of this.tickListeners) {
      try {
        listener(tick);
      } catch (error) {
        this.logger.error({ err: error, job: tick.name }, 'a job tick listener failed');
      }
    }
  }

  /** Every job run in this instance so far, by name. */
  stats(): JobStats[] {
    return [...this.jobs.values()]
      .map((stats) => ({ ...stats }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  private statsOf(name: string): JobStats {
    let stats = this.jobs.get(name);
    if (!stats) {
      stats = {
        name,
        runs: 0,
        failures: 0,
        overlapsSkipped: 0,
        running: false,
        lastStartedAt: null,
        lastDurationMs: null,
        lastError: null,
      };
      this.jobs.set(name, stats);
    }
    return stats;
  }
}
