import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { CampaignOperator } from '../campaigns/campaign-operator.entity';
import { forUpdate } from '../common/database/row-lock';
import { retriedTransaction } from '../common/database/retried-transaction';
import { ConflictError, NotFoundError, ValidationError } from '../common/errors/domain-errors';
import type { AuthenticatedUser } from '../common/http/request-context';
import { Clock } from '../common/time/clock';
import { ContactQueue } from '../contacts/contact-queue';
import type { CallbackVisibility } from '../outcome-statuses/outcome-status.entity';
import { User } from '../users/user.entity';
import { CallbackBook } from './callback-book';
import { CallbackQueries, WAITING } from './callback-queries';
import { Callback } from './callback.entity';
import type { CallbackItem } from './dto/callback.view';

/**
 * What coordinators do to a callback still waiting to be called: give it to another
 * operator, make it private or public, cancel it. Each locks the callback row first
 * (FOR UPDATE), so an action and a dispatch or a job never both change it; each is audited.
 */
@Injectable()
export class CoordinatorCallbackActions {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly book: CallbackBook,
    private readonly queue: ContactQueue,
    private readonly queries: CallbackQueries,
  ) {}

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
    return this.queries.item(id);
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
    return this.queries.item(id);
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
    return this.queries.item(id);
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

  /**
   * READ COMMITTED on MySQL: no gap locks on the ranges the claims scan, and a guarded
   * UPDATE whose row's committed state no longer matches passes it over instead of waiting.
   */
  private transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return retriedTransaction(this.dataSource, work, { readCommitted: true });
  }
}
