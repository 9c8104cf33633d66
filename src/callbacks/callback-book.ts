import { Injectable } from '@nestjs/common';
import { EntityManager, In, IsNull, LessThanOrEqual, Not } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import {
  type CallingWindow,
  isWithinCallingHours,
  nextCallingMoment,
} from '../campaigns/calling-hours';
import { forUpdate } from '../common/database/row-lock';
import { isUniqueViolation } from '../common/errors/unique-violation';
import { formatDateTime } from '../common/format/locale-format';
import { ContactQueue } from '../contacts/contact-queue';
import { Campaign } from '../campaigns/campaign.entity';
import type { CallbackVisibility } from '../outcome-statuses/outcome-status.entity';
import { ACTIVE_CALLBACK_STATES, Callback, type CallbackState } from './callback.entity';

/** Waiting to be called: neither being called nor closed. */
const WAITING: readonly CallbackState[] = ['scheduled', 'due'];

/** What a promise to call the customer back says: whose it is, when, and why. */
export interface CallbackTerms {
  contactId: number;
  /** The contact's number (E.164), as it is when the callback is agreed. */
  phone: string;
  campaignId: number;
  ownerId: number | null;
  visibility: CallbackVisibility;
  dueAt: Date;
  notes: string | null;
  reason: string | null;
  answers: Record<string, string> | null;
}

/**
 * The book of callbacks: the only code that writes the `callbacks` table. Each method is
 * one transition of a callback's life, run in the caller's transaction:
 *
 *   scheduled -> due (fallDue) -> in_progress (hand) -> done | missed (close)
 *   in_progress -> due | scheduled (giveBack: the lease ended without an outcome)
 *   scheduled | due -> cancelled (cancel, cancelActive) | expired (expire)
 *   scheduled | due | in_progress -> cancelled (replaced: the same number, another contact)
 *   active: its number follows its contact's (renumber), the older of two for one number cancelled
 *   private -> public (escalate, makePublic), public -> private (makePrivate), owner (reassign)
 *
 * Every method says which lock makes it safe: a row the caller has locked, or a guarded
 * UPDATE whose WHERE holds the state it expects (then it answers whether it changed a row).
 */
@Injectable()
export class CallbackBook {
  constructor(
    private readonly audit: AuditService,
    private readonly queue: ContactQueue,
  ) {}

  /**
   * A new promise for the contact, replacing its other active one (one active callback per
   * contact) and the active one of the same number in any other contact, of any campaign
   * (one per number): that one is cancelled, its contact leaves the queue as after a
   * coordinator's cancellation, and its history (an audit line, and its notes, which its
   * owner reads) says which campaign's newer callback replaced it. `actorId`: who agreed
   * the new one (null: a caller on the public page, a job). Returns its id.
   * Lock: the caller holds the contact's row (its lease, or SELECT ... FOR UPDATE); the
   * number's other callback is decided by UQ_callbacks_active_phone, a write that conflicts:
   * of two callbacks written for one number at once, on one server or on two nodes of a
   * cluster, the second waits for (or fails certification against) the first, then replaces it.
   */
  async schedule(
    em: EntityManager,
    terms: CallbackTerms,
    now: Date,
    actorId: number | null = terms.ownerId,
  ): Promise<number> {
    await this.cancelActive(em, terms.contactId, now);
    const { phone, ...row } = terms;
    const values = {
      ...row,
      activePhone: phone,
      state: 'scheduled' as const,
      assignedAt: now,
      interactionId: null,
      closedAt: null,
    };
    // Almost always the number has no other active callback: the INSERT alone. When it
    // has one, the refused INSERT (a statement undone, the transaction goes on) says so,
    // and that one is replaced; a third writer meanwhile can only make this go round again.
    for (let attempt = 1; ; attempt++) {
      try {
        const inserted = await em.insert(Callback, values);
        return Number(inserted.identifiers[0]!.id);
      } catch (error) {
        if (attempt >= 3 || !isActivePhoneTaken(error)) throw error;
      }
      await this.replaceOtherOf(em, phone, terms, now, actorId);
    }
  }

