import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { Callback } from '../callbacks/callback.entity';
import { overdueCutoffSql, WAITING } from '../callbacks/callbacks.service';
import { CampaignOperator } from '../campaigns/campaign-operator.entity';
import { Campaign } from '../campaigns/campaign.entity';
import { toZonedLocal } from '../common/time/local-time';
import { AppConfigService } from '../config/app-config.service';
import { Contact } from '../contacts/contact.entity';
import {
  OUTCOME_TYPES,
  OutcomeStatus,
  type OutcomeType,
} from '../outcome-statuses/outcome-status.entity';
import { User } from '../users/user.entity';
import { ContactLease } from '../work/contact-lease.entity';
import { isPresent } from './operator-activity.service';
import { OperatorState, type OperatorStateName } from './operator-state.entity';
import { OutcomeCounter } from './outcome-counter.entity';
import { PauseReason } from './pause-reason.entity';

export type TypeCounts = Record<OutcomeType, number>;

/** Why a tile stands out. */
export const ATTENTION = ['pause_long', 'contact_long', 'callbacks_overdue'] as const;
export type Attention = (typeof ATTENTION)[number];

export interface OutcomeMark {
  code: string;
  label: string;
  labelEn: string | null;
  type: OutcomeType;
  color: string;
}

/** One operator's tile. */
export interface WallTile {
  operatorId: number;
  name: string;
  team: string | null;
  state: OperatorStateName;
  /** When the state began (ISO), time in state counted from it; null: never seen. */
  since: string | null;
  pauseReason: { id: number; code: string; label: string; labelEn: string | null } | null;
  contact: { id: number; campaignId: number } | null;
  lastOutcome: (OutcomeMark & { at: string; campaignId: number | null }) | null;
  /** Today's outcomes by type (each campaign's own day). */
  counts: TypeCounts;
  /** The same per campaign, for the campaign filter. */
  countsByCampaign: Record<number, TypeCounts>;
  /** The last hour's outcomes by status, the most frequent first. */
  recent: Array<OutcomeMark & { count: number }>;
  callbacksOverdue: number;
  attention: Attention[];
  campaignIds: number[];
}

export interface CampaignSummary {
  id: number;
  code: string;
  name: string;
  counts: TypeCounts;
  total: number;
  /** Closes and appointments over all of today's outcomes; null before the first one. */
  conversionRate: number | null;
  contactsLeft: number;
  callbacksDue: number;
  callbacksOverdue: number;
}

export interface WallSnapshot {
  at: string;
  operators: WallTile[];
  campaigns: CampaignSummary[];
  teams: string[];
}

export interface WallFilter {
  campaignId?: number;
  team?: string;
}

const zeroCounts = (): TypeCounts => ({ R: 0, N: 0, C: 0, T: 0 });

/**
 * The coordinators' wall, computed from the database alone (so every app instance shows the
 * same): one row per operator (their state and last outcomes live on it), their lease, the
 * day's counters, and the callbacks waiting. A handful of queries whatever the history:
 * none of them reads the interactions.
 */
