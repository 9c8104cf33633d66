import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Callback } from '../callbacks/callback.entity';
import { overdueCutoffSql, WAITING } from '../callbacks/callback-queries';
import { CampaignOperator } from '../campaigns/campaign-operator.entity';
import { Campaign } from '../campaigns/campaign.entity';
import { Contact } from '../contacts/contact.entity';
import { OutcomeStatus, type OutcomeType } from '../outcome-statuses/outcome-status.entity';
import { User } from '../users/user.entity';
import { ContactLease } from '../work/contact-lease.entity';
import { OperatorState } from './operator-state.entity';
import { OutcomeCounter } from './outcome-counter.entity';
import { PauseReason } from './pause-reason.entity';
import type { CallbacksWaiting, WallCounterRow, WallRows } from './wall-assembly';

/** Contacts left are counted at most this often (ms of real time); the wall shows the last count. */
const LEFT_TTL_MS = 10_000;

interface RawState {
  userId: number;
  state: OperatorState['state'];
  pauseReasonId: number | null;
  since: Date | string;
  seenAt: Date | string | null;
  lastStatusId: number | null;
  lastCampaignId: number | null;
  lastOutcomeAt: Date | string | null;
  recent: string | null;
}

/** mysql2 gives Dates; SQLite the text TypeORM stored (UTC). */
function asDate(value: Date | string | null): Date | null {
  if (value === null || value instanceof Date) return value;
  return new Date(value.includes('T') ? value : `${value.replace(' ', 'T')}Z`);
}

/** One tick's reads (WallQueries.read): the campaigns with their time zones. */
export type WallReads = Omit<WallRows, 'today' | 'contactsLeft' | 'campaigns'> & {
  campaigns: Array<Pick<Campaign, 'id' | 'code' | 'name' | 'timezone' | 'state'>>;
};

/**
 * The wall's reads: one row per operator (their state and last outcomes live on it), their
 * lease, the campaigns' members, statuses and pause reasons, the day's counters and the
 * callbacks waiting. A handful of queries whatever the history: none reads the interactions.
 */
@Injectable()
export class WallQueries {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * One tick's reads, at once: all but the contacts left (a count kept a while) and the
   * campaigns' local dates. `days`: the dates whose counters are read.
   */
  async read(now: Date, days: string[]): Promise<WallReads> {
    const [
      operators,
      states,
      leases,
      memberships,
      statuses,
      reasons,
      campaigns,
      counters,
      waiting,
    ] = await Promise.all([
      // Raw rows, not entities: TypeORM's hydration of ~8,000 rows cost more than the reads.
      this.dataSource
        .getRepository(User)
        .createQueryBuilder('u')
        .select('u.id', 'id')
        .addSelect('u.displayName', 'displayName')
        .addSelect('u.team', 'team')
        .where("u.role = 'operator'")
        .andWhere('u.active = :active', { active: true })
        .orderBy('u.displayName', 'ASC')
        .addOrderBy('u.id', 'ASC')
        .getRawMany<{ id: number; displayName: string; team: string | null }>(),
      this.dataSource
        .getRepository(OperatorState)
        .createQueryBuilder('s')
        .select('s.userId', 'userId')
        .addSelect('s.state', 'state')
        .addSelect('s.pauseReasonId', 'pauseReasonId')
        .addSelect('s.since', 'since')
        .addSelect('s.seenAt', 'seenAt')
        .addSelect('s.lastStatusId', 'lastStatusId')
        .addSelect('s.lastCampaignId', 'lastCampaignId')
        .addSelect('s.lastOutcomeAt', 'lastOutcomeAt')
        .addSelect('s.recent', 'recent')
        .getRawMany<RawState>()
        .then((rows) =>
          rows.map((r) => ({
            userId: r.userId,
            state: r.state,
            pauseReasonId: r.pauseReasonId,
            since: asDate(r.since)!,
            seenAt: asDate(r.seenAt),
            lastStatusId: r.lastStatusId,
            lastCampaignId: r.lastCampaignId,
            lastOutcomeAt: asDate(r.lastOutcomeAt),
            recent: r.recent,
          })),
        ),
      this.dataSource
        .getRepository(ContactLease)
        .createQueryBuilder('l')
        .select('l.contactId', 'contactId')
        .addSelect('l.userId', 'userId')
        .addSelect('l.campaignId', 'campaignId')
        .addSelect('l.startedAt', 'startedAt')
        .getRawMany<{
          contactId: number;
          userId: number;
          campaignId: number;
          startedAt: Date | string;
        }>()
        .then((rows) =>
          rows.map((r) => ({
            contactId: r.contactId,
            userId: r.userId,
            campaignId: r.campaignId,
            startedAt: asDate(r.startedAt)!,
          })),
        ),
      this.dataSource
        .getRepository(CampaignOperator)
        .createQueryBuilder('m')
        .select('m.campaignId', 'campaignId')
        .addSelect('m.userId', 'userId')
        .getRawMany<{ campaignId: number; userId: number }>(),
      this.dataSource.getRepository(OutcomeStatus).find({
        select: { id: true, code: true, label: true, labelEn: true, type: true, color: true },
      }),
      this.dataSource.getRepository(PauseReason).find(),
      this.dataSource.getRepository(Campaign).find({
        select: { id: true, code: true, name: true, timezone: true, state: true },
        order: { code: 'ASC' },
      }),
      this.countersOf(days),
      this.callbacksWaiting(now),
    ]);
    return {
      operators,
      states,
      leases,
      memberships,
      statuses,
      reasons,
      campaigns,
      counters,
      waiting,
    };
  }

