import { Injectable } from '@nestjs/common';
import { EntityManager, In, Not, IsNull } from 'typeorm';
import { CampaignStep } from '../campaigns/campaign-step.entity';
import { ContactQueue, type ContactPreferences } from '../contacts/contact-queue';
import type { Contact } from '../contacts/contact.entity';
import type { FollowUpFacts } from './follow-up-facts';
import { FollowUpQueue, type QueuedFollowUp } from './follow-up-queue';
import { UnreachedContactHooks, type UnreachedNotice } from './unreached-contact-hooks';

export interface OutcomeFollowUp {
  /** The follow-up e-mail the status sends, queued (or not: the contact has no address). */
  followUp?: QueuedFollowUp;
  /** The customer refused the call's recording: the operator continues by e-mail. */
  continueByEmail?: boolean;
  /**
   * A customer not reached after the last attempt, e-mailed instead by a registered
   * UnreachedContactHook (an outage campaign's message, whence the answer's name);
   * `statusId` is the status the contact is counted under instead.
   */
  outageEmail?: UnreachedNotice;
}

/**
 * What the outcome's transaction does for proactive calling and follow-ups, kept out of
 * OutcomeService: consent steps with a purpose write their yes/no on the contact, and the
 * status's follow-up e-mail goes into the outbox. Runs inside the outcome's transaction.
 */
@Injectable()
export class OutcomeFollowUps {
  constructor(
    private readonly queue: FollowUpQueue,
    private readonly unreached: UnreachedContactHooks,
    private readonly contacts: ContactQueue,
  ) {}

  async recordWithin(
    em: EntityManager,
    input: {
      contact: Contact;
      campaignId: number;
      statusId: number;
      interactionId: number;
      operatorId: number;
      answers: Record<string, string> | null;
      /** A status with a retry rule whose attempts are spent: the contact ends final. */
      lastAttemptFailed: boolean;
      now: Date;
      /** The callback, appointment or contract the outcome created, for the e-mail's placeholders. */
      facts?: FollowUpFacts;
    },
  ): Promise<OutcomeFollowUp> {
    const result: OutcomeFollowUp = {};
    const contact = { ...input.contact };
    if (input.answers) {
      const ids = Object.keys(input.answers).map(Number);
      const steps = await em.getRepository(CampaignStep).findBy({
        id: In(ids),
        campaignId: input.campaignId,
        kind: 'consent',
        consentPurpose: Not(IsNull()),
      });
      const changes: ContactPreferences = {};
      for (const step of steps) {
        const yes = input.answers[String(step.id)] === 'yes';
        if (step.consentPurpose === 'contact') changes.consent = yes;
        if (step.consentPurpose === 'recording') {
          changes.recordingConsent = yes;
          if (!yes) {
            changes.preferredChannel = 'email';
            result.continueByEmail = true;
          }
        }
      }
      if (Object.keys(changes).length > 0) {
        await this.contacts.recordConsent(em, contact.id, changes);
        Object.assign(contact, changes);
      }
    }
    if (input.lastAttemptFailed) {
      const outageEmail = await this.unreached.noticeWithin(em, contact);
      // One e-mail to the customer: the notice says what the status's would.
      if (outageEmail) return { ...result, outageEmail };
    }
    const followUp = await this.queue.queueWithin(em, {
      contact,
      statusId: input.statusId,
      campaignId: input.campaignId,
      interactionId: input.interactionId,
      operatorId: input.operatorId,
      now: input.now,
      facts: input.facts,
    });
    if (followUp) result.followUp = followUp;
    return result;
  }
}
