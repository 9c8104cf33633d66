import type { ContactChanges } from './contact-corrections';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { Campaign } from '../campaigns/campaign.entity';
import { isMysqlSource } from '../common/database/sql-dialect';
import { blocksSql } from '../do-not-call/do-not-call-rule';
import { finishedTags } from './contact-rules';
import { Contact, type ContactState } from './contact.entity';

/** What the consent steps of a call and the contact's own choices may change. */
export type ContactPreferences = Partial<
  Pick<Contact, 'consent' | 'recordingConsent' | 'preferredChannel' | 'callReason'>
>;

/**
 * A contact's place in its campaign's queue: the only code that writes a contact's state,
 * attempts, next call time, last outcome and the reason it left the queue. Each method is
 * one transition, run in the caller's transaction:
 *
 *   new | retry | callback -> in_progress (hand) -> back where it was (giveBack)
 *   in_progress -> callback | retry | done | final (recordOutcome)
 *   any -> callback (awaitCallback), callback -> final (dropCallback)
 *   any -> final (finalise: do-not-call; setAside: an eligibility rule), final -> new (reconsider)
 *
 * Every method says which lock makes it safe: a row the caller has locked, or a guarded
 * UPDATE whose WHERE holds the state it expects.
 */
@Injectable()
export class ContactQueue {
  /**
   * New contacts in their campaign's queue (a caller's request, the demo's list).
   * Lock: UQ_contacts_campaign_phone decides between two inserts of one number.
   */
  /**
   * A list recycled: its contacts done or final whose last outcome is one of `statusIds`
   * (and older than `before`) go back to the queue as new attempts, never a number the
   * do-not-call list blocks for the campaign nor a contact with a contract that was not cancelled. How many.
   * Lock: one conditional UPDATE; of two recycles at once each contact changes once (the
   * second finds it no longer done or final).
   */
  async recycle(
    em: EntityManager,
    listId: number,
    statusIds: number[],
    now: Date,
    before: Date | null,
  ): Promise<number> {
    const query = em
      .createQueryBuilder()
      .update(Contact)
      .set({ state: 'retry', nextCallAt: now, attempts: 0 })
      .where('list_id = :listId', { listId })
      .andWhere('state IN (:...states)', { states: ['done', 'final'] })
      .andWhere('ineligible_reason IS NULL')
      .andWhere('last_status_id IN (:...statusIds)', { statusIds })
      .andWhere(
        'NOT EXISTS (SELECT 1 FROM do_not_call_numbers dnc INNER JOIN campaigns cp ON cp.id = contacts.campaign_id ' +
          `WHERE dnc.phone = contacts.phone AND ${blocksSql('dnc', null, ':dncNow', 'cp.purpose')})`,
        { dncNow: now },
      )
      .andWhere("id NOT IN (SELECT k.contact_id FROM contracts k WHERE k.status <> 'cancelled')");
    if (before) query.andWhere('last_outcome_at <= :before', { before });
    const result = await query.execute();
    return result.affected ?? 0;
  }

  async enrol(
    em: EntityManager,
    contacts: QueryDeepPartialEntity<Contact> | QueryDeepPartialEntity<Contact>[],
  ): Promise<void> {
    await em.insert(Contact, contacts);
  }

  /**
   * Leased to an operator: being worked.
   * Lock: the caller claimed the row (SELECT ... FOR UPDATE [SKIP LOCKED]).
   */
  async hand(em: EntityManager, contactId: number): Promise<void> {
    await em.update(Contact, { id: contactId }, { state: 'in_progress' });
  }

  /**
   * Its lease ended without an outcome: back to the state it had before.
   * Lock: conditional UPDATE from in_progress; the caller holds the lease row.
   */
  async giveBack(em: EntityManager, contactId: number, previous: ContactState): Promise<void> {
    await em.update(Contact, { id: contactId, state: 'in_progress' }, { state: previous });
  }

  /**
   * The outcome confirmed: its new state, one more attempt, the status it ended on and when
   * to call again; a contact done (or final) has its "call next" tags made final ones.
   * Lock: the caller holds the contact's row with its lease (pessimistic_write), so a second
   * confirmation cannot read the old attempts or tags.
   */
  async recordOutcome(
    em: EntityManager,
    contact: Pick<Contact, 'id' | 'attempts' | 'tags'>,
    outcome: { state: ContactState; statusId: number; nextCallAt: Date | null; now: Date },
  ): Promise<void> {
    const tags =
      outcome.state === 'done' || outcome.state === 'final'
        ? finishedTags(contact.tags ?? [])
        : null;
    await em.update(
      Contact,
      { id: contact.id },
      {
        state: outcome.state,
        attempts: contact.attempts + 1,
        lastStatusId: outcome.statusId,
        lastOutcomeAt: outcome.now,
        nextCallAt: outcome.nextCallAt,
        ...(tags ? { tags } : {}),
      },
    );
  }

  /**
   * Waiting for a callback due at `at`; a fresh promise the customer asked for starts the
   * retry count again (`freshAttempts`).
   * Lock: the caller holds the contact's row (SELECT ... FOR UPDATE).
   */
  async awaitCallback(
    em: EntityManager,
    contactId: number,
    at: Date,
    options: { freshAttempts?: boolean } = {},
  ): Promise<void> {
    await em.update(
      Contact,
      { id: contactId },
      { state: 'callback', nextCallAt: at, ...(options.freshAttempts ? { attempts: 0 } : {}) },
    );
  }

