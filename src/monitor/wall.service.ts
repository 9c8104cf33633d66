import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
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

/**
 * The last hour's outcomes of one operator by status, the most frequent first: one pass over
 * `statusId:unixMinute ...` without splitting it (2,000 operators x 60 entries every tick).
 */
function recentMarks(
  recent: string | null,
  now: Date,
  marks: Map<number, OutcomeMark>,
): WallTile['recent'] {
  if (!recent) return [];
  const from = Math.floor(now.getTime() / 60_000) - 60;
  const counts = new Map<number, number>();
  let statusId = 0;
  let minute = 0;
  let inMinute = false;
  for (let i = 0; i <= recent.length; i++) {
    const c = i < recent.length ? recent.charCodeAt(i) : 32; // a space ends the last entry
    if (c === 58)
      inMinute = true; // ':'
    else if (c === 32) {
      if (minute > from && marks.has(statusId))
        counts.set(statusId, (counts.get(statusId) ?? 0) + 1);
      statusId = 0;
      minute = 0;
      inMinute = false;
    } else if (inMinute) minute = minute * 10 + c - 48;
    else statusId = statusId * 10 + c - 48;
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .map(([id, count]) => {
      // Properties copied, not spread: 16,000 spreads a tick cost ~10 ms.
      const m = marks.get(id)!;
      return {
        code: m.code,
        label: m.label,
        labelEn: m.labelEn,
        type: m.type,
        color: m.color,
        count,
      };
    });
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
    // Today's counters are read with the rest, for the days today was at the last snapshot
    // in the campaigns' time zones; a day missing from them (a new campaign's zone, local
    // midnight since) is read after.
    const daysRead = this.days.length
      ? this.days
      : [toZonedLocal(now, this.config.get('TIMEZONE')).slice(0, 10)];
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
      this.countersOf(daysRead),
      this.callbacksWaiting(now),
    ]);
    const today = new Map(campaigns.map((c) => [c.id, toZonedLocal(now, c.timezone).slice(0, 10)]));
    this.days = [...new Set(today.values())];
    const missing = this.days.filter((day) => !daysRead.includes(day));
    const [late, left] = await Promise.all([
      this.countersOf(missing),
      this.contactsLeft(campaigns.map((c) => c.id)),
    ]);

    const statusById = new Map(statuses.map((s) => [s.id, s]));
    const reasonById = new Map(reasons.map((r) => [r.id, r]));
    const stateByUser = new Map(states.map((s) => [s.userId, s]));
    const leaseByUser = new Map(leases.map((l) => [l.userId, l]));
    const campaignsByUser = new Map<number, number[]>();
    for (const m of memberships) {
      const campaignIds = campaignsByUser.get(m.userId);
      if (campaignIds) campaignIds.push(m.campaignId);
      else campaignsByUser.set(m.userId, [m.campaignId]);
    }
    const countsByUser = new Map<number, Record<number, TypeCounts>>();
    const countsByCampaign = new Map<number, TypeCounts>();
    for (const counter of [...counters, ...late]) {
      const campaignId = Number(counter.campaignId);
      if (today.get(campaignId) !== counter.day) continue;
      const counts: TypeCounts = {
        R: Number(counter.R),
        N: Number(counter.N),
        C: Number(counter.C),
        T: Number(counter.T),
      };
      const operatorId = Number(counter.operatorId);
      const perCampaign = countsByUser.get(operatorId) ?? {};
      countsByUser.set(operatorId, perCampaign);
      perCampaign[campaignId] = counts;
      const campaignCounts = countsByCampaign.get(campaignId) ?? zeroCounts();
      countsByCampaign.set(campaignId, campaignCounts);
      for (const type of OUTCOME_TYPES) campaignCounts[type] += counts[type];
    }
    const longContactMs = this.config.get('MONITOR_LONG_CONTACT_MINUTES') * 60_000;
    const mark = (status: OutcomeStatus): OutcomeMark => ({
      code: status.code,
      label: status.label,
      labelEn: status.labelEn,
      type: status.type,
      color: status.color,
    });

    // The last snapshot's marks while the statuses are the same: the strips kept compare
    // them by reference.
    const marksKey = JSON.stringify(statuses);
    if (marksKey !== this.marksKey) {
      this.marksKey = marksKey;
      this.marks = new Map(statuses.map((s) => [s.id, mark(s)]));
    }
    const marks = this.marks;
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
        since: since ? this.iso(since) : null,
        pauseReason: reason
          ? { id: reason.id, code: reason.code, label: reason.label, labelEn: reason.labelEn }
          : null,
        contact: lease ? { id: lease.contactId, campaignId: lease.campaignId } : null,
        lastOutcome:
          last && row?.lastOutcomeAt
            ? {
                code: last.code,
                label: last.label,
                labelEn: last.labelEn,
                type: last.type,
                color: last.color,
                at: this.iso(row.lastOutcomeAt),
                campaignId: row.lastCampaignId,
              }
            : null,
        counts,
        countsByCampaign: perCampaign,
        recent: this.recentOf(user.id, row?.recent ?? null, now, marks),
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

  /** The campaigns' local dates at the last snapshot: the days whose counters are today's. */
  private days: string[] = [];

  /** Outcomes per operator and campaign on these days, one row each with a column per type. */
  private countersOf(days: string[]) {
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
      .getRawMany<
        { day: string; campaignId: number | string; operatorId: number | string } & Record<
          OutcomeType,
          number | string
        >
      >();
  }

  /**
   * The ISO text of the instants the tiles show, kept while they are shown: they seldom change
   * from one tick to the next, and 4,000 toISOString() a tick cost about a millisecond.
   */
  private readonly isoTexts = new Map<number, string>();

  private iso(date: Date): string {
    const time = date.getTime();
    let text = this.isoTexts.get(time);
    if (text === undefined) {
      if (this.isoTexts.size >= 20_000) this.isoTexts.clear();
      text = date.toISOString();
      this.isoTexts.set(time, text);
    }
    return text;
  }

  /** The statuses of the last snapshot, as text and as the marks the strips are made of. */
  private marksKey = '';
  private marks = new Map<number, OutcomeMark>();

  /** Each operator's strip as last computed: it changes with an outcome or the minute. */
  private readonly strips = new Map<
    number,
    {
      text: string | null;
      minute: number;
      marks: Map<number, OutcomeMark>;
      strip: WallTile['recent'];
    }
  >();

  private recentOf(
    userId: number,
    text: string | null,
    now: Date,
    marks: Map<number, OutcomeMark>,
  ): WallTile['recent'] {
    const minute = Math.floor(now.getTime() / 60_000);
    const kept = this.strips.get(userId);
    if (kept && kept.text === text && kept.minute === minute && kept.marks === marks)
      return kept.strip;
    const strip = recentMarks(text, now, marks);
    this.strips.set(userId, { text, minute, marks, strip });
    return strip;
  }

  private left: { at: number; counts: Promise<Map<number, number>> } | null = null;

  /**
   * Contacts still to call per campaign (new, or waiting for a retry): a count over every
   * such contact, so computed at most every LEFT_TTL_MS and served stale meanwhile.
   */
  private contactsLeft(campaignIds: number[]): Promise<Map<number, number>> {
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
