import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfigService } from '../config/app-config.service';
import { ConflictError, ValidationError } from '../common/errors/domain-errors';
import { forUpdate } from '../common/database/row-lock';
import { retriedTransaction } from '../common/database/retried-transaction';
import { addToCounter } from '../common/database/sql-dialect';
import { addDays } from '../common/time/calendar-day';
import { Clock } from '../common/time/clock';
import { toZonedLocal, zonedLocalToUtc } from '../common/time/local-time';
import type { OutcomeType } from '../outcome-statuses/outcome-status.entity';
import { ContactLease } from '../work/contact-lease.entity';
import { OperatorState, type StoredOperatorState } from './operator-state.entity';
import type { TimedState } from './operator-state-day.entity';
import { PauseReason } from './pause-reason.entity';

/**
 * The state transactions run READ COMMITTED: a first row created for two operators at once
 * must not meet the gap locks REPEATABLE READ takes on rows that do not exist yet (30
 * operators starting together deadlocked past the retries).
 */
const READ_COMMITTED = { readCommitted: true };

/** A page that has not said it is there for this long reads as logged out. */
export const PRESENCE_TIMEOUT_MS = 150_000;
/** The outcomes of the last hour an operator's row keeps for the wall's strip. */
const RECENT_WINDOW_MINUTES = 60;
const RECENT_MAX = 60;

export interface OutcomeRecord {
  userId: number;
  campaignId: number;
  campaignZone: string;
  statusId: number;
  statusType: OutcomeType;
  /** When the contact was handed to the operator: the time on it ends now. */
  leasedAt: Date;
  at: Date;
}

/** What the operator's own page shows of their state. */
export interface OwnState {
  state: StoredOperatorState | 'on_contact';
  since: string;
  pauseReasonId: number | null;
}

/**
 * What operators do, as the wall and the reports need it: their state (ready, paused with a
 * reason, logged out; on a contact while they hold a lease), the seconds spent in each per
 * day, and their outcomes counted by day and type, by hour and status, and as their last
 * outcomes. The outcome's part runs in the outcome's own transaction (invariant 2).
 */
