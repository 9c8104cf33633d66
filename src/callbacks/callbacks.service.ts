import { Injectable } from '@nestjs/common';
import { Brackets, DataSource, EntityManager, In, SelectQueryBuilder } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { WebSession } from '../auth/web-session.entity';
import { CampaignOperator } from '../campaigns/campaign-operator.entity';
import { CampaignStep } from '../campaigns/campaign-step.entity';
import { Campaign } from '../campaigns/campaign.entity';
import { claimIds, excluding, forUpdate, skipLocked } from '../common/database/row-lock';
import { isMysqlSource } from '../common/database/sql-dialect';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../common/errors/domain-errors';
import type { AuthenticatedUser } from '../common/http/request-context';
import { Clock } from '../common/time/clock';
import { AppConfigService } from '../config/app-config.service';
import { ContactQueue } from '../contacts/contact-queue';
import { Contact } from '../contacts/contact.entity';
import type { CallbackVisibility } from '../outcome-statuses/outcome-status.entity';
import { User } from '../users/user.entity';
import { ContactLease } from '../work/contact-lease.entity';
import { loadOperatorCampaigns, type OperatorCampaignView } from '../work/work-campaigns';
import { callbacksVisibleTo } from './callback-visibility';
import { whereVisible } from '../common/access/viewer';
import { CallbackBook } from './callback-book';
import { escalationReason } from './callback-escalation';
import { ACTIVE_CALLBACK_STATES, Callback, type CallbackState } from './callback.entity';
import {
  type CallbackListQuery,
  DEFAULT_CALLBACK_PAGE,
  MAX_CALLBACK_PAGE,
} from './dto/callback-query';
import {
  type CallbackCard,
  type CallbackItem,
  type LoadedCallback,
  toCallbackCard,
  toCallbackItem,
} from './dto/callback.view';
import { retriedTransaction } from '../common/database/retried-transaction';

/** Rows a job claims per transaction: short transactions, and instances share the work. */
const JOB_BATCH = 200;
/** Notices an operator's page shows at most. */
const NOTICE_LIMIT = 20;
/** (state, due_at): the jobs' queues, across campaigns. */
const STATE_DUE_INDEX = 'IDX_callbacks_state_due';
/** Waiting to be called: neither being called nor closed. */
export const WAITING: readonly CallbackState[] = ['scheduled', 'due'];

/**
 * The moment before which a waiting callback of campaign `c` (joined as `c`) is overdue:
 * its due time plus the campaign's grace, computed per row in each dialect from `:now`.
 */
export function overdueCutoffSql(dataSource: DataSource): string {
  return isMysqlSource(dataSource)
    ? 'DATE_SUB(:now, INTERVAL c.privateCallbackGraceMinutes MINUTE)'
    : "strftime('%Y-%m-%d %H:%M:%f', :now, '-' || c.privateCallbackGraceMinutes || ' minutes')";
}

interface EscalationDecision {
  callback: Callback;
  reason: string;
}

/**
 * The callback engine: callbacks fall due, private ones go public when their owner cannot
 * or does not call them (invariant 6), forgotten ones expire; operators see their own and
 * their campaigns' public ones, coordinators all of them and act on those at risk.
 *
 * Every job may run in every instance at the same tick: each claims its rows with SKIP
 * LOCKED in batches committed one by one, and changes a row only from the state it read
 * (the expected old state is in the UPDATE's WHERE), so each row changes once.
 */
