import { Injectable } from '@nestjs/common';
import { Brackets, DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { WebSession } from '../auth/web-session.entity';
import { retriedTransaction } from '../common/database/retried-transaction';
import { claimIds, excluding, skipLocked } from '../common/database/row-lock';
import { Clock } from '../common/time/clock';
import { AppConfigService } from '../config/app-config.service';
import { ContactQueue } from '../contacts/contact-queue';
import { Contact } from '../contacts/contact.entity';
import { ContactLease } from '../work/contact-lease.entity';
import { CallbackBook } from './callback-book';
import { escalationReason } from './callback-escalation';
import { WAITING } from './callback-queries';
import { Callback, type CallbackState } from './callback.entity';

/** Rows a job claims per transaction: short transactions, and instances share the work. */
const JOB_BATCH = 200;
/** (state, due_at): the jobs' queues, across campaigns. */
const STATE_DUE_INDEX = 'IDX_callbacks_state_due';

interface EscalationDecision {
  callback: Callback;
  reason: string;
}

/**
 * The callback engine's clock work: callbacks fall due, private ones go public when their
 * owner cannot or does not call them (invariant 6), forgotten ones expire.
 *
 * Every job may run in every instance at the same tick: each claims its rows with SKIP
 * LOCKED in batches committed one by one, and changes a row only from the state it read
 * (the expected old state is in the UPDATE's WHERE), so each row changes once.
 */
@Injectable()
export class CallbackEngine {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly config: AppConfigService,
    private readonly audit: AuditService,
    private readonly book: CallbackBook,
    private readonly queue: ContactQueue,
  ) {}

  /** Scheduled callbacks whose time has come become due; returns how many. */
  async markDue(): Promise<number> {
    const now = this.clock.now();
    let marked = 0;
    for (;;) {
      const batch = await this.transaction(async (em) => {
        const ids = await claimIds(
          em,
          this.jobQueue(em, 'scheduled', now),
          STATE_DUE_INDEX,
          JOB_BATCH,
        );
        if (ids.length === 0) return { claimed: 0, changed: 0 };
        return { claimed: ids.length, changed: await this.book.fallDue(em, ids) };
      });
      marked += batch.changed;
      if (batch.claimed < JOB_BATCH) return marked;
    }
  }

  /**
   * Private callbacks their owner cannot call (disabled, not signed in) or has let pass
   * their campaign's grace become public, each with an audit line saying why; returns how
   * many. Decided on a plain read, so that the callbacks their owners keep are never
   * locked away from them; only those to escalate are claimed.
   */
  async escalate(): Promise<number> {
    const now = this.clock.now();
    let escalated = 0;
    for (const state of WAITING) {
      let after: Callback | null = null;
      for (;;) {
        const candidates = await this.escalationCandidates(state, now, after);
        const decisions = await this.decideEscalations(candidates, now);
        if (decisions.length > 0) {
          escalated += await this.transaction((em) => this.escalateClaimed(em, decisions, now));
        }
        if (candidates.length < JOB_BATCH) break;
        after = candidates[candidates.length - 1]!;
      }
    }
    return escalated;
  }

  /**
   * Callbacks still waiting CALLBACK_EXPIRE_DAYS after their time are given up; returns how
   * many. Their contact becomes final rather than going back to a queue: a promise weeks
   * late is no longer the customer's request, and calling out of the blue about it does more
   * harm than good (the expired callback stays on the contact's card for a coordinator).
   * A contact someone is working is not touched: its callback waits for a later tick.
   */
  async expire(): Promise<number> {
    const now = this.clock.now();
    const cutoff = new Date(now.getTime() - this.config.get('CALLBACK_EXPIRE_DAYS') * 86_400_000);
    let expired = 0;
    for (const state of WAITING) {
      const passed: number[] = [];
      for (;;) {
        const batch = await this.transaction(async (em) => {
          const ids = await claimIds(
            em,
            excluding(this.jobQueue(em, state, cutoff), passed),
            STATE_DUE_INDEX,
            JOB_BATCH,
          );
          let changed = 0;
          for (const id of ids) {
            if (await this.expireClaimed(em, id, state, now)) changed++;
            else passed.push(id);
          }
          return { claimed: ids.length, changed };
        });
        expired += batch.changed;
        if (batch.claimed < JOB_BATCH) break;
      }
    }
    return expired;
  }

  /** A job's queue: callbacks in `state` due by `upTo`, in due order (IDX_callbacks_state_due). */
  private jobQueue(em: EntityManager, state: CallbackState, upTo: Date) {
    return em
      .getRepository(Callback)
      .createQueryBuilder('cb')
      .where('cb.state = :state', { state })
      .andWhere('cb.dueAt <= :upTo', { upTo })
      .orderBy('cb.dueAt', 'ASC')
      .addOrderBy('cb.id', 'ASC');
  }

  /** Due private callbacks in `state` after `after`, with what deciding needs (a plain read). */
  private escalationCandidates(
    state: CallbackState,
    now: Date,
    after: Callback | null,
  ): Promise<Callback[]> {
    const found = this.jobQueue(this.dataSource.manager, state, now)
      .select(['cb.id', 'cb.dueAt', 'cb.assignedAt', 'cb.ownerId', 'cb.campaignId'])
      .innerJoin('cb.campaign', 'c')
      .addSelect(['c.id', 'c.privateCallbackGraceMinutes'])
      .leftJoin('cb.owner', 'u')
      .addSelect(['u.id', 'u.active'])
      .andWhere("cb.visibility = 'private'");
    if (after) {
      found.andWhere(
        new Brackets((page) =>
          page
            .where('cb.dueAt > :afterDue', { afterDue: after.dueAt })
            .orWhere('(cb.dueAt = :afterDue AND cb.id > :afterId)', { afterId: after.id }),
        ),
      );
    }
    return found.limit(JOB_BATCH).getMany();
  }

  private async decideEscalations(
    candidates: Callback[],
    now: Date,
  ): Promise<EscalationDecision[]> {
    const owners = [...new Set(candidates.flatMap((c) => (c.owner?.active ? [c.owner.id] : [])))];
    const signedIn = await this.signedIn(owners, now);
    const decisions: EscalationDecision[] = [];
    for (const callback of candidates) {
      const reason = escalationReason(
        {
          dueAt: callback.dueAt,
          assignedAt: callback.assignedAt,
          graceMinutes: callback.campaign!.privateCallbackGraceMinutes,
          owner: callback.owner
            ? { active: callback.owner.active, signedIn: signedIn.has(callback.owner.id) }
            : null,
        },
        now,
      );
      if (reason !== null) decisions.push({ callback, reason });
    }
    return decisions;
  }

  /**
   * Of these users, those signed in: an unexpired browser session, or a live lease (an
   * operator on a call). A bearer token alone is an integration, not a person at a desk.
   */
  private async signedIn(userIds: number[], now: Date): Promise<Set<number>> {
    if (userIds.length === 0) return new Set();
    const [sessions, leases] = await Promise.all([
      this.dataSource
        .getRepository(WebSession)
        .createQueryBuilder('s')
        .select('DISTINCT s.userId', 'userId')
        .where('s.userId IN (:...userIds)', { userIds })
        .andWhere('s.expiresAt > :now', { now })
        .getRawMany<{ userId: number | string }>(),
      this.dataSource
        .getRepository(ContactLease)
        .createQueryBuilder('l')
        .select('l.userId', 'userId')
        .where('l.userId IN (:...userIds)', { userIds })
        .andWhere('l.expiresAt > :now', { now })
        .getRawMany<{ userId: number | string }>(),
    ]);
    return new Set([...sessions, ...leases].map((row) => Number(row.userId)));
  }

  /** Claims the callbacks decided on and makes each public once, with its audit line. */
  private async escalateClaimed(
    em: EntityManager,
    decisions: EscalationDecision[],
    now: Date,
  ): Promise<number> {
    const decided = new Map(decisions.map((d) => [d.callback.id, d]));
    const locked = await skipLocked(
      em
        .getRepository(Callback)
        .createQueryBuilder('cb')
        .select(['cb.id', 'cb.ownerId', 'cb.assignedAt', 'cb.dueAt'])
        .where('cb.id IN (:...ids)', { ids: [...decided.keys()] })
        .andWhere("cb.visibility = 'private'")
        .andWhere('cb.state IN (:...waiting)', { waiting: [...WAITING] }),
    ).getMany();
    let escalated = 0;
    for (const row of locked) {
      const { callback, reason } = decided.get(row.id)!;
      // Changed since the decision (a coordinator reassigned or moved it): the next tick decides.
      if (
        row.ownerId !== callback.ownerId ||
        row.dueAt.getTime() !== callback.dueAt.getTime() ||
        row.assignedAt?.getTime() !== callback.assignedAt?.getTime()
      ) {
        continue;
      }
      if (!(await this.book.escalate(em, row.id, reason, now))) continue;
      await this.audit.record(em, {
        userId: null,
        action: 'callback.escalated',
        entity: 'callback',
        entityId: row.id,
        detail: `made public: ${reason}${row.ownerId === null ? '' : ` (owner ${row.ownerId})`}`,
      });
      escalated++;
    }
    return escalated;
  }

  /** Expires one claimed callback unless its contact is being worked; whether it did. */
  private async expireClaimed(
    em: EntityManager,
    id: number,
    state: CallbackState,
    now: Date,
  ): Promise<boolean> {
    const callback = await em.getRepository(Callback).findOneBy({ id });
    if (!callback) return false;
    // SKIP LOCKED: a contact held by an outcome or a dispatch is left alone, never waited for.
    const contact = await skipLocked(
      em
        .getRepository(Contact)
        .createQueryBuilder('ct')
        .select(['ct.id', 'ct.state'])
        .where('ct.id = :id', { id: callback.contactId }),
    ).getOne();
    if (!contact || contact.state === 'in_progress') return false;
    if (!(await this.book.expire(em, id, state, now))) return false;
    if (contact.state === 'callback') await this.queue.dropCallback(em, contact.id);
    await this.audit.record(em, {
      userId: null,
      action: 'callback.expired',
      entity: 'callback',
      entityId: id,
      detail: `due ${callback.dueAt.toISOString()}, never called; contact ${contact.id} ${contact.state === 'callback' ? 'final' : `left ${contact.state}`}`,
    });
    return true;
  }

  /**
   * READ COMMITTED on MySQL: no gap locks on the ranges the claims scan, and a guarded
   * UPDATE whose row's committed state no longer matches passes it over instead of waiting.
   */
  private transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return retriedTransaction(this.dataSource, work, { readCommitted: true });
  }
}
