import { Injectable } from '@nestjs/common';
import { I18nService } from 'nestjs-i18n';
import { DataSource, EntityManager, In, IsNull, LessThanOrEqual, Not } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AuditService } from '../audit/audit.service';
import { CallbackBook } from '../callbacks/callback-book';
import { Callback } from '../callbacks/callback.entity';
import { describeCallingHours, isWithinCallingHours } from '../campaigns/calling-hours';
import { forUpdate } from '../common/database/row-lock';
import { retriedTransaction } from '../common/database/retried-transaction';
import { addToCounter } from '../common/database/sql-dialect';
import { ConflictError, ValidationError } from '../common/errors/domain-errors';
import { isUniqueViolation } from '../common/errors/unique-violation';
import { Clock } from '../common/time/clock';
import { instantInZone, toZonedLocal } from '../common/time/local-time';
import type { Language } from '../config/app.config';
import { AppConfigService } from '../config/app-config.service';
import { Campaign } from '../campaigns/campaign.entity';
import { ContactQueue } from '../contacts/contact-queue';
import { Contact } from '../contacts/contact.entity';
import { PhoneNumbers } from '../common/phone/phone-number';
import { DoNotCallService } from '../do-not-call/do-not-call.service';
import { callablePhone } from './callable-phone';
import { CallbackOfferService, offered, type OfferRules } from './callback-offer.service';
import {
  CallbackRequest,
  type CallbackRequestSource,
  type CallbackRequestState,
  OPEN_REQUEST_STATES,
  SEATED_REQUEST_STATES,
} from './callback-request.entity';
import { CallbackSlotLock } from './callback-slot-lock.entity';
import { type Slot, slotStartingAt } from './callback-slots';
import { MAX_CONTEXT_CHARS } from './dto/callback-request.dto';
import { webhookEvent } from '../webhooks/webhook-events';
import { WebhookOutbox } from '../webhooks/webhook-outbox';

/** Slots an "as soon as possible" request tries before answering that all are full. */
const ASAP_TRIES = 20;
/** Free slots a 409 proposes. */
const NEXT_SLOTS = 5;
/** The context keys shown to the operator at most. */
const MAX_CONTEXT_KEYS = 30;

export interface CallbackRequestInput {
  campaignId: number;
  phone: string;
  name?: string;
  reason?: string;
  context?: Record<string, unknown>;
  slotStart?: string;
  language?: Language;
  source: CallbackRequestSource;
  clientIp?: string | null;
  requestedBy?: number | null;
}

/** What the caller is told: the window, never a promised minute. */
export interface BookedCallbackRequest {
  id: number;
  slotStart: string;
  slotEnd: string;
  /** The campaign's local day and window: "2026-12-01", "10:00-10:30". */
  date: string;
  window: string;
  timezone: string;
  /** "We will call you back on Tuesday 1 December between 10:00 and 10:30." */
  message: string;
  /** A request already open for the number was moved to this slot. */
  moved: boolean;
}

export interface CallbackRequestItem {
  id: number;
  campaignId: number;
  contactId: number;
  callbackId: number | null;
  phone: string;
  name: string | null;
  reason: string | null;
  context: Record<string, unknown> | null;
  slotStart: string;
  slotEnd: string;
  source: CallbackRequestSource;
  state: CallbackRequestState;
  attempts: number;
  firstAttemptAt: string | null;
  servedAt: string | null;
  /** Flagged to coordinators: its window ended before the caller was reached. */
  late: boolean;
  lateAt: string | null;
  createdAt: string;
}

type RequestFields = Omit<CallbackRequestInput, 'context'> & {
  context: Record<string, unknown> | null;
};

interface Booking {
  request: CallbackRequest;
  moved: boolean;
}

/**
 * Callback requests from IVRs, queues and the web site: a seat in a slot with capacity and
 * a public callback due at its start, carrying what the caller already said. One open
 * request per number per campaign: asking again moves it.
 *
 * Capacity: each request locks its slot's row with a write (callback_slot_locks) and counts
 * the seats taken under that lock, so of concurrent requests for a slot exactly as many
 * as it takes get in. The caller's contact row is locked first, so two requests for one
 * number take turns too (lock order: contact, then slot).
 */