@Injectable()
export class CallbacksService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly config: AppConfigService,
    private readonly audit: AuditService,
    private readonly book: CallbackBook,
    private readonly queue: ContactQueue,
  ) {}

  // ---------------------------------------------------------------- lists

  /**
   * `GET /callbacks`. An operator sees their own (mine) and the public ones of the campaigns
   * they work (public), never another operator's private ones; coordinators and admins all.
   */
  async list(user: AuthenticatedUser, query: CallbackListQuery): Promise<CallbackItem[]> {
    const now = this.clock.now();
    const found = await this.listed(user, query, now);
    return found ? this.items(found, query.limit, now) : [];
  }

  /**
   * The coordinators' callbacks page: `list` as cards, with the id to page on from when
   * there are more.
   */
  async page(
    user: AuthenticatedUser,
    query: CallbackListQuery,
  ): Promise<{ items: CallbackCard[]; next: number | null }> {
    const now = this.clock.now();
    const found = await this.listed(user, query, now);
    if (!found) return { items: [], next: null };
    const rows = await this.inDueOrder(found)
      .limit(query.limit + 1)
      .getMany();
    const more = rows.length > query.limit;
    const items = await this.cards(rows.slice(0, query.limit), now);
    return { items, next: more ? (items[items.length - 1]?.id ?? null) : null };
  }

  /**
   * The operator's callbacks page: their own still waiting to be called (due or not), the
   * public ones due in the campaigns they work, owned by others, and those campaigns.
   */
  async desk(
    userId: number,
  ): Promise<{ mine: CallbackCard[]; pool: CallbackCard[]; campaigns: OperatorCampaignView[] }> {
    const now = this.clock.now();
    const campaigns = await loadOperatorCampaigns(this.dataSource.manager, userId, now);
    const mine = this.loaded()
      .andWhere('cb.ownerId = :userId', { userId })
      .andWhere('cb.state IN (:...waiting)', { waiting: [...WAITING] });
    const ids = campaigns.map((campaign) => campaign.id);
    const pool =
      ids.length === 0
        ? null
        : this.loaded()
            .andWhere("cb.visibility = 'public'")
            .andWhere('cb.campaignId IN (:...ids)', { ids })
            .andWhere(
              new Brackets((owner) =>
                owner.where('cb.ownerId IS NULL').orWhere('cb.ownerId <> :userId', { userId }),
              ),
            );
    if (pool) this.whereDue(pool, now);
    const [own, shared] = await Promise.all([
      this.inDueOrder(mine).limit(MAX_CALLBACK_PAGE).getMany(),
      pool ? this.inDueOrder(pool).limit(MAX_CALLBACK_PAGE).getMany() : [],
    ]);
    const cards = await this.cards([...own, ...shared], now);
    return { mine: cards.slice(0, own.length), pool: cards.slice(own.length), campaigns };
  }

  /** What the coordinators' filters offer: every campaign, every operator. */
  async filterOptions(): Promise<{
    campaigns: Array<{ id: number; code: string; name: string }>;
    operators: Array<{ id: number; name: string; active: boolean }>;
  }> {
    const [campaigns, operators] = await Promise.all([
      this.dataSource.getRepository(Campaign).find({
        select: { id: true, code: true, name: true },
        order: { name: 'ASC', id: 'ASC' },
      }),
      this.dataSource.getRepository(User).find({
        where: { role: 'operator' },
        select: { id: true, displayName: true, active: true },
        order: { displayName: 'ASC', id: 'ASC' },
      }),
    ]);
    return {
      campaigns: campaigns.map(({ id, code, name }) => ({ id, code, name })),
      operators: operators.map((u) => ({ id: u.id, name: u.displayName, active: u.active })),
    };
  }

  /** The active operators of each campaign: whom its callbacks may be reassigned to. */
  async assignableOperators(
    campaignIds: number[],
  ): Promise<Map<number, Array<{ id: number; name: string }>>> {
    const byCampaign = new Map<number, Array<{ id: number; name: string }>>();
    if (campaignIds.length === 0) return byCampaign;
    const links = await this.dataSource.getRepository(CampaignOperator).find({
      where: {
        campaignId: In([...new Set(campaignIds)]),
        user: { role: 'operator', active: true },
      },
      relations: { user: true },
      order: { user: { displayName: 'ASC', id: 'ASC' } },
    });
    for (const link of links) {
      const list = byCampaign.get(link.campaignId) ?? [];
      list.push({ id: link.userId, name: link.user!.displayName });
      byCampaign.set(link.campaignId, list);
    }
    return byCampaign;
  }

  /** The query `list` and `page` read, or null when the caller can see none. */
  private async listed(
    user: AuthenticatedUser,
    query: CallbackListQuery,
    now: Date,
  ): Promise<SelectQueryBuilder<Callback> | null> {
    const coordinator = user.role === 'coordinator' || user.role === 'admin';
    const scope = query.scope ?? (coordinator ? 'all' : 'mine');
    const found = this.loaded();
    // The visibility rule a contact's history uses too; the scope narrows it further.
    const viewer = coordinator
      ? { id: user.id, role: user.role, campaignIds: [] }
      : { id: user.id, role: user.role, campaignIds: await this.assignedCampaigns(user.id) };
    whereVisible(found, callbacksVisibleTo(viewer, 'cb'));
    switch (scope) {
      case 'mine':
        found.andWhere('cb.ownerId = :userId', { userId: user.id });
        break;
      case 'public': {
        found.andWhere("cb.visibility = 'public'");
        if (coordinator) break;
        const campaigns = viewer.campaignIds;
        if (query.campaignId !== undefined && !campaigns.includes(query.campaignId)) {
          throw new ForbiddenError(
            `campaignId: you are not assigned to campaign ${query.campaignId}`,
          );
        }
        if (campaigns.length === 0) return null;
        found.andWhere('cb.campaignId IN (:...campaigns)', { campaigns });
        break;
      }
      case 'all':
        if (!coordinator) {
          throw new ForbiddenError(
            'scope: an operator may list their own callbacks (mine) or public ones, not all',
          );
        }
        break;
    }
    if (query.campaignId !== undefined) {
      found.andWhere('cb.campaignId = :campaignId', { campaignId: query.campaignId });
    }
    if (query.ownerId !== undefined) {
      found.andWhere('cb.ownerId = :ownerId', { ownerId: query.ownerId });
    }
    if (query.state !== undefined) found.andWhere('cb.state = :state', { state: query.state });
    else if (!query.due && !query.overdue) {
      found.andWhere('cb.state IN (:...active)', { active: [...ACTIVE_CALLBACK_STATES] });
    }
    if (query.due) this.whereDue(found, now);
    if (query.overdue) this.whereOverdue(found, now);
    if (query.after !== undefined) await this.whereAfter(found, query.after);
    return found;
  }

  /**
   * The callbacks at risk, for coordinators: still waiting to be called beyond their
   * campaign's grace, the latest first in line. A query only; nothing changes.
   */
  async overdue(options: { campaignId?: number; limit?: number } = {}): Promise<CallbackItem[]> {
    const now = this.clock.now();
    const found = this.loaded();
    this.whereOverdue(found, now);
    if (options.campaignId !== undefined) {
      found.andWhere('cb.campaignId = :campaignId', { campaignId: options.campaignId });
    }
    return this.items(found, options.limit ?? DEFAULT_CALLBACK_PAGE, now);
  }

  /**
   * What the operator's page polls: their private callbacks due within
   * CALLBACK_NOTICE_MINUTES, or already due and still waiting for them.
   */
  async noticesFor(userId: number): Promise<CallbackItem[]> {
    const now = this.clock.now();
    const until = new Date(now.getTime() + this.config.get('CALLBACK_NOTICE_MINUTES') * 60_000);
    const found = this.loaded()
      .andWhere('cb.ownerId = :userId', { userId })
      .andWhere("cb.visibility = 'private'")
      .andWhere('cb.state IN (:...waiting)', { waiting: [...WAITING] })
      .andWhere('cb.dueAt <= :until', { until });
    return this.items(found, NOTICE_LIMIT, now);
  }

  /** One callback as the list shows it, or 404. */
  async item(id: number): Promise<CallbackItem> {
    const callback = await this.loaded().andWhere('cb.id = :id', { id }).getOne();
    if (!callback) throw new NotFoundError('callback', id);
    return toCallbackItem(callback as LoadedCallback, this.clock.now());
  }

  // ---------------------------------------------------------------- coordinator actions

  /** Gives a waiting callback to another operator of its campaign (visibility unchanged). */
  async reassign(actor: AuthenticatedUser, id: number, ownerId: number): Promise<CallbackItem> {
    await this.transaction(async (em) => {
      const callback = await this.lockWaiting(em, id, 'reassigned');
      const owner = await em.getRepository(User).findOneBy({ id: ownerId });
      const assigned =
        owner !== null &&
        (await em
          .getRepository(CampaignOperator)
          .existsBy({ campaignId: callback.campaignId, userId: ownerId }));
      if (!owner || owner.role !== 'operator' || !owner.active || !assigned) {
        throw new ValidationError(
          'ownerId',
          `ownerId: user ${ownerId} is not an active operator of the callback's campaign`,
        );
      }
      if (callback.ownerId === ownerId) return;
      await this.book.reassign(em, id, ownerId, this.clock.now());
      await this.audit.record(em, {
        userId: actor.id,
        action: 'callback.reassigned',
        entity: 'callback',
        entityId: id,
        detail: `owner ${callback.ownerId ?? 'none'} to ${ownerId}`,
      });
    });
    return this.item(id);
  }

  /** Private (its owner alone) or public (any operator of the campaign). */
  async setVisibility(
    actor: AuthenticatedUser,
    id: number,
    visibility: CallbackVisibility,
  ): Promise<CallbackItem> {
    await this.transaction(async (em) => {
      const callback = await this.lockWaiting(em, id, 'changed');
      if (callback.visibility === visibility) return;
      if (visibility === 'private' && callback.ownerId === null) {
        throw new ValidationError(
          'visibility',
          'visibility: a callback without an owner cannot be private; reassign it first',
        );
      }
      if (visibility === 'private') await this.book.makePrivate(em, id, this.clock.now());
      else await this.book.makePublic(em, id);
      await this.audit.record(em, {
        userId: actor.id,
        action: 'callback.visibility',
        entity: 'callback',
        entityId: id,
        detail: `${callback.visibility} to ${visibility}`,
      });
    });
    return this.item(id);
  }

  /**
   * The customer will not be called back. The contact waiting for it becomes final: nothing
   * else would ever dispatch it, and a coordinator who wants it called again re-queues it.
   */
  async cancel(actor: AuthenticatedUser, id: number, reason: string): Promise<CallbackItem> {
    const why = reason.trim();
    if (why === '') throw new ValidationError('reason', 'reason: say why it is cancelled');
    await this.transaction(async (em) => {
      const callback = await this.lockWaiting(em, id, 'cancelled');
      await this.book.cancel(em, id, this.clock.now());
      await this.queue.dropCallback(em, callback.contactId);
      await this.audit.record(em, {
        userId: actor.id,
        action: 'callback.cancelled',
        entity: 'callback',
        entityId: id,
        detail: why,
      });
    });
    return this.item(id);
  }

  // ---------------------------------------------------------------- jobs

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

  // ---------------------------------------------------------------- internals

  /** A callback with its contact, campaign and owner, as the list shows it. */
  private loaded(): SelectQueryBuilder<Callback> {
    return this.dataSource
      .getRepository(Callback)
      .createQueryBuilder('cb')
      .innerJoin('cb.contact', 'ct')
      .addSelect(['ct.id', 'ct.firstName', 'ct.lastName', 'ct.phone', 'ct.attempts'])
      .innerJoin('cb.campaign', 'c')
      .addSelect(['c.id', 'c.code', 'c.name', 'c.timezone', 'c.privateCallbackGraceMinutes'])
      .leftJoin('cb.owner', 'u')
      .addSelect(['u.id', 'u.displayName']);
  }

  private async items(
    found: SelectQueryBuilder<Callback>,
    limit: number,
    now: Date,
  ): Promise<CallbackItem[]> {
    const rows = await this.inDueOrder(found).limit(limit).getMany();
    return rows.map((row) => toCallbackItem(row as LoadedCallback, now));
  }

  private inDueOrder(found: SelectQueryBuilder<Callback>): SelectQueryBuilder<Callback> {
    return found.orderBy('cb.dueAt', 'ASC').addOrderBy('cb.id', 'ASC');
  }

  /** Callbacks as the pages show them, their answers under the questions' titles. */
  private async cards(rows: Callback[], now: Date): Promise<CallbackCard[]> {
    const stepIds = [
      ...new Set(rows.flatMap((row) => Object.keys(row.answers ?? {}).map(Number))),
    ].filter((id) => Number.isInteger(id) && id > 0);
    const steps =
      stepIds.length === 0
        ? []
        : await this.dataSource
            .getRepository(CampaignStep)
            .find({ where: { id: In(stepIds) }, select: { id: true, title: true } });
    const questions = new Map(steps.map((step) => [step.id, step.title]));
    return rows.map((row) => toCallbackCard(row as LoadedCallback, now, questions));
  }

  /** Waiting to be called, and their time has come. */
  private whereDue(found: SelectQueryBuilder<Callback>, now: Date): void {
    found
      .andWhere('cb.state IN (:...waiting)', { waiting: [...WAITING] })
      .andWhere('cb.dueAt <= :now', { now });
  }

  /** Waiting to be called past their time plus their campaign's grace. */
  private whereOverdue(found: SelectQueryBuilder<Callback>, now: Date): void {
    found
      .andWhere('cb.state IN (:...waiting)', { waiting: [...WAITING] })
      .andWhere(`cb.dueAt <= ${overdueCutoffSql(this.dataSource)}`, { now });
  }

  /** The page after callback `after` in (due time, id) order. */
  private async whereAfter(found: SelectQueryBuilder<Callback>, after: number): Promise<void> {
    const last = await this.dataSource
      .getRepository(Callback)
      .findOne({ where: { id: after }, select: { id: true, dueAt: true } });
    if (!last) {
      throw new ValidationError('after', 'after must be the id of the last callback of a page');
    }
    found.andWhere(
      new Brackets((page) =>
        page
          .where('cb.dueAt > :afterDue', { afterDue: last.dueAt })
          .orWhere('(cb.dueAt = :afterDue AND cb.id > :afterId)', { afterId: last.id }),
      ),
    );
  }

  private async assignedCampaigns(userId: number): Promise<number[]> {
    const links = await this.dataSource.getRepository(CampaignOperator).findBy({ userId });
    return links.map((link) => link.campaignId);
  }

  /** The callback, locked, if a coordinator may act on it: 404 unknown, 409 not waiting. */
  private async lockWaiting(em: EntityManager, id: number, verb: string): Promise<Callback> {
    const callback = await em.getRepository(Callback).findOne({ where: { id }, ...forUpdate(em) });
    if (!callback) throw new NotFoundError('callback', id);
    if (!WAITING.includes(callback.state)) {
      throw new ConflictError(
        callback.state === 'in_progress'
          ? `callback ${id} is being called right now; it cannot be ${verb}`
          : `callback ${id} is ${callback.state}; only a scheduled or due callback can be ${verb}`,
        'id',
        { state: callback.state },
      );
    }
    return callback;
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
