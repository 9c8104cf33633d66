import { Injectable } from '@nestjs/common';
import { DataSource, MoreThanOrEqual, Not } from 'typeorm';
import { fromCents, toCents } from '../common/decimal-string';
import { Clock } from '../common/time/clock';
import { toZonedLocal, zonedLocalToUtc } from '../common/time/local-time';
import { AppConfigService } from '../config/app-config.service';
import { Contract } from '../contracts/contract.entity';
import type { OutcomeType } from '../outcome-statuses/outcome-status.entity';
import { OperatorStateDay } from './operator-state-day.entity';
import { OperatorState } from './operator-state.entity';
import { OutcomeCounter } from './outcome-counter.entity';

/** An operator's own day so far, for the workstation (`GET /api/v1/work/stats`). */
export interface OperatorDayFigures {
  /** The call centre's local date (TIMEZONE). */
  day: string;
  calls: number;
  outcomes: Record<OutcomeType, number>;
  /** Contracts closed today, not cancelled, and their total with VAT (DECIMAL string). */
  sales: { count: number; total: string };
  appointments: number;
  /** Pauses ended today plus the one going on now. */
  pausedSeconds: number;
}

/**
 * What the wall already counts, for one operator: outcomes by type from the outcome
 * counters, pauses from the state days, sales from their contracts (summed as cents, never
 * as floats). Four index reads; nothing is counted from interactions.
 */
@Injectable()
export class OperatorFigures {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfigService,
    private readonly clock: Clock,
  ) {}

  async today(userId: number): Promise<OperatorDayFigures> {
    const now = this.clock.now();
    const zone = this.config.get('TIMEZONE');
    const day = toZonedLocal(now, zone).slice(0, 10);
    const dayStart = zonedLocalToUtc(`${day}T00:00`, zone) ?? new Date(`${day}T00:00:00Z`);
    const [counters, pauses, state, contracts] = await Promise.all([
      this.dataSource.getRepository(OutcomeCounter).findBy({ operatorId: userId, day }),
      this.dataSource.getRepository(OperatorStateDay).findBy({ userId, day, state: 'paused' }),
      this.dataSource.getRepository(OperatorState).findOneBy({ userId }),
      this.dataSource.getRepository(Contract).find({
        where: {
          operatorId: userId,
          createdAt: MoreThanOrEqual(dayStart),
          status: Not('cancelled'),
        },
        select: { id: true, total: true },
      }),
    ]);
    const outcomes: Record<OutcomeType, number> = { R: 0, N: 0, C: 0, T: 0 };
    for (const counter of counters) outcomes[counter.statusType] += counter.count;
    let pausedSeconds = pauses.reduce((sum, p) => sum + p.seconds, 0);
    if (state?.state === 'paused') {
      const since = Math.max(state.since.getTime(), dayStart.getTime());
      pausedSeconds += Math.max(0, Math.round((now.getTime() - since) / 1000));
    }
    const total = contracts.reduce((sum, c) => sum + toCents(c.total), 0n);
    return {
      day,
      calls: outcomes.R + outcomes.N + outcomes.C + outcomes.T,
      outcomes,
      sales: { count: contracts.length, total: fromCents(total) },
      appointments: outcomes.T,
      pausedSeconds,
    };
  }
}