@Injectable()
export class CallbackRequestsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly offer: CallbackOfferService,
    private readonly phones: PhoneNumbers,
    private readonly doNotCall: DoNotCallService,
    private readonly audit: AuditService,
    private readonly i18n: I18nService,
    private readonly config: AppConfigService,
    private readonly callbacks: CallbackBook,
    private readonly queue: ContactQueue,
    private readonly webhooks: WebhookOutbox,
  ) {}

  /** `POST /callback-requests`: 201 with the window, 409 with the next free slots when full. */
  async request(input: CallbackRequestInput): Promise<BookedCallbackRequest> {
    const rules = await this.offer.rules(this.dataSource.manager, input.campaignId, 'campaignId');
    const phone = callablePhone(this.phones, input.phone);
    const context = readContext(input.context);
    if ((await this.doNotCall.isBlocked([phone], input.campaignId)).size > 0) {
      throw new ConflictError(`phone: ${phone} is on the do-not-call list`, 'phone');
    }
    const now = this.clock.now();
    const candidates =
      input.slotStart !== undefined
        ? [this.chosenSlot(rules, input.slotStart, now)]
        : await this.offer.upcoming(rules, ASAP_TRIES);
    for (const slot of candidates) {
      const booking = await this.book(rules, slot, { ...input, phone, context }, now);
      if (booking) return this.booked(rules, slot, booking, input.language);
    }
    const next = (await this.offer.upcoming(rules, NEXT_SLOTS)).map(offered);
    const chosen = input.slotStart !== undefined ? candidates[0] : undefined;
    throw new ConflictError(
      chosen
        ? `slotStart: the slot ${chosen.date} ${chosen.from}-${chosen.to} is full`
        : `slotStart: no slot with room in the next ${rules.settings.daysAhead} days`,
      'slotStart',
      { nextSlots: next },
    );
  }

  /** Coordinators' list: newest slots first; `late` only those past their window unserved. */
  async list(filter: {
    campaignId?: number;
    state?: CallbackRequestState;
    late?: boolean;
    limit: number;
  }): Promise<CallbackRequestItem[]> {
    const rows = await this.dataSource.getRepository(CallbackRequest).find({
      where: {
        ...(filter.campaignId !== undefined ? { campaignId: filter.campaignId } : {}),
        ...(filter.state !== undefined ? { state: filter.state } : {}),
        ...(filter.late
          ? { lateAt: Not(IsNull()), state: filter.state ?? In([...OPEN_REQUEST_STATES]) }
          : {}),
      },
      order: { slotStart: 'ASC', id: 'ASC' },
      take: filter.limit,
    });
    return rows.map(toItem);
  }

  /**
   * The coordinators' page: requests past their window and still not reached first (the
   * longest overdue on top), then the open ones still to come, each with its campaign.
   */
  async board(limit: number): Promise<{
    late: Array<CallbackRequestItem & { campaign: string }>;
    upcoming: Array<CallbackRequestItem & { campaign: string }>;
  }> {
    const repo = this.dataSource.getRepository(CallbackRequest);
    const open = In([...OPEN_REQUEST_STATES]);
    const late = await repo.find({
      where: { state: open, lateAt: Not(IsNull()) },
      order: { slotEnd: 'ASC', id: 'ASC' },
      take: limit,
    });
    const upcoming = await repo.find({
      where: { state: open, lateAt: IsNull() },
      order: { slotStart: 'ASC', id: 'ASC' },
      take: limit,
    });
    const ids = [...new Set([...late, ...upcoming].map((r) => r.campaignId))];
    const campaigns = ids.length
      ? await this.dataSource
          .getRepository(Campaign)
          .find({ select: ['id', 'name', 'code'], where: { id: In(ids) } })
      : [];
    const names = new Map(campaigns.map((c) => [c.id, c.name]));
    const withName = (row: CallbackRequest) => ({
      ...toItem(row),
      campaign: names.get(row.campaignId) ?? `#${row.campaignId}`,
    });
    return { late: late.map(withName), upcoming: upcoming.map(withName) };
  }

  /**
   * Requests whose window has ended with the caller not yet reached are flagged to
   * coordinators (their callback stays public and due, first in its campaign's queue), and
   * requests whose callback a coordinator cancelled, or the engine expired, are closed.
   * Guarded UPDATEs: each row changes once however many instances run it. Returns how many.
   */
  async flagLate(): Promise<number> {
    const now = this.clock.now();
    const flagged = await this.dataSource
      .getRepository(CallbackRequest)
      .update(
        { state: In([...OPEN_REQUEST_STATES]), slotEnd: LessThanOrEqual(now), lateAt: IsNull() },
        { lateAt: now },
      );
    const gone = await this.dataSource
      .getRepository(Callback)
      .createQueryBuilder('cb')
      .select('cb.id', 'id')
      .innerJoin(CallbackRequest, 'r', 'r.callbackId = cb.id')
      .where("r.state = 'booked'")
      .andWhere('cb.state IN (:...closed)', { closed: ['cancelled', 'expired'] })
      .limit(500)
      .getRawMany<{ id: number | string }>();
    if (gone.length > 0) {
      await this.dataSource
        .getRepository(CallbackRequest)
        .update(
          { state: 'booked', callbackId: In(gone.map((row) => Number(row.id))) },
          { state: 'cancelled', closedAt: now },
        );
    }
    return flagged.affected ?? 0;
  }

  /** The slot a caller chose: 400 naming slotStart when it is no slot that can be offered. */
  private chosenSlot(rules: OfferRules, text: string, now: Date): Slot {
    const at = instantInZone(text, rules.timezone);
    if (at === null) {
      throw new ValidationError('slotStart', 'slotStart must be an ISO-8601 date and time');
    }
    if (at === 'skipped') {
      throw new ValidationError(
        'slotStart',
        `slotStart: ${text} does not exist in ${rules.timezone}`,
      );
    }
    const local = toZonedLocal(at, rules.timezone).replace('T', ' ');
    if (at.getTime() < now.getTime()) {
      throw new ValidationError('slotStart', `slotStart: ${local} is in the past`);
    }
    const slot = slotStartingAt(rules, at);
    if (!slot) {
      if (!isWithinCallingHours(rules, at)) {
        throw new ValidationError(
          'slotStart',
          `slotStart: ${local} is outside the opening hours ${describeCallingHours(rules, 'en', at)}`,
        );
      }
      throw new ValidationError(
        'slotStart',
        `slotStart: ${local} is not the start of a slot; slots last ${rules.slotMinutes} minutes from each window's opening, ${describeCallingHours(rules)}`,
      );
    }
    const lead = rules.settings.leadMinutes;
    if (slot.start.getTime() < now.getTime() + lead * 60_000) {
      throw new ValidationError(
        'slotStart',
        `slotStart: slots starting within ${lead} minutes of now are no longer offered`,
      );
    }
    const today = toZonedLocal(now, rules.timezone).slice(0, 10);
    const last = new Date(
      Date.parse(`${today}T00:00:00Z`) + (rules.settings.daysAhead - 1) * 86_400_000,
    )
      .toISOString()
      .slice(0, 10);
    if (slot.date > last) {
      throw new ValidationError('slotStart', `slotStart: callbacks are offered up to ${last}`);
    }
    return slot;
  }

  /** Takes a seat in `slot` for the caller; null when the slot is full. */
  private async book(
    rules: OfferRules,
    slot: Slot,
    input: RequestFields,
    now: Date,
  ): Promise<Booking | null> {
    if (slot.capacity <= 0) return null;
    // The slot's lock row exists before any transaction locks it. Written on its own: an
    // INSERT IGNORE meeting the row inside the transaction would take a shared lock that
    // deadlocks with the locking UPDATE of the next request.
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(CallbackSlotLock)
      .values({ campaignId: rules.campaign.id, slotStart: slot.start })
      .orIgnore()
      .execute();
    const work = (em: EntityManager) => this.seat(em, rules, slot, input, now);
    for (let attempt = 1; ; attempt++) {
      try {
        // READ COMMITTED: the count after the lock sees every seat committed before it.
        return await retriedTransaction(this.dataSource, work, {
          readCommitted: true,
          attempts: 10,
        });
      } catch (error) {
        // Two first requests of one new number created its contact at once: again, now it exists.
        if (!isUniqueViolation(error) || attempt >= 3) throw error;
      }
    }
  }

  private async seat(
    em: EntityManager,
    rules: OfferRules,
    slot: Slot,
    input: RequestFields,
    now: Date,
  ): Promise<Booking | null> {
    const campaignId = rules.campaign.id;
    const contact = await this.lockContact(em, campaignId, input.phone, input.name);
    if (contact.state === 'in_progress') {
      throw new ConflictError(
        `phone: an operator has the contact of ${input.phone} open right now`,
        'phone',
        { contactId: contact.id },
      );
    }
    // The slot's lock, taken by a write (see CallbackSlotLock).
    await em
      .createQueryBuilder()
      .update(CallbackSlotLock)
      .set({ version: () => 'version + 1' })
      .where('campaign_id = :campaignId AND slot_start = :slotStart', {
        campaignId,
        slotStart: slot.start,
      })
      .execute();
    const open = await em.getRepository(CallbackRequest).findOne({
      where: { campaignId, phone: input.phone, state: In([...OPEN_REQUEST_STATES]) },
      order: { id: 'DESC' },
    });
    const taken = await em.getRepository(CallbackRequest).count({
      where: { campaignId, slotStart: slot.start, state: In([...SEATED_REQUEST_STATES]) },
    });
    const own = open && open.slotStart.getTime() === slot.start.getTime() ? 1 : 0;
    if (taken - own >= slot.capacity) return null;

    const name = input.name || open?.name || null;
    const reason = input.reason || null;
    const notes = describeRequest(slot, reason, input.context);
    // One active callback per contact (and per number, across campaigns: the book's
    // schedule): the caller's request replaces any other.
    await this.callbacks.cancelActive(em, contact.id, now, open?.callbackId);
    const kept = open?.callbackId
      ? await em
          .getRepository(Callback)
          .findOne({ where: { id: open.callbackId }, ...forUpdate(em) })
      : null;
    if (kept?.state === 'in_progress') {
      throw new ConflictError(`phone: ${input.phone} is being called back right now`, 'phone');
    }
    const terms = {
      dueAt: slot.start,
      notes,
      reason: (reason ?? 'Richiesta di richiamata').slice(0, 200),
    };
    let callbackId: number;
    if (kept && (kept.state === 'scheduled' || kept.state === 'due')) {
      await this.callbacks.rebook(em, kept.id, terms, now);
      callbackId = kept.id;
    } else {
      callbackId = await this.callbacks.schedule(
        em,
        {
          ...terms,
          contactId: contact.id,
          phone: contact.phone,
          campaignId,
          ownerId: null,
          visibility: 'public',
          answers: null,
        },
        now,
        input.requestedBy ?? null,
      );
    }
    // The caller asked: a fresh promise, with the retry rules counting from it.
    await this.queue.awaitCallback(em, contact.id, slot.start, { freshAttempts: true });
    // Invariant 16: said outside in this transaction (a moved request is scheduled anew).
    await this.webhooks.recordWithin(em, [
      webhookEvent('callback.scheduled', now, {
        campaignId,
        campaignCode: rules.campaign.code,
        contactId: contact.id,
        callback: {
          id: callbackId,
          dueAt: slot.start.toISOString(),
          visibility: 'public',
          source: input.source,
        },
      }),
    ]);
    // simple-json: TypeORM's partial types cannot follow a free object, the column takes it whole.
    const fields: QueryDeepPartialEntity<CallbackRequest> = {
      callbackId,
      name,
      reason,
      context: input.context as QueryDeepPartialEntity<Record<string, unknown>> | null,
      slotStart: slot.start,
      slotEnd: slot.end,
      source: input.source,
      clientIp: input.clientIp ?? null,
      requestedBy: input.requestedBy ?? null,
      state: 'booked' as const,
      attempts: 0,
      firstAttemptAt: null,
      lateAt: null,
    };
    let id: number;
    if (open) {
      await em.update(CallbackRequest, { id: open.id }, fields);
      id = open.id;
    } else {
      const inserted = await em.insert(CallbackRequest, {
        campaignId,
        contactId: contact.id,
        phone: input.phone,
        servedAt: null,
        closedAt: null,
        ...fields,
      });
      id = Number(inserted.identifiers[0]!.id);
    }
    await this.audit.record(em, {
      userId: input.requestedBy ?? null,
      action: open ? 'callback_request.moved' : 'callback_request.booked',
      entity: 'callback_request',
      entityId: id,
      detail: `${input.source} ${slot.date} ${slot.from}-${slot.to}${open ? ` (was ${open.slotStart.toISOString()})` : ''}`,
    });
    // The "accepted" of the callback report, on the day the caller asked (local to the campaign).
    await addToCounter(
      em,
      'callback_offer_days',
      {
        campaign_id: campaignId,
        day: toZonedLocal(now, rules.timezone).slice(0, 10),
        source: input.source,
      },
      'accepted',
      1,
    );
    const request = await em.getRepository(CallbackRequest).findOneByOrFail({ id });
    return { request, moved: open !== null };
  }

  /** The caller's contact in the campaign, locked; created (waiting for a callback) when new. */
  private async lockContact(
    em: EntityManager,
    campaignId: number,
    phone: string,
    name: string | undefined,
  ): Promise<Contact> {
    const where = { where: { campaignId, phone }, ...forUpdate(em) };
    const found = await em.getRepository(Contact).findOne(where);
    if (found) return found;
    const [first = '', ...rest] = (name ?? '').split(/\s+/).filter(Boolean);
    // UQ_contacts_campaign_phone decides between two first requests of the number.
    await this.queue.enrol(em, {
      campaignId,
      phone,
      firstName: first.slice(0, 100),
      lastName: rest.join(' ').slice(0, 100),
      email: null,
      language: null,
      city: null,
      province: null,
      fields: null,
      state: 'callback',
      attempts: 0,
      lastStatusId: null,
      lastOutcomeAt: null,
      nextCallAt: null,
    });
    return em.getRepository(Contact).findOneOrFail(where);
  }

  private booked(
    rules: OfferRules,
    slot: Slot,
    booking: Booking,
    language: Language | undefined,
  ): BookedCallbackRequest {
    const lang = language ?? this.config.get('DEFAULT_LANGUAGE');
    const day = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'it-IT', {
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      timeZone: rules.timezone,
    }).format(slot.start);
    return {
      id: booking.request.id,
      slotStart: slot.start.toISOString(),
      slotEnd: slot.end.toISOString(),
      date: slot.date,
      window: `${slot.from}-${slot.to}`,
      timezone: rules.timezone,
      message: this.i18n.t('callbackRequests.window', {
        lang,
        args: { day, from: slot.from, to: slot.to },
      }),
      moved: booking.moved,
    };
  }
}

