import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { CallbackBook } from '../callbacks/callback-book';
import { Callback } from '../callbacks/callback.entity';
import {
  callingHoursSaid,
  describeCallingHours,
  isWithinCallingHours,
} from '../campaigns/calling-hours';
import { CampaignOperator } from '../campaigns/campaign-operator.entity';
import { Campaign } from '../campaigns/campaign.entity';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../common/errors/domain-errors';
import { isUniqueViolation } from '../common/errors/unique-violation';
import { claimIds, excluding, forUpdate, skipLocked } from '../common/database/row-lock';
import type { AuthenticatedUser } from '../common/http/request-context';
import { Clock } from '../common/time/clock';
import { ContactQueue } from '../contacts/contact-queue';
import { Contact, type ContactState } from '../contacts/contact.entity';
import { DoNotCallService } from '../do-not-call/do-not-call.service';
import { type ContactScreen, EligibilityService } from '../eligibility/eligibility.service';
import { type CapNow, FrequencyCap } from '../frequency-cap/frequency-cap';
import { OperatorActivityService } from '../monitor/operator-activity.service';
import { ContactLease } from './contact-lease.entity';
import { ContactLeases } from './contact-leases';
import { callbacksVisibleTo } from '../callbacks/callback-visibility';
import { whereVisible } from '../common/access/viewer';
import type { TakeReason } from './dto/take.dto';
import { LeasesService } from './leases.service';
import { retriedTransaction } from '../common/database/retried-transaction';

/** Counts a claimed contact's call against the frequency cap; false: its number is capped. */
type Admit = (em: EntityManager, contact: Contact) => Promise<boolean>;

/** Rows of one queue looked at in one request before giving up (each is index-bound). */
const MAX_TRIES = 20;

interface Claim {
  contact: Contact;
  callback: Callback | null;
  /** Already counted against the frequency cap by the claim (admitted). */
  counted?: boolean;
}

/**
 * Next contact: the caller's own due private callbacks, then due public callbacks, then
 * retries whose time has come, then new contacts (those in a language the operator speaks
 * first). Every queue is one index range read in order with SKIP LOCKED, so operators
 * asking at once get different contacts and a campaign of a million costs what one of a
 * thousand does.
 */
