/** When a job's next tick is due after a tick that started at `after` (its schedule). */
export type NextTick = (after: Date) => Date | null;

/**
 * How late each tick of a scheduled job started against its schedule: the moment a tick
 * starts, the next one's due time is known (an interval: this start plus the period, which
 * is how setInterval re-arms; a cron: the expression's next time), and the next tick's start
 * is compared with it. A job's first tick has nothing to compare with; a run outside the
 * schedule (a test calling the job, a job whose timer is gone) is not measured. Ticks must
 * come in the order they started (JobRunner tells a run when it starts).
 */
export class JobLag {
  private readonly due = new Map<string, number>();

  constructor(private readonly scheduleOf: (job: string) => NextTick | null) {}

  /** Seconds this tick started after its due time, or null when that is not known. */
  observe(job: string, startedAt: Date): number | null {
    const next = this.scheduleOf(job);
    if (!next) {
      this.due.delete(job);
      return null;
    }
    const expected = this.due.get(job);
    const following = next(startedAt);
    if (following) this.due.set(job, following.getTime());
    else this.due.delete(job);
    return expected === undefined ? null : Math.max(0, startedAt.getTime() - expected) / 1000;
  }
}
