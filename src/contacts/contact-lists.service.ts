import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { Campaign } from '../campaigns/campaign.entity';
import { NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { isUniqueViolation } from '../common/errors/unique-violation';
import { Clock } from '../common/time/clock';
import { OutcomeStatus } from '../outcome-statuses/outcome-status.entity';
import { ContactList, ContactListRecycle } from './contact-list.entity';
import { ContactQueue } from './contact-queue';
import { CONTACT_STATES, Contact, type ContactState } from './contact.entity';
import type { ContactListChangeDto, ContactListRecycleDto } from './dto/contact-list.dto';

const RECYCLE_KEY = /^[A-Za-z0-9_-]{8,64}$/;

export interface ContactListView {
  id: number;
  campaignId: number;
  name: string;
  sourceFile: string | null;
  createdBy: number | null;
  createdAt: string;
  active: boolean;
  total: number;
  /** Contacts per state (new, in_progress, callback, retry, done, final). */
  byState: Record<ContactState, number>;
}

export interface ContactListDetail extends ContactListView {
  /** Contacts per last outcome status, most first (contacts never called are not here). */
  byStatus: Array<{ statusId: number; code: string; label: string; type: string; count: number }>;
  recycles: Array<{ statusIds: number[]; requeued: number; createdAt: string }>;
}

/**
 * A campaign's lists: what each holds (contacts by state and by last outcome), pausing one
 * (its contacts are not dispatched: work/dispatch.service.ts), and recycling one (its
 * contacts with some last outcomes back to the queue, through ContactQueue).
 */
@Injectable()
export class ContactListsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queue: ContactQueue,
    private readonly clock: Clock,
  ) {}

  async ofCampaign(campaignId: number): Promise<ContactListView[]> {
    if (!(await this.dataSource.getRepository(Campaign).existsBy({ id: campaignId }))) {
      throw new NotFoundError('campaign', campaignId);
    }
    const lists = await this.dataSource
      .getRepository(ContactList)
      .find({ where: { campaignId }, order: { id: 'DESC' } });
    const counts = await this.stateCounts(lists.map((list) => list.id));
    return lists.map((list) => view(list, counts.get(list.id)));
  }

  async get(id: number): Promise<ContactListDetail> {
    const list = await this.list(id);
    const [counts, byStatus, recycles] = await Promise.all([
      this.stateCounts([id]),
      this.dataSource
        .getRepository(Contact)
        .createQueryBuilder('c')
        .innerJoin(OutcomeStatus, 's', 's.id = c.lastStatusId')
        .select('s.id', 'statusId')
        .addSelect('s.code', 'code')
        .addSelect('s.label', 'label')
        .addSelect('s.type', 'type')
        .addSelect('COUNT(*)', 'count')
        .where('c.listId = :id', { id })
        .groupBy('s.id')
        .addGroupBy('s.code')
        .addGroupBy('s.label')
        .addGroupBy('s.type')
        .orderBy('count', 'DESC')
        .addOrderBy('s.code', 'ASC')
        .getRawMany<{
          statusId: number;
          code: string;
          label: string;
          type: string;
          count: string;
        }>(),
      this.dataSource
        .getRepository(ContactListRecycle)
        .find({ where: { listId: id }, order: { id: 'DESC' }, take: 20 }),
    ]);
    return {
      ...view(list, counts.get(id)),
      byStatus: byStatus.map((row) => ({
        ...row,
        statusId: Number(row.statusId),
        count: Number(row.count),
      })),
      recycles: recycles.map((r) => ({
        statusIds: r.statusIds,
        requeued: r.requeued,
        createdAt: r.createdAt.toISOString(),
      })),
    };
  }

  /** Pauses or resumes a list; a dispatch that starts after the commit sees it. */
  async change(id: number, dto: ContactListChangeDto): Promise<ContactListView> {
    await this.list(id);
    await this.dataSource.getRepository(ContactList).update({ id }, { active: dto.active });
    const [list, counts] = await Promise.all([this.list(id), this.stateCounts([id])]);
    return view(list, counts.get(id));
  }

  /**
   * Puts the list's contacts whose last outcome is one of `statusIds` back in the queue,
   * in one transaction. With a request key (the Idempotency-Key header) a request asked
   * again answers what the first one did and requeues nothing more.
   */
  async recycle(
    id: number,
    dto: ContactListRecycleDto,
    key: string | undefined,
    userId: number,
  ): Promise<{ requeued: number; repeated: boolean }> {
    if (key !== undefined && !RECYCLE_KEY.test(key)) {
      throw new ValidationError(
        'Idempotency-Key',
        'Idempotency-Key must be 8-64 letters, digits, "-" or "_"',
      );
    }
    await this.list(id);
    const known = await this.dataSource
      .getRepository(OutcomeStatus)
      .countBy({ id: In(dto.statusIds) });
    if (known !== dto.statusIds.length) {
      throw new ValidationError('statusIds', 'statusIds must be ids of outcome statuses');
    }
    const now = this.clock.now();
    const before =
      dto.olderThanMinutes === undefined
        ? null
        : new Date(now.getTime() - dto.olderThanMinutes * 60_000);
    try {
      return await this.dataSource.transaction(async (em) => {
        // The key's row first: a second request with it waits here, then finds it.
        const record = await em.save(
          em.create(ContactListRecycle, {
            listId: id,
            requestKey: key ?? `auto-${now.getTime()}-${Math.random().toString(36).slice(2, 12)}`,
            statusIds: dto.statusIds,
            requeued: 0,
            createdBy: userId,
          }),
        );
        const requeued = await this.queue.recycle(em, id, dto.statusIds, now, before);
        await em.update(ContactListRecycle, { id: record.id }, { requeued });
        return { requeued, repeated: false };
      });
    } catch (error) {
      if (key === undefined || !isUniqueViolation(error)) throw error;
      const done = await this.dataSource
        .getRepository(ContactListRecycle)
        .findOneByOrFail({ listId: id, requestKey: key });
      return { requeued: done.requeued, repeated: true };
    }
  }

  private async list(id: number): Promise<ContactList> {
    const list = await this.dataSource.getRepository(ContactList).findOneBy({ id });
    if (!list) throw new NotFoundError('list', id);
    return list;
  }

  private async stateCounts(listIds: number[]): Promise<Map<number, Record<ContactState, number>>> {
    const counts = new Map<number, Record<ContactState, number>>();
    if (listIds.length === 0) return counts;
    const rows = await this.dataSource
      .getRepository(Contact)
      .createQueryBuilder('c')
      .select('c.listId', 'listId')
      .addSelect('c.state', 'state')
      .addSelect('COUNT(*)', 'count')
      .where('c.listId IN (:...listIds)', { listIds })
      .groupBy('c.listId')
      .addGroupBy('c.state')
      .getRawMany<{ listId: number; state: ContactState; count: string }>();
    for (const row of rows) {
      const id = Number(row.listId);
      const byState = counts.get(id) ?? emptyCounts();
      byState[row.state] = Number(row.count);
      counts.set(id, byState);
    }
    return counts;
  }
}

function emptyCounts(): Record<ContactState, number> {
  return Object.fromEntries(CONTACT_STATES.map((state) => [state, 0])) as Record<
    ContactState,
    number
  >;
}

function view(list: ContactList, byState = emptyCounts()): ContactListView {
  return {
    id: list.id,
    campaignId: list.campaignId,
    name: list.name,
    sourceFile: list.sourceFile,
    createdBy: list.createdBy,
    createdAt: list.createdAt.toISOString(),
    active: list.active,
    total: Object.values(byState).reduce((sum, n) => sum + n, 0),
    byState,
  };
}
