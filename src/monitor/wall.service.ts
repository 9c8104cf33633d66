import { Injectable } from '@nestjs/common';
import { toZonedLocal } from '../common/time/local-time';
import { AppConfigService } from '../config/app-config.service';
import { assembleWall, WallMemo, type WallSnapshot } from './wall-assembly';
import { WallQueries } from './wall-queries';

/**
 * The coordinators' wall, computed from the database alone (so every app instance shows the
 * same): WallQueries reads a handful of tables whatever the history, assembleWall makes the
 * tiles and the campaigns' summaries from them.
 */
@Injectable()
export class WallService {
  /** The campaigns' local dates at the last snapshot: the days whose counters are today's. */
  private days: string[] = [];
  /** What one snapshot keeps for the next (ISO texts, marks, strips): speed only. */
  private readonly memo = new WallMemo();

  constructor(
    private readonly queries: WallQueries,
    private readonly config: AppConfigService,
  ) {}

  async snapshot(now: Date): Promise<WallSnapshot> {
    // Today's counters are read with the rest, for the days today was at the last snapshot
    // in the campaigns' time zones; a day missing from them (a new campaign's zone, local
    // midnight since) is read after.
    const daysRead = this.days.length
      ? this.days
      : [toZonedLocal(now, this.config.get('TIMEZONE')).slice(0, 10)];
    const reads = await this.queries.read(now, daysRead);
    const today = new Map(
      reads.campaigns.map((c) => [c.id, toZonedLocal(now, c.timezone).slice(0, 10)]),
    );
    this.days = [...new Set(today.values())];
    const missing = this.days.filter((day) => !daysRead.includes(day));
    const [late, contactsLeft] = await Promise.all([
      this.queries.countersOf(missing),
      this.queries.contactsLeft(reads.campaigns.map((c) => c.id)),
    ]);
    return assembleWall(
      { ...reads, today, contactsLeft, counters: [...reads.counters, ...late] },
      now,
      { longContactMs: this.config.get('MONITOR_LONG_CONTACT_MINUTES') * 60_000 },
      this.memo,
    );
  }
}
