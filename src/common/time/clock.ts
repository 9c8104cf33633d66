import { Injectable } from '@nestjs/common';

/**
 * The time the services go by. Tests set it (`clock.set(...)`) to drive leases, retries
 * and callbacks through the hours without waiting.
 */
@Injectable()
export class Clock {
  private fixed: Date | null = null;
  private offsetMs = 0;

  now(): Date {
    return this.fixed ? new Date(this.fixed) : new Date(Date.now() + this.offsetMs);
  }

  /** Stops the clock at `at` (or lets it run again from the real time with null). */
  set(at: Date | null): void {
    this.fixed = at;
    this.offsetMs = 0;
  }

  /** Moves the clock on (a stopped one stays stopped). */
  advance(ms: number): void {
    if (this.fixed) this.fixed = new Date(this.fixed.getTime() + ms);
    else this.offsetMs += ms;
  }
}