  /**
   * The callback it waited for is gone (cancelled, expired): nothing else would dispatch it,
   * so it is final; a coordinator who wants it called again re-queues it.
   * Lock: conditional UPDATE from state callback.
   */
  async dropCallback(em: EntityManager, contactId: number): Promise<void> {
    await em.update(
      Contact,
      { id: contactId, state: 'callback' },
      { state: 'final', nextCallAt: null },
    );
  }

  /**
   * Never dispatched again: its number is on the do-not-call list (invariant 8).
   * Lock: the caller holds the row (SELECT ... FOR UPDATE).
   */
  async finalise(em: EntityManager, contactId: number): Promise<void> {
    await em.update(Contact, { id: contactId }, { state: 'final' });
  }

  /**
   * The campaign's contacts with ids in `ids` waiting in the queue (new, or a retry) whose
   * number the do-not-call list blocks for it at `now` leave it as dispatch's check takes
   * them out (`finalise`: final). A contact on an operator's screen or waiting for an agreed
   * callback is not touched. How many left.
   * Lock: one UPDATE joined on the list, its WHERE holding the states it expects: a contact
   * dispatch leases meanwhile is either locked by it first (then in_progress, left alone)
   * or skipped by dispatch's SKIP LOCKED until this commits.
   */
  async removeListed(
    em: EntityManager,
    campaign: Pick<Campaign, 'id' | 'purpose'>,
    ids: { from: number; to: number },
    now: Date | string,
  ): Promise<number> {
    const rule = blocksSql('d', campaign.purpose, '?');
    const params = [campaign.id, ids.from, ids.to, now];
    const result = (await em.queryRunner!.query(
      isMysqlSource(em.connection)
        ? 'UPDATE contacts c INNER JOIN do_not_call_numbers d ON d.phone = c.phone ' +
            "SET c.state = 'final' WHERE c.campaign_id = ? AND c.id BETWEEN ? AND ? " +
            `AND c.state IN ('new', 'retry') AND ${rule}`
        : "UPDATE contacts SET state = 'final' WHERE campaign_id = ? AND id BETWEEN ? AND ? " +
            "AND state IN ('new', 'retry') AND EXISTS (SELECT 1 FROM do_not_call_numbers d " +
            `WHERE d.phone = contacts.phone AND ${rule})`,
      params,
      true,
    )) as { affected?: number };
    return result.affected ?? 0;
  }

  /**
   * Out of the queue for an eligibility `rule`, if it is still in the state it was read in,
   * with what the hooks of that decision write with it (e.g. the status and time of the
   * e-mail sent instead, final tags). Whether this call changed it.
   * Lock: conditional UPDATE (of two transactions deciding at once, one changes the row).
   */
  async setAside(
    em: EntityManager,
    contact: Pick<Contact, 'id' | 'state'>,
    rule: string,
    alsoWrite: Partial<Contact> = {},
  ): Promise<boolean> {
    const result = await em
      .createQueryBuilder()
      .update(Contact)
      .set({ state: 'final', ineligibleReason: rule, ...alsoWrite })
      .where('id = :id AND state = :state', { id: contact.id, state: contact.state })
      .execute();
    return !!result.affected;
  }

  /**
   * What decides its eligibility changed (consent, channel, reason to call); one kept from
   * the queue by a rule goes back to it as new (the rules are checked again on dispatch).
   * Lock: the caller's transaction read it; the last writer's choices win, as on a form.
   */
  async reconsider(
    em: EntityManager,
    contact: Pick<Contact, 'id' | 'state' | 'ineligibleReason'>,
    preferences: ContactPreferences,
  ): Promise<void> {
    const changes: QueryDeepPartialEntity<Contact> = { ...preferences };
    if (contact.state === 'final' && contact.ineligibleReason !== null) {
      changes.state = 'new';
      changes.ineligibleReason = null;
    }
    if (Object.keys(changes).length > 0) await em.update(Contact, { id: contact.id }, changes);
  }

  /**
   * The consent answers of a call (contact, recording) and the channel they imply.
   * Lock: the caller holds the contact's row with its lease (pessimistic_write).
   */
  /**
   * What the call corrected on the contact (invariant 13), with its outcome.
   * Lock: the caller holds the contact's row with its lease (pessimistic_write); a main
   * number another contact of the campaign has is refused by UQ_contacts_campaign_phone.
   */
  async correct(em: EntityManager, contactId: number, changes: ContactChanges): Promise<void> {
    if (Object.keys(changes).length > 0) await em.update(Contact, { id: contactId }, changes);
  }

  async recordConsent(
    em: EntityManager,
    contactId: number,
    consent: ContactPreferences,
  ): Promise<void> {
    if (Object.keys(consent).length > 0) await em.update(Contact, { id: contactId }, consent);
  }

  /**
   * A person's erasure (GDPR art. 17): everything that names them is blanked, the main
   * number becomes a placeholder unique in its campaign, and the contact leaves the queue
   * for good (final, with reason `erased`, so no recycle brings it back). The state, the
   * attempts and the last outcome stay for the reports.
   * Lock: the caller holds the contacts' rows (SELECT ... FOR UPDATE) and has ended their leases.
   */
  async erase(em: EntityManager, contactIds: number[]): Promise<void> {
    for (const id of contactIds) {
      await em.update(
        Contact,
        { id },
        {
          firstName: '',
          lastName: ERASED_NAME,
          phone: `erased-${id}`,
          email: null,
          city: null,
          province: null,
          address: null,
          postalCode: null,
          otherPhones: null,
          fields: null,
          callReason: null,
          preferredChannel: null,
          consent: null,
          recordingConsent: null,
          tags: [],
          state: 'final',
          nextCallAt: null,
          ineligibleReason: 'erased',
        },
      );
    }
  }
}

/** What an erased contact is called where a name is shown. */
export const ERASED_NAME = '(anonimizzato)';
