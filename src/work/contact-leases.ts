import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ContactLease } from './contact-lease.entity';

/**
 * Leases (invariant 1): the only code that writes `contact_leases`. A lease is granted when
 * a contact is handed to an operator, renewed while their page is open, given a wrap-up
 * deadline when the call ends, and ended by the outcome, a discard or its expiry; each
 * method is that transition, in the caller's transaction.
 */
@Injectable()
export class ContactLeases {
  /**
   * The contact handed to the operator until `expiresAt`.
   * Lock: the primary key keeps a contact to one operator and UQ_contact_leases_user an
   * operator to one contact: of two grants racing, the second fails (a unique violation).
   */
  async grant(
    em: EntityManager,
    grant: Pick<
      ContactLease,
      'contactId' | 'userId' | 'campaignId' | 'callbackId' | 'previousState'
    > & { startedAt: Date; expiresAt: Date },
  ): Promise<ContactLease> {
    const lease = em.getRepository(ContactLease).create({ ...grant, draft: null, wrapUpAt: null });
    await em.insert(ContactLease, lease);
    return lease;
  }

  /**
   * Kept alive until `expiresAt`, with the page's draft when one is given (null clears it).
   * Lock: the caller holds the lease row (SELECT ... FOR UPDATE).
   */
  async renew(
    em: EntityManager,
    lease: ContactLease,
    expiresAt: Date,
    draft?: unknown,
  ): Promise<ContactLease> {
    lease.expiresAt = outlivingWrapUp(lease, expiresAt);
    if (draft !== undefined) lease.draft = draft === null ? null : JSON.stringify(draft);
    await em.save(ContactLease, lease);
    return lease;
  }

  /**
   * The call has ended: the campaign's wrap-up status is confirmed at `at` unless the
   * operator confirms first. The first end counts (a second press keeps its deadline), and
   * the lease lives past the deadline, so a page closed meanwhile still gets its outcome.
   * Lock: the caller holds the lease row (SELECT ... FOR UPDATE).
   */
  async startWrapUp(em: EntityManager, lease: ContactLease, at: Date): Promise<ContactLease> {
    if (lease.wrapUpAt !== null) return lease;
    lease.wrapUpAt = at;
    lease.expiresAt = outlivingWrapUp(lease, lease.expiresAt);
    await em.update(
      ContactLease,
      { contactId: lease.contactId },
      { wrapUpAt: lease.wrapUpAt, expiresAt: lease.expiresAt },
    );
    return lease;
  }

  /**
   * The wrap-up will not be confirmed (the campaign no longer has one, or its status was refused).
   * Lock: the caller holds the lease row (SELECT ... FOR UPDATE).
   */
  async dropWrapUp(em: EntityManager, lease: ContactLease): Promise<void> {
    lease.wrapUpAt = null;
    await em.update(ContactLease, { contactId: lease.contactId }, { wrapUpAt: null });
  }

  /**
   * The lease and its draft are gone: the outcome is confirmed, or the contact given back.
   * Lock: the caller holds the lease row (SELECT ... FOR UPDATE).
   */
  async end(em: EntityManager, contactId: number): Promise<void> {
    await em.delete(ContactLease, { contactId });
  }
}

/** How long a lease outlives its wrap-up's deadline: time for the job to confirm it. */
export const WRAP_UP_GRACE_MS = 60_000;

/** `expiresAt`, or later when a wrap-up is pending: the lease must not expire before it. */
function outlivingWrapUp(lease: ContactLease, expiresAt: Date): Date {
  if (lease.wrapUpAt === null) return expiresAt;
  const floor = lease.wrapUpAt.getTime() + WRAP_UP_GRACE_MS;
  return expiresAt.getTime() >= floor ? expiresAt : new Date(floor);
}