@Injectable()
export class WallService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfigService,
  ) {}

  async snapshot(now: Date): Promise<WallSnapshot> {
    const [operators, states, leases, memberships, statuses, reasons, campaigns] =
      await Promise.all([
        this.dataSource.getRepository(User).find({
          where: { role: 'operator', active: true },
          select: { id: true, displayName: true, team: true },
          order: { displayName: 'ASC', id: 'ASC' },
        }),
        this.dataSource.getRepository(OperatorState).find(),
        this.dataSource.getRepository(ContactLease).find({
          select: { contactId: true, userId: true, campaignId: true, startedAt: true },
        }),
        this.dataSource.getRepository(CampaignOperator).find(),
        this.dataSource.getRepository(OutcomeStatus).find({
          select: { id: true, code: true, label: true, labelEn: true, type: true, color: true },
        }),
        this.dataSource.getRepository(PauseReason).find(),
        this.dataSource.getRepository(Campaign).find({
          select: { id: true, code: true, name: true, timezone: true, state: true },
          order: { code: 'ASC' },
        }),
      ]);
    const today = new Map(campaigns.map((c) => [c.id, toZonedLocal(now, c.timezone).slice(0, 10)]));
    const [counters, left, waiting] = await Promise.all([
      this.dataSource
        .getRepository(OutcomeCounter)
        .find({ where: { day: In([...new Set(today.values())]) } }),
      this.contactsLeft(),
      this.callbacksWaiting(now),
    ]);

    const statusById = new Map(statuses.map((s) => [s.id, s]));
    const reasonById = new Map(reasons.map((r) => [r.id, r]));
    const stateByUser = new Map(states.map((s) => [s.userId, s]));
    const leaseByUser = new Map(leases.map((l) => [l.userId, l]));
    const campaignsByUser = new Map<number, number[]>();
    for (const m of memberships) {
      campaignsByUser.set(m.userId, [...(campaignsByUser.get(m.userId) ?? []), m.campaignId]);
    }
    const countsByUser = new Map<number, Record<number, TypeCounts>>();
    const countsByCampaign = new Map<number, TypeCounts>();
    for (const counter of counters) {
      if (today.get(counter.campaignId) !== counter.day) continue;
      const perCampaign = countsByUser.get(counter.operatorId) ?? {};
      countsByUser.set(counter.operatorId, perCampaign);
      (perCampaign[counter.campaignId] ??= zeroCounts())[counter.statusType] += counter.count;
      const campaignCounts = countsByCampaign.get(counter.campaignId) ?? zeroCounts();
      countsByCampaign.set(counter.campaignId, campaignCounts);
      campaignCounts[counter.statusType] += counter.count;
    }
    const longContactMs = this.config.get('MONITOR_LONG_CONTACT_MINUTES') * 60_000;
    const mark = (status: OutcomeStatus): OutcomeMark => ({
      code: status.code,
      label: status.label,
      labelEn: status.labelEn,
      type: status.type,
      color: status.color,
    });

    const tiles = operators.map((user): WallTile => {
      const row = stateByUser.get(user.id);
      const lease = leaseByUser.get(user.id);
      let state: OperatorStateName = 'logged_out';
      let since = row?.since ?? null;
      if (lease) {
        state = 'on_contact';
        since = lease.startedAt;
      } else if (row && isPresent(row, now)) {
        state = row.state;
      } else if (row?.state !== 'logged_out' && row?.seenAt) {
        since = row.seenAt;
      }
      const reason =
        state === 'paused' && row?.pauseReasonId ? reasonById.get(row.pauseReasonId) : undefined;
      const last = row?.lastStatusId ? statusById.get(row.lastStatusId) : undefined;
      const perCampaign = countsByUser.get(user.id) ?? {};
      const counts = zeroCounts();
      for (const c of Object.values(perCampaign)) {
        for (const type of OUTCOME_TYPES) counts[type] += c[type];
      }
      const overdue = waiting.overdueByOwner.get(user.id) ?? 0;
      const attention: Attention[] = [];
      const inState = since ? now.getTime() - since.getTime() : 0;
      if (reason?.maxMinutes != null && inState > reason.maxMinutes * 60_000) {
        attention.push('pause_long');
      }
      if (state === 'on_contact' && inState > longContactMs) attention.push('contact_long');
      if (overdue > 0) attention.push('callbacks_overdue');
      return {
        operatorId: user.id,
        name: user.displayName,
        team: user.team,
        state,
        since: since?.toISOString() ?? null,
        pauseReason: reason
          ? { id: reason.id, code: reason.code, label: reason.label, labelEn: reason.labelEn }
          : null,
        contact: lease ? { id: lease.contactId, campaignId: lease.campaignId } : null,
        lastOutcome:
          last && row?.lastOutcomeAt
            ? { ...mark(last), at: row.lastOutcomeAt.toISOString(), campaignId: row.lastCampaignId }
            : null,
        counts,
        countsByCampaign: perCampaign,
        recent: this.recent(row?.recent ?? null, now, statusById, mark),
        callbacksOverdue: overdue,
        attention,
        campaignIds: campaignsByUser.get(user.id) ?? [],
      };
    });

    const summaries = campaigns
      .filter((c) => c.state === 'active' || countsByCampaign.has(c.id))
      .map((c): CampaignSummary => {
        const counts = countsByCampaign.get(c.id) ?? zeroCounts();
        const total = OUTCOME_TYPES.reduce((sum, type) => sum + counts[type], 0);
        return {
          id: c.id,
          code: c.code,
          name: c.name,
          counts,
          total,
          conversionRate: total ? (counts.C + counts.T) / total : null,
          contactsLeft: left.get(c.id) ?? 0,
          callbacksDue: waiting.dueByCampaign.get(c.id) ?? 0,
          callbacksOverdue: waiting.overdueByCampaign.get(c.id) ?? 0,
        };
      });
    const teams = [...new Set(operators.map((o) => o.team).filter((t): t is string => !!t))];
    return {
      at: now.toISOString(),
      operators: tiles,
      campaigns: summaries,
      teams: teams.sort((a, b) => a.localeCompare(b)),
    };
  }

  /** The last hour's outcomes of one operator by status, the most frequent first. */
  private recent(
    recent: string | null,
    now: Date,
    statusById: Map<number, OutcomeStatus>,
    mark: (status: OutcomeStatus) => OutcomeMark,
  ): WallTile['recent'] {
    if (!recent) return [];
    const from = Math.floor(now.getTime() / 60_000) - 60;
    const counts = new Map<number, number>();
    for (const entry of recent.split(' ')) {
      const [statusId, minute] = entry.split(':').map(Number);
      if (minute! > from && statusById.has(statusId!)) {
        counts.set(statusId!, (counts.get(statusId!) ?? 0) + 1);
      }
    }
    return [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .map(([statusId, count]) => ({ ...mark(statusById.get(statusId)!), count }));
  }

  /** Contacts still to call per campaign (new, or waiting for a retry). */
  private async contactsLeft(): Promise<Map<number, number>> {
    const rows = await this.dataSource
      .getRepository(Contact)
      .createQueryBuilder('c')
      .select('c.campaignId', 'campaignId')
      .addSelect('COUNT(*)', 'count')
      .where('c.state IN (:...states)', { states: ['new', 'retry'] })
      .groupBy('c.campaignId')
      .getRawMany<{ campaignId: number; count: number | string }>();
    return new Map(rows.map((r) => [Number(r.campaignId), Number(r.count)]));
  }

  /** Callbacks due now per campaign, those past their campaign's grace, and per private owner. */
  private async callbacksWaiting(now: Date) {
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

/** The wall as one coordinator filters it: tiles of one campaign's operators or one team. */
export function filterWall(snapshot: WallSnapshot, filter: WallFilter): WallSnapshot {
  const { campaignId, team } = filter;
  let operators = snapshot.operators;
  if (team) operators = operators.filter((o) => o.team === team);
  if (campaignId) {
    operators = operators
      .filter((o) => o.campaignIds.includes(campaignId) || o.countsByCampaign[campaignId])
      .map((o) => ({ ...o, counts: o.countsByCampaign[campaignId] ?? zeroCounts() }));
  }
  return {
    ...snapshot,
    operators,
    campaigns: campaignId
      ? snapshot.campaigns.filter((c) => c.id === campaignId)
      : snapshot.campaigns,
  };
}
