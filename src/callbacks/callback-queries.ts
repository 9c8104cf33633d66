import { Injectable } from '@nestjs/common';
import { Brackets, DataSource, In, SelectQueryBuilder } from 'typeorm';
import { CampaignOperator } from '../campaigns/campaign-operator.entity';
import { CampaignStep } from '../campaigns/campaign-step.entity';
import { Campaign } from '../campaigns/campaign.entity';
import { whereVisible } from '../common/access/viewer';
import { isMysqlSource } from '../common/database/sql-dialect';
import { ForbiddenError, NotFoundError, ValidationError } from '../common/errors/domain-errors';
import type { AuthenticatedUser } from '../common/http/request-context';
import { Clock } from '../common/time/clock';
import { AppConfigService } from '../config/app-config.service';
import { User } from '../users/user.entity';
import { ContactLease } from '../work/contact-lease.entity';
import { loadOperatorCampaigns, type OperatorCampaignView } from '../campaigns/operator-campaigns';
import { callbacksVisibleTo } from './callback-visibility';
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

/** The operator's callbacks page: what they may open, and whether they hold a contact now. */
export interface CallbackDesk {
  mine: CallbackCard[];
  pool: CallbackCard[];
  campaigns: OperatorCampaignView[];
  holding: boolean;
}

/** Notices an operator's page shows at most. */
const NOTICE_LIMIT = 20;
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

/**
 * What callbacks users see: operators their own and their campaigns' public ones (never
 * another's private one), coordinators all of them, and those at risk. Reads only.
 */
@Injectable()
export class CallbackQueries {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly config: AppConfigService,
  ) {}

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
   * public ones due in the campaigns they work, owned by others, those campaigns, and
   * whether they hold a contact now (then nothing can be opened).
   */
  async desk(userId: number): Promise<CallbackDesk> {
    const now = this.clock.now();
    const [campaigns, lease] = await Promise.all([
      loadOperatorCampaigns(this.dataSource.manager, userId, now),
      this.dataSource.getRepository(ContactLease).findOneBy({ userId }),
    ]);
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
    return {
      mine: cards.slice(0, own.length),
      pool: cards.slice(own.length),
      campaigns,
      holding: lease !== null && lease.expiresAt > now,
    };
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
}