  /**
   * The contact's main number corrected in a call (invariant 13): its active callback, if it
   * has one (another operator's private one waits while this call goes on), follows it, so
   * the one active callback of the new number is known and the old number is free. When the
   * new number already has an active callback of another contact, the newer of the two (by
   * id, as the migration chose) stays and the older is cancelled, saying why.
   * Lock: the caller holds the contact's row with its lease; the new number is decided by
   * UQ_callbacks_active_phone, as in schedule.
   */
  async renumber(
    em: EntityManager,
    contactId: number,
    phone: string,
    now: Date,
    actorId: number | null,
  ): Promise<void> {
    const mine = await em.getRepository(Callback).findOne({
      where: { contactId, activePhone: Not(IsNull()) },
      select: { id: true, campaignId: true, activePhone: true, notes: true, state: true },
    });
    if (!mine || mine.activePhone === phone) return;
    for (let attempt = 1; ; attempt++) {
      try {
        await em.update(
          Callback,
          { id: mine.id, activePhone: Not(IsNull()) },
          { activePhone: phone },
        );
        return;
      } catch (error) {
        if (attempt >= 3 || !isActivePhoneTaken(error)) throw error;
      }
      const other = await em
        .getRepository(Callback)
        .findOne({ where: { activePhone: phone }, select: { id: true, campaignId: true } });
      if (other && other.id > mine.id) {
        await this.cancelForNewerOf(em, mine, other, now, actorId);
        return;
      }
      await this.replaceOtherOf(
        em,
        phone,
        { contactId, campaignId: mine.campaignId },
        now,
        actorId,
      );
    }
  }

  /** Its contact's number was corrected to one whose active callback is newer: cancelled. */
  private async cancelForNewerOf(
    em: EntityManager,
    mine: Pick<Callback, 'id' | 'notes' | 'state'>,
    newer: Pick<Callback, 'id' | 'campaignId'>,
    now: Date,
    actorId: number | null,
  ): Promise<void> {
    const which = await this.campaignName(em, newer.campaignId);
    const said = `Annullata: il numero del contatto è stato corretto in uno che ha una richiamata più recente nella campagna ${which} (cancelled: the contact's number was corrected to one with a newer callback in campaign ${which}).`;
    await em.update(
      Callback,
      { id: mine.id },
      {
        state: 'cancelled',
        closedAt: now,
        activePhone: null,
        notes: mine.notes ? `${mine.notes}\n${said}` : said,
      },
    );
    await this.audit.record(em, {
      userId: actorId,
      action: 'callback.replaced',
      entity: 'callback',
      entityId: mine.id,
      detail: `cancelled (was ${mine.state}): its contact's number was corrected to one whose callback ${newer.id} is newer`,
    });
  }

  private async campaignName(em: EntityManager, campaignId: number): Promise<string> {
    const campaign = await em
      .getRepository(Campaign)
      .findOne({ where: { id: campaignId }, select: { id: true, code: true, name: true } });
    return campaign ? `${campaign.name} (${campaign.code})` : `#${campaignId}`;
  }

  /** The number's active callback of another contact is cancelled, saying why. */
  private async replaceOtherOf(
    em: EntityManager,
    phone: string,
    terms: Pick<CallbackTerms, 'contactId' | 'campaignId'>,
    now: Date,
    actorId: number | null,
  ): Promise<void> {
    const older = await em.getRepository(Callback).findOne({
      where: { activePhone: phone },
      select: { id: true, contactId: true, campaignId: true, notes: true, state: true },
    });
    if (!older) return;
    const campaign = await em
      .getRepository(Campaign)
      .findOne({ where: { id: terms.campaignId }, select: { id: true, code: true, name: true } });
    const which = campaign ? `${campaign.name} (${campaign.code})` : `#${terms.campaignId}`;
    const said = `Annullata: il cliente ha concordato una richiamata più recente nella campagna ${which} (cancelled: the customer agreed a newer callback in campaign ${which}).`;
    const changed = await em.update(
      Callback,
      { id: older.id, activePhone: phone },
      {
        state: 'cancelled',
        closedAt: now,
        activePhone: null,
        notes: older.notes ? `${older.notes}\n${said}` : said,
      },
    );
    if (!changed.affected) return;
    // A contact waiting for it has nothing left to wait for; one being called keeps its
    // lease, and its outcome (or its release) decides (see giveBack).
    await this.queue.dropCallback(em, older.contactId);
    await this.audit.record(em, {
      userId: actorId,
      action: 'callback.replaced',
      entity: 'callback',
      entityId: older.id,
      detail: `cancelled (was ${older.state}): a newer callback for the same number in campaign ${campaign?.code ?? terms.campaignId} (contact ${terms.contactId}) replaces it`,
    });
  }

