import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ScriptRenderer } from '../campaigns/script-renderer';
import { Clock } from '../common/time/clock';
import { finishedTags } from '../contacts/contact-rules';
import { Contact } from '../contacts/contact.entity';
import { FollowUpEmail } from '../follow-ups/follow-up-email.entity';
import { oneLineSubject } from '../follow-ups/follow-up-templates.service';
import { Outage } from './outage.entity';

/**
 * "Where a call is not possible, the e-mail tells them instead": a contact an eligibility
 * rule keeps from being called (prefers e-mail, no consent, another reason) leaves the
 * queue, and in an outage campaign the outage's e-mail goes into the follow-up outbox in
 * the same transaction that took that decision; so does one not reached after the last
 * attempt, in the outcome's transaction.
 */
@Injectable()
export class OutageNotices {
  private readonly renderer = new ScriptRenderer();

  constructor(private readonly clock: Clock) {}

  /**
   * Takes the contact out of the queue for `rule` if it is still in the state it was read
   * in (a conditional UPDATE: of two transactions deciding at once, one changes the row and
   * queues the e-mail, the other finds it changed and does nothing). True when this one did.
   */
  async ineligibleWithin(
    em: EntityManager,
    contact: Contact,
    rule: string,
    outage?: Outage | null,
  ): Promise<boolean> {
    const found =
      outage === undefined
        ? await em.getRepository(Outage).findOneBy({ campaignId: contact.campaignId })
        : outage;
    const now = this.clock.now();
    const to = contact.email?.trim() ?? '';
    const emailed = found !== null && to !== '';
    const tags = emailed ? finishedTags(contact.tags ?? []) : null;
    const result = await em
      .createQueryBuilder()
      .update(Contact)
      .set({
        state: 'final',
        ineligibleReason: rule,
        ...(emailed ? { lastStatusId: found.emailedStatusId, lastOutcomeAt: now } : {}),
        ...(tags ? { tags } : {}),
      })
      .where('id = :id AND state = :state', { id: contact.id, state: contact.state })
      .execute();
    if (!result.affected) return false;
    if (emailed) await this.queueWithin(em, contact, found, to, now);
    return true;
  }

  /**
   * A customer of an outage campaign the operators could not reach after the last attempt
   * (the not-reached status's retry rule is spent): the outage e-mail goes into the outbox
   * in the outcome's transaction. Null when the campaign is no outage or the contact has no
   * address. Once only: the outcome holds the contact's lease locked, and a second
   * confirmation finds the lease gone.
   */
  async unreachedWithin(
    em: EntityManager,
    contact: Contact,
  ): Promise<{ id: number; to: string; statusId: number } | null> {
    const outage = await em.getRepository(Outage).findOneBy({ campaignId: contact.campaignId });
    const to = contact.email?.trim() ?? '';
    if (outage === null || to === '') return null;
    const id = await this.queueWithin(em, contact, outage, to, this.clock.now());
    return { id, to, statusId: outage.emailedStatusId };
  }

  /** The outage's message rendered for the contact, queued for the follow-up sender. */
  private async queueWithin(
    em: EntityManager,
    contact: Contact,
    outage: Outage,
    to: string,
    now: Date,
  ): Promise<number> {
    const context = { contact: { ...contact, fields: contact.fields ?? {} } };
    const inserted = await em.insert(FollowUpEmail, {
      contactId: contact.id,
      campaignId: contact.campaignId,
      interactionId: null,
      templateId: null,
      statusId: outage.emailedStatusId,
      toAddress: to,
      subject: oneLineSubject(this.renderer.renderText(outage.emailSubject, context)),
      body: this.renderer.renderText(outage.emailBody, context),
      state: 'queued',
      attempts: 0,
      nextAttemptAt: now,
      claimedBy: null,
      claimUntil: null,
      lastError: null,
      messageId: null,
      sentAt: null,
    });
    return Number(inserted.identifiers[0]!.id);
  }
}
