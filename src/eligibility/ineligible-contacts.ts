import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ContactQueue } from '../contacts/contact-queue';
import type { Contact } from '../contacts/contact.entity';

/** What a hook does when a contact leaves the queue for a rule. */
export interface IneligibleContactPlan {
  /** Written onto the contact's row with the decision, in the same conditional UPDATE. */
  changes: Partial<Contact>;
  /** Runs only when this transaction took the contact out, still inside it (a notice). */
  afterWithin(em: EntityManager): Promise<void>;
}

/**
 * An extension point of the eligibility check: a capability that acts on a contact a rule
 * (consent, reason, channel) keeps from being called, e.g. an outage campaign e-mails its
 * message instead. Runs inside the transaction that decides; null when it has nothing to do.
 */
export interface IneligibleContactHook {
  planWithin(
    em: EntityManager,
    contact: Contact,
    rule: string,
  ): Promise<IneligibleContactPlan | null>;
}

/**
 * Contacts leaving the queue for a rule of their own, and the hooks registered for them (a
 * capability registers in its onModuleInit). Used at dispatch and by a sweep after import.
 */
@Injectable()
export class IneligibleContacts {
  private readonly hooks: IneligibleContactHook[] = [];

  constructor(private readonly queue: ContactQueue) {}

  register(hook: IneligibleContactHook): void {
    this.hooks.push(hook);
  }

  /**
   * Takes the contact out of the queue for `rule` if it is still in the state it was read
   * in (a conditional UPDATE: of two transactions deciding at once, one changes the row and
   * runs the hooks' work, the other finds it changed and does nothing). True when this one
   * did. `plans`: what the caller already planned instead of asking the registered hooks.
   */
  async removeWithin(
    em: EntityManager,
    contact: Contact,
    rule: string,
    plans?: IneligibleContactPlan[],
  ): Promise<boolean> {
    const chosen = plans ?? (await this.plansWithin(em, contact, rule));
    const changes = Object.assign({}, ...chosen.map((plan) => plan.changes)) as Partial<Contact>;
    if (!(await this.queue.setAside(em, contact, rule, changes))) return false;
    for (const plan of chosen) await plan.afterWithin(em);
    return true;
  }

  private async plansWithin(
    em: EntityManager,
    contact: Contact,
    rule: string,
  ): Promise<IneligibleContactPlan[]> {
    const plans: IneligibleContactPlan[] = [];
    for (const hook of this.hooks) {
      const plan = await hook.planWithin(em, contact, rule);
      if (plan) plans.push(plan);
    }
    return plans;
  }
}