@Injectable()
export class DispatchService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly leases: LeasesService,
    private readonly doNotCall: DoNotCallService,
    private readonly activity: OperatorActivityService,
    private readonly eligibility: EligibilityService,
    private readonly contactLeases: ContactLeases,
    private readonly queue: ContactQueue,
    private readonly callbacks: CallbackBook,
    private readonly cap: FrequencyCap,
  ) {}

  /**
   * Leases the next contact to the operator, or returns the one they already hold; null
   * when there is nothing to work now.
   */
  async next(
    operator: Pick<AuthenticatedUser, 'id' | 'languages'>,
    campaignId?: number,
    skipContactId?: number,
  ): Promise<ContactLease | null> {
    const userId = operator.id;
    // Asking for the next contact is being ready: a pause ends, a quiet page is back.
    await this.activity.seen(userId, true);
    // Proactive rules: campaigns whose concurrency limit the operator is at are left out.
    const campaigns = await this.eligibility.withinLimits(
      userId,
      await this.campaignsFor(userId, campaignId),
      campaignId !== undefined,
    );
    // Null while no frequency cap is set: then nothing is read or written for it.
    const cap = await this.cap.at(this.clock.now());
    const work = async (em: EntityManager) => {
      const held = await this.leases.releaseOwnExpired(em, userId);
      if (held) return held;
      if (campaigns.length === 0) return null;
      const claim = await this.claim(em, userId, campaigns, operator.languages, skipContactId, cap);
      return claim ? this.lease(em, userId, claim, cap) : null;
    };
    try {
      // READ COMMITTED: no gap locks between operators scanning one queue, and the plain
      // reads after a claim see what other operators have just committed.
      return await retriedTransaction(this.dataSource, work, { readCommitted: true });
    } catch (error) {
      // Two requests of one operator at once (a double click): the unique lease per
      // operator let one through; the other answers with that same contact.
      if (isUniqueViolation(error)) return this.leases.current(userId);
      throw error;
    }
  }

  /**
   * Opens one callback from the callbacks page: its contact is leased to the operator and
   * the callback goes in progress, as when dispatched (so the outcome and a discard end it
   * the same way). Their own private callback whether due or not, a public one once due;
   * another operator's private one does not exist for them (404).
   */
  async open(operator: Pick<AuthenticatedUser, 'id'>, callbackId: number): Promise<ContactLease> {
    const userId = operator.id;
    await this.activity.seen(userId, true);
    const cap = await this.cap.at(this.clock.now());
    const work = async (em: EntityManager): Promise<ContactLease | 'blocked'> => {
      const held = await this.leases.releaseOwnExpired(em, userId);
      // SKIP LOCKED: of operators opening it at once one holds the row, and the others are
      // answered at once (409) instead of queueing behind the winner's transaction.
      const callback = await skipLocked(
        em.getRepository(Callback).createQueryBuilder('cb').where('cb.id = :callbackId', {
          callbackId,
        }),
      ).getOne();
      if (!callback) {
        const seen = await em.getRepository(Callback).findOneBy({ id: callbackId });
        if (!seen || !visibleTo(seen, userId)) throw callbackNotFound(callbackId);
        throw openedElsewhere(callbackId);
      }
      if (!visibleTo(callback, userId)) throw callbackNotFound(callbackId);
      const campaign = await em
        .getRepository(Campaign)
        .findOneByOrFail({ id: callback.campaignId });
      const assigned = await em
        .getRepository(CampaignOperator)
        .existsBy({ campaignId: campaign.id, userId });
      if (!assigned) {
        throw new ForbiddenError(`id: you are not assigned to campaign ${campaign.code}`).say(
          'callbacks.errors.notAssigned',
          { campaign: campaign.name },
        );
      }
      const now = this.clock.now();
      const closed = closedRefusal(campaign, now, 'id');
      if (closed) throw closed;
      if (held) {
        // A second click on the same callback: the contact is already on their screen.
        if (held.contactId === callback.contactId) return held;
        throw await this.holding(em, held);
      }
      refuseUnopenable(callback, userId, now);
      const contact = await skipLocked(
        em
          .getRepository(Contact)
          .createQueryBuilder('c')
          .where('c.id = :contactId', { contactId: callback.contactId }),
      ).getOne();
      if (!contact || contact.state === 'in_progress') {
        throw new ConflictError(
          `id: contact ${callback.contactId} of callback ${callbackId} is being worked by another operator`,
          'id',
        ).say('callbacks.errors.contactTaken');
      }
      const claim = { contact, callback };
      // Cancelled and committed, then refused: the number is never offered again.
      if (!(await this.callable(em, claim))) return 'blocked';
      return this.lease(em, userId, claim, cap);
    };
    let opened: ContactLease | 'blocked';
    try {
      opened = await retriedTransaction(this.dataSource, work, { readCommitted: true });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // The same operator twice at once lands here through the unique lease per operator.
      const current = await this.leases.current(userId);
      if (current?.callbackId === callbackId) return current;
      throw openedElsewhere(callbackId);
    }
    if (opened === 'blocked') {
      throw new ConflictError(
        `id: the number of callback ${callbackId} is on the do-not-call list; the callback is cancelled`,
        'id',
      ).say('callbacks.errors.doNotCall');
    }
    return opened;
  }

  /**
   * A contact the operator found by search or the telephony popped: leased to them exactly
   * as `next` does (invariant 14). A manual call obeys the do-not-call list and the calling
   * hours like dispatch; an inbound one does not (the customer called us). 403 outside the
   * operator's campaigns, 409 when someone else holds it (naming no one) or the operator
   * already holds another contact.
   */
  async take(
    operator: Pick<AuthenticatedUser, 'id'>,
    contactId: number,
    reason: TakeReason,
  ): Promise<ContactLease> {
    const userId = operator.id;
    await this.activity.seen(userId, true);
    // An inbound call is not one we make: the cap neither stops nor counts it.
    const cap = reason === 'manual' ? await this.cap.at(this.clock.now()) : null;
    const work = async (em: EntityManager): Promise<ContactLease> => {
      const held = await this.leases.releaseOwnExpired(em, userId);
      const found = await em.getRepository(Contact).findOneBy({ id: contactId });
      if (!found) throw new NotFoundError('contact', contactId);
      const assigned = await em
        .getRepository(CampaignOperator)
        .existsBy({ campaignId: found.campaignId, userId });
      if (!assigned) {
        throw new ForbiddenError(
          `contactId: contact ${contactId} is not in one of your campaigns`,
        ).say('work.errors.notYourCampaign');
      }
      if (held) {
        if (held.contactId === contactId) return held;
        throw await this.holding(em, held, 'contactId');
      }
      const campaign = await em.getRepository(Campaign).findOneByOrFail({ id: found.campaignId });
      const now = this.clock.now();
      if (reason === 'manual') {
        const closed = closedRefusal(campaign, now, 'contactId');
        if (closed) throw closed;
        await this.doNotCall.refuseListed(found.phone, 'contactId', found.campaignId);
      }
      // SKIP LOCKED: a contact another operator is being given right now is theirs (409 at
      // once, not a wait behind their transaction); the lease's key decides the rest.
      const contact = await skipLocked(
        em.getRepository(Contact).createQueryBuilder('c').where('c.id = :contactId', { contactId }),
      ).getOne();
      if (!contact || contact.state === 'in_progress') throw takenElsewhere(contactId);
      // A callback waiting on the contact that this operator may see goes with it, so the
      // outcome closes it; another's private callback stays theirs (the callbacks' one rule).
      const viewer = { id: userId, role: 'operator' as const, campaignIds: [found.campaignId] };
      const callback = await whereVisible(
        em
          .getRepository(Callback)
          .createQueryBuilder('cb')
          .where('cb.contactId = :contactId', { contactId })
          .andWhere('cb.state IN (:...waiting)', { waiting: ['scheduled', 'due'] })
          .orderBy('cb.dueAt', 'ASC'),
        callbacksVisibleTo(viewer, 'cb'),
      ).getOne();
      return this.lease(em, userId, { contact, callback }, cap);
    };
    try {
      return await retriedTransaction(this.dataSource, work, { readCommitted: true });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Two takes racing: the lease's key on the contact let one operator through; the
      // operator's own key answers a double click with what they already hold.
      const current = await this.leases.current(userId);
      if (current?.contactId === contactId) return current;
      throw takenElsewhere(contactId);
    }
  }

  /** 409 naming the contact the operator has open (one contact at a time). */
  private async holding(
    em: EntityManager,
    held: ContactLease,
    field = 'id',
  ): Promise<ConflictError> {
    const contact = await em.getRepository(Contact).findOneBy({ id: held.contactId });
    const name = contact ? `${contact.firstName} ${contact.lastName}`.trim() : '';
    return new ConflictError(
      `${field}: you already have contact ${held.contactId}${name ? ` (${name})` : ''} open: confirm its outcome or discard it first`,
      field,
      { contactId: held.contactId },
    ).say('callbacks.errors.holding', { contactId: held.contactId, name });
  }

  /** The campaigns to take from: the chosen one (checked) or every open one of the operator. */
  private async campaignsFor(userId: number, campaignId?: number): Promise<Campaign[]> {
    const query = this.dataSource
      .getRepository(Campaign)
      .createQueryBuilder('c')
      .innerJoin(CampaignOperator, 'co', 'co.campaignId = c.id AND co.userId = :userId', {
        userId,
      })
      .orderBy('c.id', 'ASC');
    if (campaignId !== undefined) query.where('c.id = :campaignId', { campaignId });
    const campaigns = await query.getMany();
    if (campaignId !== undefined && campaigns.length === 0) {
      throw new ForbiddenError(`campaignId: you are not assigned to campaign ${campaignId}`).say(
        'work.errors.notAssigned',
      );
    }
    const now = this.clock.now();
    if (campaignId !== undefined) {
      const closed = closedRefusal(campaigns[0]!, now, 'campaignId');
      if (closed) throw closed;
      return campaigns;
    }
    return campaigns.filter((c) => c.state === 'active' && isWithinCallingHours(c, now));
  }

  private async claim(
    em: EntityManager,
    userId: number,
    campaigns: Campaign[],
    languages: string[],
    skipContactId?: number,
    cap: CapNow | null = null,
  ): Promise<Claim | null> {
    // The contact the operator has just given back is not dealt straight back to them.
    const skip = skipContactId ?? null;
    const now = this.clock.now();
    const ids = campaigns.map((c) => c.id);
    // A callback the job has marked due comes before one only scheduled: each state is
    // its own ordered index range (an IN over both would sort, and lock, every row).
    const dueCallbacks = (state: 'due' | 'scheduled') =>
      em
        .getRepository(Callback)
        .createQueryBuilder('cb')
        .where('cb.state = :state', { state })
        .andWhere('cb.dueAt <= :now', { now })
        .orderBy('cb.dueAt', 'ASC')
        .addOrderBy('cb.id', 'ASC');
    // 1. the caller's own private callbacks that are due
    for (const state of ['due', 'scheduled'] as const) {
      const own = await this.fromCallbacks(
        em,
        dueCallbacks(state)
          .andWhere('cb.ownerId = :userId', { userId })
          .andWhere("cb.visibility = 'private'")
          .andWhere('cb.campaignId IN (:...ids)', { ids }),
        'IDX_callbacks_owner_queue_v',
        skip,
      );
      if (own) return own;
    }
    // 2. public callbacks that are due
    for (const campaign of campaigns) {
      for (const state of ['due', 'scheduled'] as const) {
        const shared = await this.fromCallbacks(
          em,
          dueCallbacks(state)
            .andWhere('cb.campaignId = :campaignId', { campaignId: campaign.id })
            .andWhere("cb.visibility = 'public'"),
          'IDX_callbacks_campaign_queue',
          skip,
        );
        if (shared) return shared;
      }
    }
    // A paused list's contacts wait (a callback agreed with the customer does not).
    const queue = (campaignId: number, state: ContactState) =>
      em
        .getRepository(Contact)
        .createQueryBuilder('c')
        .where('c.campaignId = :campaignId', { campaignId })
        .andWhere('c.state = :state', { state })
        .andWhere(
          'NOT EXISTS (SELECT 1 FROM contact_lists paused WHERE paused.id = c.list_id AND paused.active = 0)',
        );
    // The frequency cap: a campaign it limits skips numbers capped now, and counts the call
    // (refusing, under the number's row, one another operator's claim has just capped).
    const capped = (campaign: Campaign, query: SelectQueryBuilder<Contact>) =>
      this.cap.limits(cap, campaign) ? this.cap.skipCapped(query, cap, campaign.id) : query;
    const admit = (campaign: Campaign): Admit | null =>
      this.cap.limits(cap, campaign)
        ? (em2, contact) => this.cap.admit(em2, cap, contact, campaign.id)
        : null;
    // 3. retries whose time has come
    for (const campaign of campaigns) {
      const retry = await this.fromContacts(
        em,
        capped(campaign, queue(campaign.id, 'retry'))
          .andWhere('c.nextCallAt <= :now', { now })
          .orderBy('c.nextCallAt', 'ASC')
          .addOrderBy('c.id', 'ASC'),
        'IDX_contacts_queue_due',
        'retry',
        this.eligibility.screen(campaign, userId, languages),
        skip,
        admit(campaign),
      );
      if (retry) return retry;
    }
    // 4. new contacts: in the operator's languages, then without a language, then any
    for (const campaign of campaigns) {
      const screen = this.eligibility.screen(campaign, userId, languages);
      const fresh = (query: SelectQueryBuilder<Contact>, index: string) =>
        this.fromContacts(
          em,
          capped(campaign, query).orderBy('c.id', 'ASC'),
          index,
          'new',
          screen,
          skip,
          admit(campaign),
        );
      for (const language of languages) {
        const spoken = await fresh(
          queue(campaign.id, 'new').andWhere('c.language = :language', { language }),
          'IDX_contacts_queue_language',
        );
        if (spoken) return spoken;
      }
      const unspecified = await fresh(
        queue(campaign.id, 'new').andWhere('c.language IS NULL'),
        'IDX_contacts_queue_language',
      );
      if (unspecified) return unspecified;
      if (this.eligibility.languagesOnly(campaign)) continue;
      const any = await fresh(queue(campaign.id, 'new'), 'IDX_contacts_campaign_state');
      if (any) return any;
    }
    return null;
  }

  /** The first callback of the queue whose number may be called; the others are closed. */
  private async fromCallbacks(
    em: EntityManager,
    query: SelectQueryBuilder<Callback>,
    index: string,
    skip: number | null = null,
  ): Promise<Claim | null> {
    const passed: number[] = [];
    for (let tries = 0; tries < MAX_TRIES; tries++) {
      const [id] = await claimIds(em, excluding(query, passed), index, 1);
      if (id === undefined) return null;
      passed.push(id);
      // Read again under the lock: the index entry may be one another operator has just
      // taken (a covering index read does not always see the row change that committed).
      const callback = await em
        .getRepository(Callback)
        .findOne({ where: { id }, ...forUpdate(em) });
      if (!callback || (callback.state !== 'due' && callback.state !== 'scheduled')) continue;
      if (callback.contactId === skip) continue;
      const contact = await em
        .getRepository(Contact)
        .findOneOrFail({ where: { id: callback.contactId }, ...forUpdate(em) });
      if (contact.state === 'in_progress') continue;
      if (await this.callable(em, { contact, callback })) return { contact, callback };
    }
    return null;
  }

  /**
   * Whether the claimed callback's number may be called; one on the do-not-call list is
   * never dispatched again (invariant 8): its callback is cancelled, its contact final.
   */
  private async callable(
    em: EntityManager,
    claim: Claim & { callback: Callback },
  ): Promise<boolean> {
    const { contact, callback } = claim;
    const blocked = await this.doNotCall.isBlocked(
      [contact.phone],
      contact.campaignId,
      em.queryRunner,
    );
    if (blocked.size === 0) return true;
    await this.callbacks.cancel(em, callback.id, this.clock.now());
    await this.queue.finalise(em, contact.id);
    return false;
  }

  /** The first contact of the queue whose number may be called; numbers on the list become final. */
  private async fromContacts(
    em: EntityManager,
    query: SelectQueryBuilder<Contact>,
    index: string,
    state: ContactState,
    screen: ContactScreen | null = null,
    skip: number | null = null,
    admit: Admit | null = null,
  ): Promise<Claim | null> {
    const passed: number[] = skip === null ? [] : [skip];
    for (let tries = 0; tries < MAX_TRIES; tries++) {
      const [id] = await claimIds(em, excluding(query, passed), index, 1);
      if (id === undefined) return null;
      passed.push(id);
      const contact = await em.getRepository(Contact).findOne({ where: { id }, ...forUpdate(em) });
      if (!contact || contact.state !== state) continue;
      const blocked = await this.doNotCall.isBlocked(
        [contact.phone],
        contact.campaignId,
        em.queryRunner,
      );
      if (blocked.size === 0) {
        // A proactive contact failing the campaign's rules is refused (and recorded).
        if (screen && !(await screen(em, contact))) continue;
        // Capped since the claim's query read it: left in the queue for later.
        if (admit && !(await admit(em, contact))) continue;
        return { contact, callback: null, counted: admit !== null };
      }
      await this.queue.finalise(em, contact.id);
    }
    return null;
  }

  private async lease(
    em: EntityManager,
    userId: number,
    claim: Claim,
    cap: CapNow | null = null,
  ): Promise<ContactLease> {
    const now = this.clock.now();
    // A call the cap does not stop (a callback, a chosen contact) still rings the person.
    if (cap && !claim.counted) {
      await this.cap.count(em, cap, claim.contact, claim.contact.campaignId);
    }
    const lease = await this.contactLeases.grant(em, {
      contactId: claim.contact.id,
      userId,
      campaignId: claim.contact.campaignId,
      callbackId: claim.callback?.id ?? null,
      previousState: claim.contact.state,
      startedAt: now,
      expiresAt: this.leases.expiryFrom(now),
    });
    await this.queue.hand(em, claim.contact.id);
    if (claim.callback) await this.callbacks.hand(em, claim.callback.id);
    return lease;
  }
}