@Injectable()
export class OperatorActivityService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfigService,
    private readonly clock: Clock,
  ) {}

  /** Counts a confirmed outcome; `em` is the outcome's transaction. */
  async recordOutcome(em: EntityManager, outcome: OutcomeRecord): Promise<void> {
    const { userId, campaignId, statusId, at } = outcome;
    const local = toZonedLocal(at, outcome.campaignZone);
    const day = local.slice(0, 10);
    await addToCounter(
      em,
      'outcome_counters',
      { day, campaign_id: campaignId, operator_id: userId, status_type: outcome.statusType },
      'count',
      1,
    );
    await addToCounter(
      em,
      'outcome_hours',
      {
        day,
        hour: Number(local.slice(11, 13)),
        campaign_id: campaignId,
        operator_id: userId,
        status_id: statusId,
      },
      'count',
      1,
    );
    await this.addSeconds(em, userId, 'on_contact', 0, outcome.leasedAt, at);
    const row = await this.lockedRow(em, userId, at);
    // UPDATE, not save(): save() looks for the row with a plain read, which in REPEATABLE READ
    // may not see a row another transaction created after ours began, and would INSERT it again.
    const last = {
      lastStatusId: statusId,
      lastCampaignId: campaignId,
      lastOutcomeAt: at,
      recent: withRecent(row.recent, statusId, at),
    };
    Object.assign(row, last);
    // Ready again from the end of this call, in the same UPDATE as the outcome it saw.
    if (row.state === 'ready') await this.enter(em, row, 'ready', null, at, true, last);
    else await em.update(OperatorState, { userId }, last);
  }

  /**
   * A contact given back without an outcome: its time still counts. `byOperator`: they
   * discarded it (they are at their page); otherwise it expired.
   */
  async recordRelease(
    em: EntityManager,
    lease: ContactLease,
    at: Date,
    byOperator = false,
  ): Promise<void> {
    const ended = leaseCountedUntil(lease, at);
    await this.addSeconds(em, lease.userId, 'on_contact', 0, lease.startedAt, ended);
    await this.readyAgain(em, await this.lockedRow(em, lease.userId, at), ended, byOperator);
  }

  /**
   * A call ended at `at`: a ready operator is ready again from then, so the time ready on
   * their bar and the wall counts from the end of their last call, not from the morning.
   * The ready seconds so far are counted as any change of state counts them. An expired
   * lease (`byOperator` false) does not bring back an operator whose page went quiet.
   */
  private async readyAgain(
    em: EntityManager,
    row: OperatorState,
    at: Date,
    byOperator: boolean,
  ): Promise<void> {
    if (row.state !== 'ready') return;
    if (byOperator) await this.enter(em, row, 'ready', null, at);
    else if (isPresent(row, at)) await this.enter(em, row, 'ready', null, at, false);
  }

  /** Ready or paused, as the operator says on their page; a pause needs a reason. */
  async set(
    userId: number,
    state: 'ready' | 'paused',
    pauseReasonId: number | null,
  ): Promise<OwnState> {
    return retriedTransaction(
      this.dataSource,
      async (em) => {
        if (state === 'paused') {
          if (pauseReasonId === null) {
            throw new ValidationError('pauseReasonId', 'pauseReasonId: a pause needs a reason');
          }
          const reason = await em.getRepository(PauseReason).findOneBy({ id: pauseReasonId });
          if (!reason || reason.archivedAt) {
            throw new ValidationError(
              'pauseReasonId',
              `pauseReasonId: ${pauseReasonId} is not a pause reason in use`,
            );
          }
        }
        const row = await this.lockedRow(em, userId, this.clock.now());
        // Read once the row is ours: a time taken before waiting for the lock can be older
        // than the change that held it, and would start this state before that one ended.
        const now = this.clock.now();
        if (state === 'paused') {
          const lease = await em.getRepository(ContactLease).findOneBy({ userId });
          if (lease) {
            throw new ConflictError(
              `state: confirm or discard contact ${lease.contactId} before pausing`,
              'state',
            );
          }
        }
        await this.enter(em, row, state, state === 'paused' ? pauseReasonId : null, now);
        return this.ownState(em, row);
      },
      READ_COMMITTED,
    );
  }

  /**
   * The page is open: keeps the operator present; back from logged out (or a page gone
   * quiet), they are ready. With `resume` (they asked for the next contact) a pause ends too.
   */
  async seen(userId: number, resume = false): Promise<void> {
    const now = this.clock.now();
    // The usual case in one statement: present, and stays so.
    const { affected } = await this.dataSource
      .createQueryBuilder()
      .update(OperatorState)
      .set({ seenAt: now })
      .where('userId = :userId', { userId })
      .andWhere('state IN (:...states)', { states: resume ? ['ready'] : ['ready', 'paused'] })
      .andWhere('seenAt >= :fresh', { fresh: new Date(now.getTime() - PRESENCE_TIMEOUT_MS) })
      .execute();
    if (affected) return;
    await retriedTransaction(
      this.dataSource,
      async (em) => {
        const row = await this.lockedRow(em, userId, now);
        const at = this.clock.now(); // as in set(): the time once the row is ours
        // Another request may have brought them back in the meantime.
        if (!isPresent(row, at) || (resume && row.state === 'paused')) {
          await this.enter(em, row, 'ready', null, at);
        } else {
          await em.update(OperatorState, { userId }, { seenAt: at });
        }
      },
      READ_COMMITTED,
    );
  }

  /** Signing in makes an operator ready; signing out, logged out. */
  async signedIn(userId: number): Promise<void> {
    await this.seen(userId);
  }

  async signedOut(userId: number): Promise<void> {
    await retriedTransaction(
      this.dataSource,
      async (em) => {
        const row = await this.lockedRow(em, userId, this.clock.now());
        const now = this.clock.now();
        if (row.state !== 'logged_out') await this.enter(em, row, 'logged_out', null, now);
      },
      READ_COMMITTED,
    );
  }

  /** The state and its start as the operator's own page shows them. */
  async current(userId: number): Promise<OwnState> {
    return this.ownState(this.dataSource.manager, await this.row(this.dataSource.manager, userId));
  }

  private async ownState(em: EntityManager, row: OperatorState | null): Promise<OwnState> {
    const lease = row
      ? await em.getRepository(ContactLease).findOneBy({ userId: row.userId })
      : null;
    if (lease)
      return { state: 'on_contact', since: lease.startedAt.toISOString(), pauseReasonId: null };
    return {
      state: row?.state ?? 'logged_out',
      since: (row?.since ?? this.clock.now()).toISOString(),
      pauseReasonId: row?.pauseReasonId ?? null,
    };
  }

  /**
   * Ends the current state (its seconds counted up to when the page was last seen, if it
   * went quiet) and starts `state` now; `seen` false leaves when the page was last seen.
   */
  private async enter(
    em: EntityManager,
    row: OperatorState,
    state: StoredOperatorState,
    pauseReasonId: number | null,
    at: Date,
    seen = true,
    alsoSet: Partial<OperatorState> = {},
  ): Promise<void> {
    // On a whole second, as the database keeps it (MySQL would round, MariaDB truncate), and
    // never before the current state began (another instance's clock may be a little behind).
    const now = new Date(Math.floor(Math.max(at.getTime(), row.since.getTime()) / 1000) * 1000);
    if (row.state !== 'logged_out') {
      const ended = stateCountedUntil(row, now);
      await this.addSeconds(em, row.userId, row.state, row.pauseReasonId ?? 0, row.since, ended);
    }
    row.state = state;
    row.pauseReasonId = pauseReasonId;
    row.since = now;
    row.seenAt = state === 'logged_out' || !seen ? row.seenAt : now;
    // UPDATE, not save(): see recordOutcome.
    await em.update(
      OperatorState,
      { userId: row.userId },
      { ...alsoSet, state, pauseReasonId, since: now, seenAt: row.seenAt },
    );
  }

  /** Adds the seconds from `from` to `to` to each local day of the call centre they cross. */
  private async addSeconds(
    em: EntityManager,
    userId: number,
    state: TimedState,
    pauseReasonId: number,
    from: Date,
    to: Date,
  ): Promise<void> {
    const zone = this.config.get('TIMEZONE');
    let start = from.getTime();
    const end = to.getTime();
    while (start < end) {
      const day = toZonedLocal(new Date(start), zone).slice(0, 10);
      const next = nextLocalMidnight(day, zone);
      const stop = Math.min(end, next);
      // Whole seconds between the second marks, not each piece rounded: consecutive
      // pieces then add up to the elapsed time however short each one is.
      const seconds = Math.floor(stop / 1000) - Math.floor(start / 1000);
      if (seconds > 0) {
        await addToCounter(
          em,
          'operator_state_days',
          { day, user_id: userId, state, pause_reason_id: pauseReasonId },
          'seconds',
          seconds,
        );
      }
      start = stop;
    }
  }

  /** The operator's row, locked; created (logged out) the first time. */
  private async lockedRow(em: EntityManager, userId: number, now: Date): Promise<OperatorState> {
    const found = await this.row(em, userId, true);
    if (found) return found;
    // Two first transitions at once: the primary key keeps one row, the other waits for it.
    await em
      .createQueryBuilder()
      .insert()
      .into(OperatorState)
      .values({ userId, state: 'logged_out', since: now })
      .orIgnore()
      .execute();
    return (await this.row(em, userId, true))!;
  }

  private row(em: EntityManager, userId: number, lock = false): Promise<OperatorState | null> {
    return em.getRepository(OperatorState).findOne({
      where: { userId },
      ...(lock ? forUpdate(em) : {}),
    });
  }
}

