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
 * the same transaction that took that decision.
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
    if (emailed) {
      const context = { contact: { ...contact, fields: contact.fields ?? {} } };
      await em.insert(FollowUpEmail, {
        contactId: contact.id,
        campaignId: contact.campaignId,
        interactionId: null,
        templateId: null,
        statusId: found.emailedStatusId,
        toAddress: to,
        subject: oneLineSubject(this.renderer.renderText(found.emailSubject, context)),
        body: this.renderer.renderText(found.emailBody, context),
        state: 'queued',
        attempts: 0,
        nextAttemptAt: now,
        claimedBy: null,
        claimUntil: null,
        lastError: null,
        messageId: null,
        sentAt: null,
      });
    }
    return true;
  }
}