  /**
   * A waiting callback given new terms (an inbound request moved to another slot): waiting
   * again from its new time, public and without an owner, its escalation forgotten.
   * Lock: the caller holds its row (SELECT ... FOR UPDATE) and its contact's.
   */
  async rebook(
    em: EntityManager,
    id: number,
    terms: Pick<CallbackTerms, 'dueAt' | 'notes' | 'reason'>,
    now: Date,
  ): Promise<void> {
    await em.update(
      Callback,
      { id },
      {
        ...terms,
        visibility: 'public',
        ownerId: null,
        state: 'scheduled',
        closedAt: null,
        escalatedAt: null,
        escalationReason: null,
        assignedAt: now,
      },
    );
  }

  /**
   * A campaign's calendar changed (a holiday or closed date added, a window shortened): each
   * callback still scheduled at a time now closed moves to the next open moment (one already
   * due is offered at the next open moment anyway, and stays as it is), its owner told
   * in its notes ("Spostata da lun 07/12/2026, 10:00: ..."), owner and visibility kept. One
   * the calendar leaves no moment for stays where it is. Returns how many moved.
   * Lock: the caller holds the campaign's row; the callbacks' rows are taken FOR UPDATE here.
   */
  async moveOffClosedTimes(
    em: EntityManager,
    campaignId: number,
    calendar: CallingWindow,
  ): Promise<number> {
    const waiting = await em.find(Callback, {
      where: { campaignId, state: 'scheduled' },
      select: { id: true, dueAt: true, notes: true },
      ...forUpdate(em),
    });
    let moved = 0;
    for (const callback of waiting) {
      if (isWithinCallingHours(calendar, callback.dueAt)) continue;
      const dueAt = nextCallingMoment(calendar, callback.dueAt);
      if (!dueAt) continue;
      const said = `Spostata da ${formatDateTime(callback.dueAt, 'it', calendar.timezone)}: la campagna è chiusa a quell'ora (moved from ${formatDateTime(callback.dueAt, 'en', calendar.timezone)}: the campaign is closed then).`;
      const notes = callback.notes ? `${callback.notes}\n${said}` : said;
      await em.update(Callback, { id: callback.id, state: 'scheduled' }, { dueAt, notes });
      moved++;
    }
    return moved;
  }

  /**
   * The contact's active callbacks are cancelled (but `keep`, when given).
   * Lock: the caller holds the contact's row, so no callback of it starts meanwhile.
   */
  async cancelActive(
    em: EntityManager,
    contactId: number,
    now: Date,
    keep?: number | null,
  ): Promise<void> {
    await em.update(
      Callback,
      {
        contactId,
        state: In([...ACTIVE_CALLBACK_STATES]),
        ...(keep ? { id: Not(keep) } : {}),
      },
      { state: 'cancelled', closedAt: now, activePhone: null },
    );
  }

  /**
   * The interaction that set it, once the outcome has written one.
   * Lock: the row was inserted by this transaction.
   */
  async attachInteraction(em: EntityManager, id: number, interactionId: number): Promise<void> {
    await em.update(Callback, { id }, { interactionId });
  }

  /**
   * Scheduled callbacks whose time has come become due; how many changed.
   * Lock: the ids were claimed with SKIP LOCKED; the UPDATE is guarded by state scheduled.
   */
  async fallDue(em: EntityManager, ids: number[]): Promise<number> {
    const result = await em.update(Callback, { id: In(ids), state: 'scheduled' }, { state: 'due' });
    return result.affected ?? 0;
  }

  /**
   * Handed to the operator whose lease names it: being called.
   * Lock: the caller claimed the row (SELECT ... FOR UPDATE [SKIP LOCKED]).
   */
  async hand(em: EntityManager, id: number): Promise<void> {
    await em.update(Callback, { id }, { state: 'in_progress' });
  }

  /**
   * The call was made: done when the customer was reached, missed when not (a status with a
   * retry rule: no answer, busy, voicemail).
   * Lock: the caller holds the lease that names it (pessimistic_write), so nothing else
   * changes a callback in progress.
   */
  async close(
    em: EntityManager,
    id: number,
    outcome: Extract<CallbackState, 'done' | 'missed'>,
    now: Date,
  ): Promise<void> {
    // Guarded: one replaced meanwhile by a newer callback of its number stays cancelled.
    await em.update(
      Callback,
      { id, state: 'in_progress' },
      { state: outcome, closedAt: now, activePhone: null },
    );
  }