/** Where a state's time stops counting at `now`: now, or the timeout after the page went quiet. */
export function stateCountedUntil(row: Pick<OperatorState, 'seenAt'>, now: Date): Date {
  const quietFrom = row.seenAt ? row.seenAt.getTime() + PRESENCE_TIMEOUT_MS : now.getTime();
  return new Date(Math.min(now.getTime(), quietFrom));
}

/**
 * Where a contact's time stops counting at `now`: an expired lease ended when the page
 * stopped renewing it, not when the job came by.
 */
export function leaseCountedUntil(lease: Pick<ContactLease, 'expiresAt'>, now: Date): Date {
  return new Date(Math.min(now.getTime(), lease.expiresAt.getTime()));
}

/** Whether the operator's page said it was there recently enough. */
export function isPresent(row: Pick<OperatorState, 'state' | 'seenAt'>, now: Date): boolean {
  return (
    row.state !== 'logged_out' &&
    row.seenAt !== null &&
    row.seenAt.getTime() >= now.getTime() - PRESENCE_TIMEOUT_MS
  );
}

/** The last hour's outcomes with this one added, newest last, as `statusId:unixMinute`. */
export function withRecent(recent: string | null, statusId: number, at: Date): string {
  const minute = Math.floor(at.getTime() / 60_000);
  const kept = (recent ? recent.split(' ') : []).filter((entry) => {
    const entryMinute = Number(entry.split(':')[1]);
    return entryMinute > minute - RECENT_WINDOW_MINUTES;
  });
  kept.push(`${statusId}:${minute}`);
  return kept.slice(-RECENT_MAX).join(' ');
}

/** The instant the local day after `day` begins in `zone` (midnight, or the first hour after). */
function nextLocalMidnight(day: string, zone: string): number {
  const date = addDays(day, 1);
  for (let hour = 0; hour < 3; hour++) {
    const at = zonedLocalToUtc(`${date}T0${hour}:00`, zone);
    if (at) return at.getTime();
  }
  return Date.parse(`${date}T00:00:00Z`);
}
