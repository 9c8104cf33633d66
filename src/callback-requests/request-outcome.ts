import { EntityManager, In } from 'typeorm';
import type { ContactState } from '../contacts/contact.entity';
import { CallbackRequest, OPEN_REQUEST_STATES } from './callback-request.entity';

export interface RequestOutcome {
  contactId: number;
  /** Whether the customer was reached (anything but a no-answer with a retry rule). */
  reached: boolean;
  /** The contact's state after the outcome: `retry` when its status re-queued it. */
  contactState: ContactState;
  /** When the call began (the lease). */
  startedAt: Date;
  now: Date;
}

/**
 * Inside the outcome's transaction (the contact is leased, so nobody else changes its
 * request): the caller's open callback request is served when they were reached, retried
 * by the status's retry rule when not, and closed as not reached after the last attempt.
 */
export async function recordRequestOutcome(
  em: EntityManager,
  outcome: RequestOutcome,
): Promise<void> {
  const request = await em.getRepository(CallbackRequest).findOne({
    where: { contactId: outcome.contactId, state: In([...OPEN_REQUEST_STATES]) },
    order: { id: 'DESC' },
  });
  if (!request) return;
  const closed = outcome.reached || outcome.contactState !== 'retry';
  await em.update(
    CallbackRequest,
    { id: request.id },
    {
      attempts: request.attempts + 1,
      firstAttemptAt: request.firstAttemptAt ?? outcome.startedAt,
      state: outcome.reached ? 'served' : closed ? 'not_reached' : 'retrying',
      servedAt: outcome.reached ? outcome.now : null,
      closedAt: closed ? outcome.now : null,
    },
  );
}