/** 400 naming `field` when the campaign cannot be called now: paused, or outside its hours. */
function closedRefusal(campaign: Campaign, now: Date, field: string): ValidationError | null {
  if (campaign.state !== 'active') {
    return new ValidationError(field, `campaign ${campaign.code} is paused`).say(
      'callbacks.errors.paused',
      { campaign: campaign.name },
    );
  }
  if (isWithinCallingHours(campaign, now)) return null;
  const window = describeCallingHours(campaign, 'en', now);
  return new ValidationError(
    field,
    `campaign ${campaign.code} is outside its calling hours: ${window}`,
  ).say('callbacks.errors.outsideHours', {
    campaign: campaign.name,
    window: callingHoursSaid(campaign, now),
  });
}

/** 409 for a contact someone else is working: who, the operator is not told. */
function takenElsewhere(contactId: number): ConflictError {
  return new ConflictError(
    `contactId: contact ${contactId} is being worked by another operator`,
    'contactId',
  ).say('work.errors.takenElsewhere');
}

/** An operator sees their own callbacks and public ones, never another's private ones. */
function visibleTo(callback: Callback, userId: number): boolean {
  return callback.ownerId === userId || callback.visibility === 'public';
}

/** 404 alike for a callback that does not exist and one the operator may not see. */
function callbackNotFound(id: number): NotFoundError {
  return new NotFoundError('callback', id).say('callbacks.errors.notFound', { id });
}

function openedElsewhere(id: number): ConflictError {
  return new ConflictError(
    `id: callback ${id} is being opened by someone else at this moment`,
    'id',
  ).say('callbacks.errors.taken');
}

/**
 * 409 unless the callback waits to be called by this operator now: their own private one
 * (early too: the customer may be ready), a public one once its time has come.
 */
function refuseUnopenable(callback: Callback, userId: number, now: Date): void {
  const { id, state } = callback;
  if (state === 'in_progress') {
    throw new ConflictError(`id: callback ${id} is being called right now`, 'id', {
      state,
    }).say('callbacks.errors.inProgress');
  }
  if (state !== 'scheduled' && state !== 'due') {
    throw new ConflictError(`id: callback ${id} is ${state}; it cannot be opened`, 'id', {
      state,
    }).say('callbacks.errors.closed', { state });
  }
  const own = callback.visibility === 'private' && callback.ownerId === userId;
  if (!own && callback.dueAt > now) {
    throw new ConflictError(
      `id: callback ${id} is public and due at ${callback.dueAt.toISOString()}: it can be opened from then`,
      'id',
      { dueAt: callback.dueAt.toISOString() },
    ).say('callbacks.errors.notDue');
  }
}