/** The free context: a JSON object of at most MAX_CONTEXT_CHARS; 400 naming `context`. */
function readContext(context: Record<string, unknown> | undefined): Record<string, unknown> | null {
  if (context === undefined || context === null) return null;
  if (typeof context !== 'object' || Array.isArray(context)) {
    throw new ValidationError('context', 'context must be a JSON object');
  }
  const size = JSON.stringify(context).length;
  if (size > MAX_CONTEXT_CHARS) {
    throw new ValidationError(
      'context',
      `context is ${size} characters as JSON; at most ${MAX_CONTEXT_CHARS}`,
    );
  }
  if (Object.keys(context).length > MAX_CONTEXT_KEYS) {
    throw new ValidationError('context', `context may have at most ${MAX_CONTEXT_KEYS} keys`);
  }
  return Object.keys(context).length > 0 ? context : null;
}

/** The callback's notes: the window and what the caller already said, one line each. */
function describeRequest(
  slot: Slot,
  reason: string | null,
  context: Record<string, unknown> | null,
): string {
  const lines = [`Richiesta di richiamata: ${slot.date} ${slot.from}-${slot.to}`];
  if (reason) lines.push(`Motivo: ${reason}`);
  for (const [key, value] of Object.entries(context ?? {})) {
    lines.push(`${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  }
  return lines.join('\n');
}

export function toItem(row: CallbackRequest): CallbackRequestItem {
  return {
    id: row.id,
    campaignId: row.campaignId,
    contactId: row.contactId,
    callbackId: row.callbackId,
    phone: row.phone,
    name: row.name,
    reason: row.reason,
    context: row.context,
    slotStart: row.slotStart.toISOString(),
    slotEnd: row.slotEnd.toISOString(),
    source: row.source,
    state: row.state,
    attempts: row.attempts,
    firstAttemptAt: row.firstAttemptAt?.toISOString() ?? null,
    servedAt: row.servedAt?.toISOString() ?? null,
    late: row.lateAt !== null,
    lateAt: row.lateAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}
