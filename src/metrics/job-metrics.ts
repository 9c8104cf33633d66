import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { SchedulerRegistry } from '@nestjs/schedule';
import {
  SCHEDULE_INTERVAL_OPTIONS,
  SCHEDULER_NAME,
} from '@nestjs/schedule/dist/schedule.constants';
import { Counter, Gauge, Histogram } from 'prom-client';
import { JobRunner, type JobTick } from '../common/jobs/job-runner';
import { JobLag, type NextTick } from './job-lag';
import { MetricsRegistry } from './metrics-registry';

/** Every scheduled job's ticks as JobRunner reports them: runs by outcome, durations, lag. */
@Injectable()
export class JobMetrics implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly runs: Counter<'job' | 'outcome'>;
  private readonly duration: Histogram<'job'>;
  private readonly lagSeconds: Histogram<'job'>;
  private readonly lastSuccess: Gauge<'job'>;
  /** Each interval job's period (ms), read from its @Interval declaration. */
  private readonly periods = new Map<string, number>();
  private readonly lag = new JobLag((job) => this.scheduleOf(job));
  private readonly stop: () => void;

  constructor(
    registry: MetricsRegistry,
    jobs: JobRunner,
    private readonly scheduler: SchedulerRegistry,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {
    this.runs = new Counter({
      name: 'esito_job_runs_total',
      help: 'Ticks of each scheduled job in this instance: done, failed, or skipped because its previous run was still going',
      labelNames: ['job', 'outcome'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'esito_job_duration_seconds',
      help: 'How long each run of a scheduled job took',
      labelNames: ['job'],
      buckets: [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    });
    this.lagSeconds = new Histogram({
      name: 'esito_job_lag_seconds',
      help: 'How late each tick of a scheduled job started against its schedule (interval or cron)',
      labelNames: ['job'],
      buckets: [0.001, 0.005, 0.025, 0.1, 0.25, 1, 5, 15, 60],
      registers: [registry],
    });
    this.lastSuccess = new Gauge({
      name: 'esito_job_last_success_timestamp_seconds',
      help: 'When the last run of each scheduled job that did not fail started (Unix time)',
      labelNames: ['job'],
      registers: [registry],
    });
    this.stop = jobs.onTick((tick) => this.record(tick));
  }

  onApplicationBootstrap(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (typeof instance !== 'object' || instance === null) continue;
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown> | null;
      if (!prototype) continue;
      for (const key of this.scanner.getAllMethodNames(prototype)) {
        const method = prototype[key];
        if (typeof method !== 'function') continue;
        const options = this.reflector.get<{ timeout?: number } | undefined>(
          SCHEDULE_INTERVAL_OPTIONS,
          method,
        );
        const name = this.reflector.get<string | undefined>(SCHEDULER_NAME, method);
        if (typeof options?.timeout === 'number' && typeof name === 'string')
          this.periods.set(name, options.timeout);
      }
    }
  }

  onModuleDestroy(): void {
    this.stop();
  }

  private record(tick: JobTick): void {
    const job = tick.name;
    if (tick.event === 'started' || tick.event === 'skipped') {
      // Measured as ticks come, in order: a long run ends after the ticks skipped behind it.
      const late = this.lag.observe(job, tick.startedAt);
      if (late !== null) this.lagSeconds.observe({ job }, late);
    }
    if (tick.event === 'started') return;
    this.runs.inc({ job, outcome: tick.event });
    if (tick.durationMs !== null) this.duration.observe({ job }, tick.durationMs / 1000);
    if (tick.event === 'done') this.lastSuccess.set({ job }, tick.startedAt.getTime() / 1000);
  }

  /** The job's schedule while its timer runs in this instance (jobs and the timer share the name). */
  private scheduleOf(job: string): NextTick | null {
    const period = this.periods.get(job);
    if (period !== undefined && this.scheduler.doesExist('interval', job))
      return (after) => new Date(after.getTime() + period);
    if (this.scheduler.doesExist('cron', job)) {
      const cron = this.scheduler.getCronJob(job);
      return (after) => cron.cronTime.getNextDateFrom(after).toJSDate();
    }
    return null;
  }
}
