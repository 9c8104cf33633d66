import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { CallbackBook } from '../callbacks/callback-book';
import { ForbiddenError, ValidationError } from '../common/errors/domain-errors';
import { forUpdate, skipLocked } from '../common/database/row-lock';
import { isMysqlSource } from '../common/database/sql-dialect';
import { Clock } from '../common/time/clock';
import { AppConfigService } from '../config/app-config.service';
import { ContactQueue } from '../contacts/contact-queue';
import type { Contact } from '../contacts/contact.entity';
import { OperatorActivityService } from '../monitor/operator-activity.service';
import { ContactLease } from './contact-lease.entity';
import { ContactLeases } from './contact-leases';

/** What a page may keep in its draft (notes, answers, chosen status, cart, slot). */
export const MAX_DRAFT_BYTES = 32 * 1024;
/** Expired leases released per transaction by the job. */
const RELEASE_BATCH = 100;

export type ReleaseReason = 'expired' | 'discarded';

/**
 * Leases: a contact is worked by one operator at a time (invariant 1). The page renews its
 * lease while it is open; when the browser vanishes the lease expires and the job gives
 * the contact back to the queue, leaving an audit line without the call's content.
 */
@Injectable()
export class LeasesService {
  private readonly logger = new Logger(LeasesService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfigService,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly activity: OperatorActivityService,
    private readonly contactLeases: ContactLeases,
    private readonly queue: ContactQueue,
    private readonly callbacks: CallbackBook,
  ) {}

  expiryFrom(now: Date): Date {
    return new Date(now.getTime() + this.config.get('LEASE_MINUTES') * 60_000);
  }

  /** The operator's lease, if they hold one that has not expired. */
  async current(userId: number): Promise<ContactLease | null> {
    const lease = await this.dataSource.getRepository(ContactLease).findOneBy({ userId });
    return lease && lease.expiresAt > this.clock.now() ? lease : null;
  }

  /**
   * Keeps the lease alive, saving the page's draft when one is given; 403 when the contact
   * is not (or no longer) leased to the caller.
   */
  async renew(userId: number, contactId: number, draft?: unknown): Promise<ContactLease> {
    if (draft !== undefined) checkDraft(draft);
    const now = this.clock.now();
    const renewed = await this.dataSource.transaction(async (em) => {
      const lease = await this.lockOwn(em, userId, contactId);
      if (lease.expiresAt <= now) {
        // Released in this transaction, which must commit: the 403 comes after it.
        await this.release(em, lease, 'expired');
        return null;
      }
      return this.contactLeases.renew(em, lease, this.expiryFrom(now), draft);
    });
    if (!renewed) {
      throw new ForbiddenError(`contactId: the lease on contact ${contactId} has expired`).say(
        'work.errors.leaseExpired',
      );
    }
    return renewed;
  }

  /** STOP / CHIUDI: nothing of the call is kept, the contact goes back where it was. */
  async discard(userId: number, contactId: number): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      const lease = await this.lockOwn(em, userId, contactId);
      await this.release(em, lease, 'discarded');
    });
  }

  /** The job: gives back every contact whose lease has expired; returns how many. */
  async releaseExpired(): Promise<number> {
    let released = 0;
    for (;;) {
      const count = await this.dataSource.transaction(async (em) => {
        const leases = await skipLocked(
          em
            .getRepository(ContactLease)
            .createQueryBuilder('l')
            .where('l.expiresAt <= :now', { now: this.clock.now() })
            .orderBy('l.expiresAt', 'ASC')
            .limit(RELEASE_BATCH),
        ).getMany();
        for (const lease of leases) await this.release(em, lease, 'expired');
        return leases.length;
      });
      released += count;
      if (count < RELEASE_BATCH) break;
    }
    if (released > 0) this.logger.log({ released }, 'expired contact leases released');
    return released;
  }

  /** Ends the caller's lease when it has expired (before they are given another contact). */
  async releaseOwnExpired(em: EntityManager, userId: number): Promise<ContactLease | null> {
    const lease = await em
      .getRepository(ContactLease)
      .findOne({ where: { userId }, ...forUpdate(em) });
    if (lease && lease.expiresAt <= this.clock.now()) {
      await this.release(em, lease, 'expired');
      return null;
    }
    return lease;
  }

  /** Locks the caller's lease on the contact, or 403. */
  async lockOwn(em: EntityManager, userId: number, contactId: number): Promise<ContactLease> {
    const lease = await em
      .getRepository(ContactLease)
      .findOne({ where: { contactId }, ...forUpdate(em) });
    if (!lease || lease.userId !== userId) {
      throw new ForbiddenError(`contactId: contact ${contactId} is not leased to you`).say(
        'work.errors.notLeased',
      );
    }
    return lease;
  }

  /**
   * Locks the caller's lease and its contact in one statement (both rows, as the outcome
   * needs them), or 403.
   */
  async lockOwnWithContact(
    em: EntityManager,
    userId: number,
    contactId: number,
  ): Promise<ContactLease & { contact: Contact }> {
    const query = em
      .getRepository(ContactLease)
      .createQueryBuilder('l')
      .innerJoinAndSelect('l.contact', 'c')
      .where('l.contactId = :contactId', { contactId });
    // MySQL locks both rows; SQLite's transactions take turns instead.
    if (isMysqlSource(em.connection)) query.setLock('pessimistic_write');
    const lease = await query.getOne();
    if (!lease?.contact || lease.userId !== userId) {
      throw new ForbiddenError(`contactId: contact ${contactId} is not leased to you`).say(
        'work.errors.notLeased',
      );
    }
    return lease as ContactLease & { contact: Contact };
  }

  /** The contact and its callback go back to where they were; the lease and its draft go. */
  async release(em: EntityManager, lease: ContactLease, reason: ReleaseReason): Promise<void> {
    await this.queue.giveBack(em, lease.contactId, lease.previousState);
    if (lease.callbackId !== null) {
      const kept = await this.callbacks.giveBack(em, lease.callbackId, this.clock.now());
      // A newer callback of the number replaced it during the call: nothing to wait for.
      if (!kept) await this.queue.dropCallback(em, lease.contactId);
    }
    await this.contactLeases.end(em, lease.contactId);
    await this.activity.recordRelease(em, lease, this.clock.now(), reason === 'discarded');
    await this.audit.record(em, {
      userId: lease.userId,
      action: `lease.${reason}`,
      entity: 'contact',
      entityId: lease.contactId,
      detail: `leased ${lease.startedAt.toISOString()}${lease.callbackId ? `, callback ${lease.callbackId}` : ''}`,
    });
  }
}

function checkDraft(draft: unknown): void {
  if (draft === null) return;
  if (typeof draft !== 'object' || Array.isArray(draft)) {
    throw new ValidationError('draft', 'draft must be an object');
  }
  if (Buffer.byteLength(JSON.stringify(draft)) > MAX_DRAFT_BYTES) {
    throw new ValidationError('draft', `draft must be at most ${MAX_DRAFT_BYTES / 1024} KB`);
  }
}
