import type { Campaign } from '../campaigns/campaign.entity';
import {
  OUTCOME_TYPES,
  type OutcomeStatus,
  type OutcomeType,
} from '../outcome-statuses/outcome-status.entity';
import { isPresent } from './operator-activity.service';
import type { OperatorState, OperatorStateName } from './operator-state.entity';
import type { PauseReason } from './pause-reason.entity';

/*
 * The coordinators' wall put together from the rows WallQueries read: pure (no database,
 * no clock), so the rules of a tile (its state, time in state, counts, what asks for
 * attention) are unit-tested beside it. A WallMemo kept from one tick to the next only
 * saves work: the answer is the same with a fresh one.
 */

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

/** One operator's row of operator_state, its instants as Dates. */
export interface WallStateRow {
  userId: number;
  state: OperatorState['state'];
  pauseReasonId: number | null;
  since: Date;
  seenAt: Date | null;
  lastStatusId: number | null;
  lastCampaignId: number | null;
  lastOutcomeAt: Date | null;
  /** The last hour's outcomes, `statusId:unixMinute ...` */
  recent: string | null;
}

/** Today's outcomes of one operator in one campaign, a column per type (numbers or text). */
export type WallCounterRow = {
  day: string;
  campaignId: number | string;
  operatorId: number | string;
} & Record<OutcomeType, number | string>;

/** Callbacks due now per campaign, those past their campaign's grace, and per private owner. */
export interface CallbacksWaiting {
  dueByCampaign: Map<number, number>;
  overdueByCampaign: Map<number, number>;
  overdueByOwner: Map<number, number>;
}

/** Everything the wall is made of, as read at one tick. */
export interface WallRows {
  /** Active operators, in the wall's order (name, then id). */
  operators: Array<{ id: number; displayName: string; team: string | null }>;
  states: WallStateRow[];
  leases: Array<{ contactId: number; userId: number; campaignId: number; startedAt: Date }>;
  memberships: Array<{ campaignId: number; userId: number }>;
  statuses: Array<Pick<OutcomeStatus, 'id' | 'code' | 'label' | 'labelEn' | 'type' | 'color'>>;
  reasons: Array<Pick<PauseReason, 'id' | 'code' | 'label' | 'labelEn' | 'maxMinutes'>>;
  /** In the wall's order (code). */
  campaigns: Array<Pick<Campaign, 'id' | 'code' | 'name' | 'state'>>;
  /** Each campaign's local date now: only counters of that day are today's. */
  today: Map<number, string>;
  counters: WallCounterRow[];
  contactsLeft: Map<number, number>;
  waiting: CallbacksWaiting;
}

export interface WallSettings {
  /** A contact open longer than this asks for attention. */
  longContactMs: number;
}

/**
 * The last hour's outcomes of one operator by status, the most frequent first: one pass over
 * `statusId:unixMinute ...` without splitting it (2,000 operators x 60 entries every tick).
 */
export function recentMarks(
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

export const zeroCounts = (): TypeCounts => ({ R: 0, N: 0, C: 0, T: 0 });

type StatusRow = WallRows['statuses'][number];

/**
 * What one tick leaves for the next, to spare work on a wall of thousands of tiles: the
 * ISO texts of instants, the statuses' marks and each operator's strip.
 */
export class WallMemo {
  /**
   * The ISO text of the instants the tiles show, kept while they are shown: they seldom change
   * from one tick to the next, and 4,000 toISOString() a tick cost about a millisecond.
   */
  private readonly isoTexts = new Map<number, string>();

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

  iso(date: Date): string {
    const time = date.getTime();
    let text = this.isoTexts.get(time);
    if (text === undefined) {
      if (this.isoTexts.size >= 20_000) this.isoTexts.clear();
      text = date.toISOString();
      this.isoTexts.set(time, text);
    }
    return text;
  }

  /**
   * The last snapshot's marks while the statuses are the same: the strips kept compare
   * them by reference.
   */
  marksOf(statuses: StatusRow[]): Map<number, OutcomeMark> {
    const marksKey = JSON.stringify(statuses);
    if (marksKey !== this.marksKey) {
      this.marksKey = marksKey;
      this.marks = new Map(statuses.map((s) => [s.id, mark(s)]));
    }
    return this.marks;
  }

  recentOf(
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
}

function mark(status: StatusRow): OutcomeMark {
  return {
    code: status.code,
    label: status.label,
    labelEn: status.labelEn,
    type: status.type,
    color: status.color,
  };
}

/** The wall at `now` from the rows of one tick: a tile per operator, a summary per campaign. */
export function assembleWall(
  rows: WallRows,
  now: Date,
  settings: WallSettings,
  memo: WallMemo = new WallMemo(),
): WallSnapshot {
  const { operators, waiting } = rows;
  const statusById = new Map(rows.statuses.map((s) => [s.id, s]));
  const reasonById = new Map(rows.reasons.map((r) => [r.id, r]));
  const stateByUser = new Map(rows.states.map((s) => [s.userId, s]));
  const leaseByUser = new Map(rows.leases.map((l) => [l.userId, l]));
  const campaignsByUser = new Map<number, number[]>();
  for (const m of rows.memberships) {
    const campaignIds = campaignsByUser.get(m.userId);
    if (campaignIds) campaignIds.push(m.campaignId);
    else campaignsByUser.set(m.userId, [m.campaignId]);
  }
  const countsByUser = new Map<number, Record<number, TypeCounts>>();
  const countsByCampaign = new Map<number, TypeCounts>();
  for (const counter of rows.counters) {
    const campaignId = Number(counter.campaignId);
    if (rows.today.get(campaignId) !== counter.day) continue;
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
  const marks = memo.marksOf(rows.statuses);
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
    if (state === 'on_contact' && inState > settings.longContactMs) attention.push('contact_long');
    if (overdue > 0) attention.push('callbacks_overdue');
    return {
      operatorId: user.id,
      name: user.displayName,
      team: user.team,
      state,
      since: since ? memo.iso(since) : null,
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
              at: memo.iso(row.lastOutcomeAt),
              campaignId: row.lastCampaignId,
            }
          : null,
      counts,
      countsByCampaign: perCampaign,
      recent: memo.recentOf(user.id, row?.recent ?? null, now, marks),
      callbacksOverdue: overdue,
      attention,
      campaignIds: campaignsByUser.get(user.id) ?? [],
    };
  });

  const summaries = rows.campaigns
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
        contactsLeft: rows.contactsLeft.get(c.id) ?? 0,
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
