import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { Appointment } from '../appointments/appointment.entity';
import { AuditEntry } from '../audit/audit-entry.entity';
import { CallbackRequest, OPEN_REQUEST_STATES } from '../callback-requests/callback-request.entity';
import { CallbackBook } from '../callbacks/callback-book';
import { ContactQueue } from '../contacts/contact-queue';
import { Contact } from '../contacts/contact.entity';
import { CtiEvent } from '../cti/cti-event.entity';
import { FollowUpEmail } from '../follow-ups/follow-up-email.entity';
import { FrequencyCap } from '../frequency-cap/frequency-cap';
import { Interaction } from '../interactions/interaction.entity';

/**
 * Blanks what names the people behind some contacts, everywhere the product kept it: the
 * contact (which leaves the queue for good), what their calls said (notes, answers,
 * corrections, the number dialled), their callbacks and appointments' notes, their e-mails
 * (unsent ones are not sent), their inbound requests, telephony events and the details of
 * the audit lines about them. Outcomes, counters and contracts stay. In the caller's
 * transaction, which holds the contacts' rows and has ended their leases.
 */
@Injectable()
export class ContactAnonymiser {
  constructor(
    private readonly queue: ContactQueue,
    private readonly callbacks: CallbackBook,
    private readonly frequencyCap: FrequencyCap,
  ) {}

  async anonymise(em: EntityManager, ids: number[], now: Date): Promise<void> {
    if (ids.length === 0) return;
    // Their numbers, before the queue blanks them: the frequency cap's tallies name them.
    const numbered = await em
      .getRepository(Contact)
      .find({ where: { id: In(ids) }, select: { id: true, phone: true } });
    // Owners first: the queue and the callbacks, then what the calls left.
    await this.queue.erase(em, ids);
    await this.frequencyCap.erase(
      em,
      numbered.map((c) => c.phone),
    );
    await this.callbacks.erase(em, ids, now);
    await em.update(
      Interaction,
      { contactId: In(ids) },
      { notes: null, answers: null, contactChanges: null, dialledPhone: null },
    );
    await em.update(Appointment, { contactId: In(ids) }, { notes: null, stateReason: null });
    await em.update(AuditEntry, { entity: 'contact', entityId: In(ids) }, { detail: null });
    await em.update(CtiEvent, { contactId: In(ids) }, { phone: '' });
    await this.blankEmails(
      em,
      await em
        .getRepository(FollowUpEmail)
        .find({ where: { contactId: In(ids) }, select: { id: true, state: true } }),
    );
    const requests = await em
      .getRepository(CallbackRequest)
      .find({ where: { contactId: In(ids) }, select: { id: true, state: true } });
    await this.blankRequests(em, requests, now);
  }

  /** E-mails blanked, and the unsent ones will not go. */
  async blankEmails(
    em: EntityManager,
    emails: Array<Pick<FollowUpEmail, 'id' | 'state'>>,
  ): Promise<void> {
    if (emails.length === 0) return;
    await em.update(
      FollowUpEmail,
      { id: In(emails.map((e) => e.id)) },
      { toAddress: '', subject: '', body: '', lastError: null },
    );
    const unsent = emails.filter((e) => e.state === 'queued' || e.state === 'sending');
    if (unsent.length) {
      await em.update(
        FollowUpEmail,
        { id: In(unsent.map((e) => e.id)) },
        { state: 'failed', lastError: 'erased on request', claimedBy: null, claimUntil: null },
      );
    }
  }

  /** Inbound callback requests: who asked is blanked, and an open one will not be kept. */
  async blankRequests(
    em: EntityManager,
    requests: Array<Pick<CallbackRequest, 'id' | 'state'>>,
    now: Date,
  ): Promise<void> {
    for (const request of requests) {
      await em.update(
        CallbackRequest,
        { id: request.id },
        {
          phone: `erased-${request.id}`,
          name: null,
          reason: null,
          context: null,
          clientIp: null,
          ...(OPEN_REQUEST_STATES.includes(request.state)
            ? { state: 'cancelled' as const, closedAt: now }
            : {}),
        },
      );
    }
  }
}
