import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager, LessThanOrEqual } from 'typeorm';
import { Campaign } from '../campaigns/campaign.entity';
import { retriedTransaction } from '../common/database/retried-transaction';
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  NotFoundError,
} from '../common/errors/domain-errors';
import { Clock } from '../common/time/clock';
import { Contact } from '../contacts/contact.entity';
import { ContactLease } from './contact-lease.entity';
import { ContactLeases } from './contact-leases';
import { OutcomeService, type OutcomeResult } from './outcome.service';

/** Wrap-ups one job run confirms at most. */
const WRAP_UP_BATCH = 100;

/** The notes the operator had typed (the workstation's draft), or null. */
export function draftNotes(draft: string | null): string | null {
  if (!draft) return null;
  try {
    const value: unknown = JSON.parse(draft);
    if (typeof value !== 'object' || value === null) return null;
    const notes = (value as { notes?: unknown }).notes;
    return typeof notes === 'string' && notes.trim() !== '' ? notes.trim() : null;
  } catch {
    return null;
  }
}

/**
 * The campaign's wrap-up: when a call ends (the operator's "fine chiamata" or the PBX's
 * call.ended) the operator's lease gets a deadline; when it passes and the operator has
 * not confirmed an outcome, the campaign's wrap-up status is confirmed for them with the
 * notes of their draft. The lease holds the deadline, so it ends with the lease: an
 * outcome, a discard or an expiry leaves nothing pending.
 */
@Injectable()
export class WrapUpService {
  private readonly logger = new Logger(WrapUpService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly contactLeases: ContactLeases,
    private readonly outcomes: OutcomeService,
  ) {}

  /**
   * `POST /work/:contactId/call-ended`: the caller's lease on the contact gets its deadline
   * (when the campaign has a wrap-up; a second press keeps the first). 404 for no such
   * contact, 403 when not leased to the caller, 409 when they confirmed it a moment ago.
   */
  async callEnded(userId: number, contactId: number): Promise<{ wrapUpAt: Date | null }> {
    const now = this.clock.now();
    return this.dataSource.transaction(async (em) => {
      let lease: ContactLease;
      try {
        lease = await this.outcomes.lockLease(em, userId, contactId, now);
      } catch (error) {
        if (error instanceof ForbiddenError && !(await em.existsBy(Contact, { id: contactId }))) {
          throw new NotFoundError('contactId: contact', contactId);
        }
        throw error;
      }
      return { wrapUpAt: await this.startWithin(em, lease, now) };
    });
  }

  /**
   * The call of the leased contact ended (the caller holds the lease row, FOR UPDATE):
   * its deadline, or null when the campaign has no wrap-up.
   */
  async startWithin(em: EntityManager, lease: ContactLease, now: Date): Promise<Date | null> {
    if (lease.wrapUpAt !== null) return lease.wrapUpAt;
    const campaign = await em.findOneBy(Campaign, { id: lease.campaignId });
    if (!campaign?.wrapUpSeconds || campaign.wrapUpStatusId === null) return null;
    const at = new Date(now.getTime() + campaign.wrapUpSeconds * 1000);
    await this.contactLeases.startWrapUp(em, lease, at);
    return at;
  }

  /**
   * The job: every lease whose wrap-up is due gets its status confirmed. Several instances
   * may run it at once: each confirmation locks the lease and finds it gone if another
   * (or the operator) got there first. Returns how many were confirmed.
   */
  async applyDue(): Promise<number> {
    const due = await this.dataSource.getRepository(ContactLease).find({
      select: { contactId: true, userId: true },
      where: { wrapUpAt: LessThanOrEqual(this.clock.now()) },
      order: { wrapUpAt: 'ASC' },
      take: WRAP_UP_BATCH,
    });
    let applied = 0;
    for (const lease of due) {
      try {
        if (await this.apply(lease.userId, lease.contactId)) applied++;
      } catch (error) {
        // One lease's failure (the database, a bug) does not hold up the others.
        this.logger.error({ err: error, contactId: lease.contactId }, 'wrap-up failed');
      }
    }
    return applied;
  }

  /**
   * One lease's wrap-up, if it is due: the campaign's status confirmed as the operator's
   * outcome with their draft's notes (an automatic note without them), in the outcome's
   * one transaction. Null when nothing was due: the operator confirmed or gave the contact
   * back meanwhile (the lease is gone or is a new one), or the deadline is still ahead.
   * A status the outcome refuses (changed since it was chosen) drops the wrap-up: the
   * operator confirms by hand.
   */
  async apply(userId: number, contactId: number): Promise<OutcomeResult | null> {
    const now = this.clock.now();
    try {
      return await retriedTransaction(
        this.dataSource,
        async (em) => {
          // Lock: the lease and contact rows, as the operator's own confirm takes them (one
          // statement, one order); the loser of the two finds the lease gone, so the call
          // has exactly one interaction.
          const lease = await this.lockedLease(em, userId, contactId, now);
          if (!lease || lease.wrapUpAt === null || lease.wrapUpAt > now) return null;
          const campaign = await em.findOneByOrFail(Campaign, { id: lease.campaignId });
          if (!campaign.wrapUpSeconds || campaign.wrapUpStatusId === null) {
            await this.contactLeases.dropWrapUp(em, lease);
            return null;
          }
          return this.outcomes.write(em, userId, contactId, {
            statusId: campaign.wrapUpStatusId,
            notes:
              draftNotes(lease.draft) ??
              `Esito automatico dopo ${campaign.wrapUpSeconds} s di post-chiamata`,
          });
        },
        { readCommitted: true },
      );
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      this.logger.warn(
        { err: error, contactId, operatorId: userId },
        'wrap-up status refused; the operator confirms by hand',
      );
      await this.dataSource.transaction(async (em) => {
        const lease = await this.lockedLease(em, userId, contactId, now);
        if (lease) await this.contactLeases.dropWrapUp(em, lease);
      });
      return null;
    }
  }

  /** The operator's lease on the contact, locked; null when they no longer hold it. */
  private async lockedLease(
    em: EntityManager,
    userId: number,
    contactId: number,
    now: Date,
  ): Promise<ContactLease | null> {
    try {
      return await this.outcomes.lockLease(em, userId, contactId, now);
    } catch (error) {
      if (error instanceof ForbiddenError || error instanceof ConflictError) return null;
      throw error;
    }
  }
}