  /**
   * Its lease ended without an outcome: due again, unless its owner opened it before its
   * time (then it waits for its time again). False when it was no longer in progress (a
   * newer callback of its number replaced it meanwhile): its contact has nothing to wait for.
   * Lock: conditional UPDATE from in_progress; the caller holds the lease that names it.
   */
  async giveBack(em: EntityManager, id: number, now: Date): Promise<boolean> {
    const due = await em.update(
      Callback,
      { id, state: 'in_progress', dueAt: LessThanOrEqual(now) },
      { state: 'due' },
    );
    if (due.affected) return true;
    const waiting = await em.update(Callback, { id, state: 'in_progress' }, { state: 'scheduled' });
    return !!waiting.affected;
  }

  /**
   * The customer will not be called back (a coordinator's decision, a number now on the
   * do-not-call list).
   * Lock: the caller holds the row (SELECT ... FOR UPDATE).
   */
  async cancel(em: EntityManager, id: number, now: Date): Promise<void> {
    await em.update(Callback, { id }, { state: 'cancelled', closedAt: now, activePhone: null });
  }

  /**
   * Given to another operator; the grace before it goes public starts again for them.
   * Lock: the caller holds the row (SELECT ... FOR UPDATE).
   */
  async reassign(em: EntityManager, id: number, ownerId: number, now: Date): Promise<void> {
    await em.update(Callback, { id }, { ownerId, assignedAt: now });
  }

  /**
   * Made private again by a person: its owner gets a whole grace from now.
   * Lock: the caller holds the row (SELECT ... FOR UPDATE).
   */
  async makePrivate(em: EntityManager, id: number, now: Date): Promise<void> {
    await em.update(
      Callback,
      { id },
      { visibility: 'private', assignedAt: now, escalatedAt: null, escalationReason: null },
    );
  }

  /**
   * Made public by a person: any operator of the campaign may call it.
   * Lock: the caller holds the row (SELECT ... FOR UPDATE).
   */
  async makePublic(em: EntityManager, id: number): Promise<void> {
    await em.update(Callback, { id }, { visibility: 'public' });
  }

  /**
   * A private callback its owner cannot or did not call goes public (invariant 6); whether
   * this call changed it.
   * Lock: claimed with SKIP LOCKED; the UPDATE is guarded by private and waiting.
   */
  async escalate(em: EntityManager, id: number, reason: string, now: Date): Promise<boolean> {
    const result = await em.update(
      Callback,
      { id, visibility: 'private', state: In([...WAITING]) },
      { visibility: 'public', escalatedAt: now, escalationReason: reason },
    );
    return !!result.affected;
  }

  /**
   * Given up, still waiting long after its time; whether this call changed it.
   * Lock: claimed with SKIP LOCKED; the UPDATE is guarded by the state it was claimed in.
   */
  async expire(em: EntityManager, id: number, from: CallbackState, now: Date): Promise<boolean> {
    const result = await em.update(
      Callback,
      { id, state: from },
      { state: 'expired', closedAt: now, activePhone: null },
    );
    return !!result.affected;
  }

  /**
   * A person's erasure: their callbacks that were still to come are cancelled, and what
   * any of them said (notes, reason, answers) is blanked; dates and states stay.
   * Lock: the caller holds the contacts' rows, so no callback of theirs starts meanwhile.
   */
  async erase(em: EntityManager, contactIds: number[], now: Date): Promise<void> {
    if (contactIds.length === 0) return;
    await em.update(
      Callback,
      { contactId: In(contactIds), state: In([...ACTIVE_CALLBACK_STATES]) },
      { state: 'cancelled', closedAt: now, activePhone: null },
    );
    await em.update(
      Callback,
      { contactId: In(contactIds) },
      { notes: null, reason: null, answers: null, escalationReason: null },
    );
  }
}

/** The INSERT met UQ_callbacks_active_phone: the number has an active callback elsewhere. */
function isActivePhoneTaken(error: unknown): boolean {
  if (!isUniqueViolation(error)) return false;
  const message = error instanceof Error ? error.message : '';
  return /UQ_callbacks_active_phone|callbacks\.active_phone/.test(message);
}
