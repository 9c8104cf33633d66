import { Injectable } from '@nestjs/common';
import { Clock } from '../common/time/clock';
import { toZonedLocal, zonedLocalToUtc } from '../common/time/local-time';
import { addDays } from '../common/time/calendar-day';
import { AppConfigService } from '../config/app-config.service';
import { type DayRange } from './dto/report-query';

/**
 * The call centre's calendar (config TIMEZONE): what "today" is when a report is asked
 * without dates, and the instants a range of its days spans (operator time is kept by the
 * call centre's days; outcomes by each campaign's own days).
 */
@Injectable()
export class ReportCalendar {
  constructor(
    private readonly config: AppConfigService,
    private readonly clock: Clock,
  ) {}

  get zone(): string {
    return this.config.get('TIMEZONE');
  }

  now(): Date {
    return this.clock.now();
  }

  today(): string {
    return toZonedLocal(this.clock.now(), this.zone).slice(0, 10);
  }

  /** [start of `from`, start of the day after `to`) in the call centre's zone. */
  bounds(range: DayRange): { start: Date; end: Date } {
    return { start: this.dayStart(range.from), end: this.dayStart(addDays(range.to, 1)) };
  }

  /** Midnight, or the first hour after it where a clock change skips midnight. */
  private dayStart(day: string): Date {
    for (let hour = 0; hour < 3; hour++) {
      const at = zonedLocalToUtc(`${day}T0${hour}:00`, this.zone);
      if (at) return at;
    }
    return new Date(`${day}T00:00:00Z`);
  }
}
