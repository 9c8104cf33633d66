import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '../common/http/request-context';
import type { CallbackVisibility } from '../outcome-statuses/outcome-status.entity';
import { CallbackEngine } from './callback-engine';
import { type CallbackDesk, CallbackQueries } from './callback-queries';
import { CoordinatorCallbackActions } from './coordinator-callback-actions';
import type { CallbackListQuery } from './dto/callback-query';
import type { CallbackCard, CallbackItem } from './dto/callback.view';

/**
 * The callbacks capability as its pages, its API and the tests use it, in one place: what
 * users see (CallbackQueries), what coordinators do (CoordinatorCallbackActions) and the
 * engine's clock work (CallbackEngine). Each method hands over to one of them.
 */
@Injectable()
export class CallbacksService {
  constructor(
    private readonly queries: CallbackQueries,
    private readonly actions: CoordinatorCallbackActions,
    private readonly engine: CallbackEngine,
  ) {}

  // ---------------------------------------------------------------- lists

  /** `GET /callbacks` (see CallbackQueries.list). */
  list(user: AuthenticatedUser, query: CallbackListQuery): Promise<CallbackItem[]> {
    return this.queries.list(user, query);
  }

  page(
    user: AuthenticatedUser,
    query: CallbackListQuery,
  ): Promise<{ items: CallbackCard[]; next: number | null }> {
    return this.queries.page(user, query);
  }

  desk(userId: number): Promise<CallbackDesk> {
    return this.queries.desk(userId);
  }

  filterOptions(): ReturnType<CallbackQueries['filterOptions']> {
    return this.queries.filterOptions();
  }

  assignableOperators(
    campaignIds: number[],
  ): Promise<Map<number, Array<{ id: number; name: string }>>> {
    return this.queries.assignableOperators(campaignIds);
  }

  overdue(options: { campaignId?: number; limit?: number } = {}): Promise<CallbackItem[]> {
    return this.queries.overdue(options);
  }

  noticesFor(userId: number): Promise<CallbackItem[]> {
    return this.queries.noticesFor(userId);
  }

  item(id: number): Promise<CallbackItem> {
    return this.queries.item(id);
  }

  // ---------------------------------------------------------------- coordinator actions

  reassign(actor: AuthenticatedUser, id: number, ownerId: number): Promise<CallbackItem> {
    return this.actions.reassign(actor, id, ownerId);
  }

  setVisibility(
    actor: AuthenticatedUser,
    id: number,
    visibility: CallbackVisibility,
  ): Promise<CallbackItem> {
    return this.actions.setVisibility(actor, id, visibility);
  }

  cancel(actor: AuthenticatedUser, id: number, reason: string): Promise<CallbackItem> {
    return this.actions.cancel(actor, id, reason);
  }

  // ---------------------------------------------------------------- jobs

  markDue(): Promise<number> {
    return this.engine.markDue();
  }

  escalate(): Promise<number> {
    return this.engine.escalate();
  }

  expire(): Promise<number> {
    return this.engine.expire();
  }
}