  /** Outcomes per operator and campaign on these days, one row each with a column per type. */
  countersOf(days: string[]): Promise<WallCounterRow[]> {
    if (days.length === 0) return Promise.resolve([]);
    const perType = (type: OutcomeType) =>
      `SUM(CASE WHEN k.statusType = '${type}' THEN k.count ELSE 0 END)`;
    return this.dataSource
      .getRepository(OutcomeCounter)
      .createQueryBuilder('k')
      .select('k.day', 'day')
      .addSelect('k.campaignId', 'campaignId')
      .addSelect('k.operatorId', 'operatorId')
      .addSelect(perType('R'), 'R')
      .addSelect(perType('N'), 'N')
      .addSelect(perType('C'), 'C')
      .addSelect(perType('T'), 'T')
      .where('k.day IN (:...days)', { days })
      .groupBy('k.day')
      .addGroupBy('k.campaignId')
      .addGroupBy('k.operatorId')
      .getRawMany<WallCounterRow>();
  }

  private left: { at: number; counts: Promise<Map<number, number>> } | null = null;

  /**
   * Contacts still to call per campaign (new, or waiting for a retry): a count over every
   * such contact, so computed at most every LEFT_TTL_MS and served stale meanwhile.
   */
  contactsLeft(campaignIds: number[]): Promise<Map<number, number>> {
    // Real time, not the clock: its age is what matters, whatever the clock says.
    const at = performance.now();
    if (this.left && at - this.left.at < LEFT_TTL_MS) return this.left.counts;
    const previous = this.left?.counts;
    const counts = this.countContactsLeft(campaignIds);
    this.left = { at, counts };
    counts.catch(() => (this.left = null));
    // While the new count runs, the wall shows the last one.
    return previous ?? counts;
  }

  private async countContactsLeft(campaignIds: number[]): Promise<Map<number, number>> {
    if (campaignIds.length === 0) return new Map();
    // campaign_id IN (...) makes it a range of (campaign_id, state), not the whole index.
    const rows = await this.dataSource
      .getRepository(Contact)
      .createQueryBuilder('c')
      .select('c.campaignId', 'campaignId')
      .addSelect('COUNT(*)', 'count')
      .where('c.campaignId IN (:...campaignIds)', { campaignIds })
      .andWhere('c.state IN (:...states)', { states: ['new', 'retry'] })
      .groupBy('c.campaignId')
      .getRawMany<{ campaignId: number; count: number | string }>();
    return new Map(rows.map((r) => [Number(r.campaignId), Number(r.count)]));
  }

  /** Callbacks due now per campaign, those past their campaign's grace, and per private owner. */
  async callbacksWaiting(now: Date): Promise<CallbacksWaiting> {
    const rows = await this.dataSource
      .getRepository(Callback)
      .createQueryBuilder('cb')
      .innerJoin('cb.campaign', 'c')
      .select('cb.campaignId', 'campaignId')
      .addSelect("CASE WHEN cb.visibility = 'private' THEN cb.ownerId END", 'ownerId')
      .addSelect('COUNT(*)', 'due')
      .addSelect(
        `SUM(CASE WHEN cb.dueAt <= ${overdueCutoffSql(this.dataSource)} THEN 1 ELSE 0 END)`,
        'overdue',
      )
      .where('cb.state IN (:...waiting)', { waiting: [...WAITING] })
      .andWhere('cb.dueAt <= :now', { now })
      .groupBy('cb.campaignId')
      .addGroupBy("CASE WHEN cb.visibility = 'private' THEN cb.ownerId END")
      .getRawMany<{
        campaignId: number;
        ownerId: number | null;
        due: number | string;
        overdue: number | string | null;
      }>();
    const dueByCampaign = new Map<number, number>();
    const overdueByCampaign = new Map<number, number>();
    const overdueByOwner = new Map<number, number>();
    const add = (map: Map<number, number>, key: number, n: number) =>
      map.set(key, (map.get(key) ?? 0) + n);
    for (const row of rows) {
      const campaignId = Number(row.campaignId);
      const overdue = Number(row.overdue ?? 0);
      add(dueByCampaign, campaignId, Number(row.due));
      add(overdueByCampaign, campaignId, overdue);
      if (row.ownerId !== null && overdue > 0) add(overdueByOwner, Number(row.ownerId), overdue);
    }
    return { dueByCampaign, overdueByCampaign, overdueByOwner };
  }
}
