import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ContactLease } from './contact-lease.entity';

/**
 * Leases (invariant 1): the only code that writes `contact_leases`. A lease is granted when
 * a contact is handed to an operator, renewed while their page is open, and ended by the
 * outcome, a discard or its expiry; each method is that transition, in the caller's
 * transaction.
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
    const lease = em.getRepository(ContactLease).create({ ...grant, draft: null });
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
    lease.expiresAt = expiresAt;
    if (draft !== undefined) lease.draft = draft === null ? null : JSON.stringify(draft);
    await em.save(ContactLease, lease);
    return lease;
  }

  /**
   * The lease and its draft are gone: the outcome is confirmed, or the contact given back.
   * Lock: the caller holds the lease row (SELECT ... FOR UPDATE).
   */
  async end(em: EntityManager, contactId: number): Promise<void> {
    await em.delete(ContactLease, { contactId });
  }
}
