import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Contact } from '../contacts/contact.entity';

/** A notice e-mailed, instead of the status's follow-up, to a customer not reached. */
export interface UnreachedNotice {
  /** The outbox row. */
  id: number;
  to: string;
  /** The status the contact is counted under instead of the outcome's (e.g. "e-mailed"). */
  statusId: number;
}

/**
 * An extension point of the outcome: a capability that tells a customer not reached after
 * the last attempt (the status's retry rule is spent) by e-mail instead, e.g. an outage
 * campaign's message. It runs inside the outcome's transaction and queues through the
 * FollowUpQueue; null when it has nothing to send to this contact.
 */
export interface UnreachedContactHook {
  unreachedWithin(em: EntityManager, contact: Contact): Promise<UnreachedNotice | null>;
}

/**
 * The hooks registered for an unreached customer (a capability registers in its
 * onModuleInit), asked in order of registration: the first notice queued is the one
 * e-mail the customer gets.
 */
@Injectable()
export class UnreachedContactHooks {
  private readonly hooks: UnreachedContactHook[] = [];

  register(hook: UnreachedContactHook): void {
    this.hooks.push(hook);
  }

  async noticeWithin(em: EntityManager, contact: Contact): Promise<UnreachedNotice | null> {
    for (const hook of this.hooks) {
      const notice = await hook.unreachedWithin(em, contact);
      if (notice) return notice;
    }
    return null;
  }
}
