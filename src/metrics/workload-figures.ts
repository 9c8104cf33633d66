import { Injectable } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { WAITING } from '../callbacks/callback-queries';
import { Callback } from '../callbacks/callback.entity';
import { Campaign } from '../campaigns/campaign.entity';
import { Clock } from '../common/time/clock';
import { Contact } from '../contacts/contact.entity';
import { FollowUpEmail } from '../follow-ups/follow-up-email.entity';
import { ContactLease } from '../work/contact-lease.entity';

/** A scrape's figures are kept this long (ms of real time): many scrapers cost one read. */
export const WORKLOAD_TTL_MS = 5_000;

/** Contacts still to call are counted in these states. */
export const QUEUED_STATES = ['new', 'retry'] as const;

export interface WorkloadFigures {
  /** Campaign id -> code, every campaign (labels). */
  campaigns: Map<number, string>;
  /** The campaigns being dispatched (not paused). */
  activeCampaignIds: number[];
  /** Leases held now, by campaign. */
  leases: Map<number, number>;
  /** Contacts waiting to be called in the active campaigns, by campaign and state. */
  queued: Array<{ campaignId: number; state: string; count: number }>;
  /** Callbacks fallen due and not yet taken, by campaign. */
  callbacksDue: Map<number, number>;
  /** Follow-up e-mails in the outbox by state (queued, sending). */
  outbox: Map<string, number>;
  /** Seconds the oldest queued e-mail has been due (0 when none is). */
  outboxOldestDueSeconds: number;
}

/** mysql2 gives Dates; SQLite the text TypeORM stored (UTC). */
function asDate(value: Date | string | null | undefined): Date | null {
  if (value === null || value === undefined || value instanceof Date) return value ?? null;
  return new Date(value.includes('T') ? value : `${value.replace(' ', 'T')}Z`);
}

function byId(rows: Array<{ id: number | string; count: number | string }>): Map<number, number> {
  return new Map(rows.map((r) => [Number(r.id), Number(r.count)]));
}

/**
 * What the call centre has waiting, read for GET /metrics. Every query is a range of an index
 * or a small table: leases (one row per operator at most), contacts by (campaign_id, state)
 * as the wall counts them, callbacks by (state, due_at), the outbox by (state,
 * next_attempt_at). Kept WORKLOAD_TTL_MS, shared by the scrapes that come meanwhile.
 */
@Injectable()
export class WorkloadReader {
  private cached: { at: number; figures: Promise<WorkloadFigures> } | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  read(): Promise<WorkloadFigures> {
    const at = performance.now();
    if (this.cached && at - this.cached.at < WORKLOAD_TTL_MS) return this.cached.figures;
    const figures = this.readNow();
    this.cached = { at, figures };
    figures.catch(() => (this.cached = null));
    return figures;
  }

  private async readNow(): Promise<WorkloadFigures> {
    const now = this.clock.now();
    const campaigns = await this.dataSource
      .getRepository(Campaign)
      .createQueryBuilder('c')
      .select('c.id', 'id')
      .addSelect('c.code', 'code')
      .addSelect('c.state', 'state')
      .getRawMany<{ id: number | string; code: string; state: string }>();
    const active = campaigns.filter((c) => c.state === 'active').map((c) => Number(c.id));
    const [leases, queued, callbacksDue, outbox, oldest] = await Promise.all([
      this.dataSource
        .getRepository(ContactLease)
        .createQueryBuilder('l')
        .select('l.campaignId', 'id')
        .addSelect('COUNT(*)', 'count')
        .groupBy('l.campaignId')
        .getRawMany<{ id: number; count: number | string }>(),
      active.length === 0
        ? Promise.resolve([])
        : this.dataSource
            .getRepository(Contact)
            .createQueryBuilder('c')
            .select('c.campaignId', 'campaignId')
            .addSelect('c.state', 'state')
            .addSelect('COUNT(*)', 'count')
            // campaign_id IN (...) makes it ranges of (campaign_id, state), not the whole index.
            .where('c.campaignId IN (:...active)', { active })
            .andWhere('c.state IN (:...states)', { states: [...QUEUED_STATES] })
            .groupBy('c.campaignId')
            .addGroupBy('c.state')
            .getRawMany<{ campaignId: number; state: string; count: number | string }>(),
      this.dataSource
        .getRepository(Callback)
        .createQueryBuilder('cb')
        .select('cb.campaignId', 'id')
        .addSelect('COUNT(*)', 'count')
        .where('cb.state IN (:...waiting)', { waiting: [...WAITING] })
        .andWhere('cb.dueAt <= :now', { now })
        .groupBy('cb.campaignId')
        .getRawMany<{ id: number; count: number | string }>(),
      this.dataSource
        .getRepository(FollowUpEmail)
        .createQueryBuilder('f')
        .select('f.state', 'state')
        .addSelect('COUNT(*)', 'count')
        .where('f.state IN (:...states)', { states: ['queued', 'sending'] })
        .groupBy('f.state')
        .getRawMany<{ state: string; count: number | string }>(),
      this.dataSource
        .getRepository(FollowUpEmail)
        .createQueryBuilder('f')
        .select('MIN(f.nextAttemptAt)', 'oldest')
        .where("f.state = 'queued'")
        .andWhere('f.nextAttemptAt <= :now', { now })
        .getRawOne<{ oldest: Date | string | null }>(),
    ]);
    const oldestDue = asDate(oldest?.oldest);
    return {
      campaigns: new Map(campaigns.map((c) => [Number(c.id), c.code])),
      activeCampaignIds: active,
      leases: byId(leases),
      queued: queued.map((r) => ({
        campaignId: Number(r.campaignId),
        state: r.state,
        count: Number(r.count),
      })),
      callbacksDue: byId(callbacksDue),
      outbox: new Map(outbox.map((r) => [r.state, Number(r.count)])),
      outboxOldestDueSeconds: oldestDue
        ? Math.max(0, (now.getTime() - oldestDue.getTime()) / 1000)
        : 0,
    };
  }
}
