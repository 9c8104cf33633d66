import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ScriptRenderer } from '../campaigns/script-renderer';
import { Clock } from '../common/time/clock';
import { finishedTags } from '../contacts/contact-rules';
import type { Contact } from '../contacts/contact.entity';
import {
  IneligibleContacts,
  type IneligibleContactHook,
  type IneligibleContactPlan,
} from '../eligibility/ineligible-contacts';
import { FollowUpQueue } from '../follow-ups/follow-up-queue';
import {
  UnreachedContactHooks,
  type UnreachedContactHook,
  type UnreachedNotice,
} from '../follow-ups/unreached-contact-hooks';
import { Outage } from './outage.entity';

/**
 * "Where a call is not possible, the e-mail tells them instead": a contact an eligibility
 * rule keeps from being called (prefers e-mail, no consent, another reason) leaves the
 * queue, and in an outage campaign the outage's e-mail goes into the follow-up outbox in
 * the same transaction that took that decision; so does one not reached after the last
 * attempt, in the outcome's transaction. Registered into the eligibility check's and the
 * outcome's hooks, so that neither knows about outages.
 */
@Injectable()
export class OutageNotices implements IneligibleContactHook, UnreachedContactHook, OnModuleInit {
  private readonly renderer = new ScriptRenderer();

  constructor(
    private readonly clock: Clock,
    private readonly queue: FollowUpQueue,
    private readonly ineligible: IneligibleContacts,
    private readonly unreached: UnreachedContactHooks,
  ) {}

  onModuleInit(): void {
    this.ineligible.register(this);
    this.unreached.register(this);
  }

  /**
   * The sweep after an import, with the campaign's outage already read: takes the contact
   * out of the queue for `rule` (once, see IneligibleContacts) with the outage e-mail.
   */
  async ineligibleWithin(
    em: EntityManager,
    contact: Contact,
    rule: string,
    outage: Outage | null,
  ): Promise<boolean> {
    const plan = this.planFor(contact, outage);
    return this.ineligible.removeWithin(em, contact, rule, plan ? [plan] : []);
  }

  /** At dispatch: in an outage campaign, a contact with an address is e-mailed instead. */
  async planWithin(em: EntityManager, contact: Contact): Promise<IneligibleContactPlan | null> {
    const outage = await em.getRepository(Outage).findOneBy({ campaignId: contact.campaignId });
    return this.planFor(contact, outage);
  }

  /**
   * A customer of an outage campaign the operators could not reach after the last attempt
   * (the not-reached status's retry rule is spent): the outage e-mail goes into the outbox
   * in the outcome's transaction. Null when the campaign is no outage or the contact has no
   * address. Once only: the outcome holds the contact's lease locked, and a second
   * confirmation finds the lease gone.
   */
  async unreachedWithin(em: EntityManager, contact: Contact): Promise<UnreachedNotice | null> {
    const outage = await em.getRepository(Outage).findOneBy({ campaignId: contact.campaignId });
    const to = contact.email?.trim() ?? '';
    if (outage === null || to === '') return null;
    const id = await this.queueWithin(em, contact, outage, to, this.clock.now());
    return { id, to, statusId: outage.emailedStatusId };
  }

  /** Counted as e-mailed, its tags finished, and the e-mail queued once it left the queue. */
  private planFor(contact: Contact, outage: Outage | null): IneligibleContactPlan | null {
    const to = contact.email?.trim() ?? '';
    if (outage === null || to === '') return null;
    const now = this.clock.now();
    const tags = finishedTags(contact.tags ?? []);
    return {
      changes: {
        lastStatusId: outage.emailedStatusId,
        lastOutcomeAt: now,
        ...(tags ? { tags } : {}),
      },
      afterWithin: async (em) => {
        await this.queueWithin(em, contact, outage, to, now);
      },
    };
  }

  /** The outage's message rendered for the contact, queued for the follow-up sender. */
  private queueWithin(
    em: EntityManager,
    contact: Contact,
    outage: Outage,
    to: string,
    now: Date,
  ): Promise<number> {
    const context = { contact: { ...contact, fields: contact.fields ?? {} } };
    return this.queue.queueMessageWithin(em, {
      contactId: contact.id,
      campaignId: contact.campaignId,
      interactionId: null,
      templateId: null,
      statusId: outage.emailedStatusId,
      to,
      subject: this.renderer.renderText(outage.emailSubject, context),
      body: this.renderer.renderText(outage.emailBody, context),
      now,
    });
  }
}
