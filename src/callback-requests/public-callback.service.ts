import { Injectable } from '@nestjs/common';
import { DataSource, MoreThan } from 'typeorm';
import { Campaign } from '../campaigns/campaign.entity';
import { serialiseOn } from '../common/database/row-lock';
import { retriedTransaction } from '../common/database/retried-transaction';
import {
  DomainError,
  NotFoundError,
  TooManyRequestsError,
  ValidationError,
} from '../common/errors/domain-errors';
import { Clock } from '../common/time/clock';
import type { Language } from '../config/app.config';
import { AppConfigService } from '../config/app-config.service';
import { PHONE_INPUT_MAX_LENGTH, PhoneNumbers } from '../common/phone/phone-number';
import { refusedPhoneType } from './callable-phone';
import { CallbackOfferService, type OfferedSlot, type OfferRules } from './callback-offer.service';
import { type BookedCallbackRequest, CallbackRequestsService } from './callback-requests.service';
import { CallbackWebSubmission } from './callback-web-submission.entity';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const PUBLIC_NAME_MAX = 120;
export const PUBLIC_REASON_MAX = 200;
/** The field a person never sees (CSS hides it) and a form-filling robot fills in. */
export const HONEYPOT_FIELD = 'website';

/** What the public form sends, read field by field. */
export interface PublicCallbackForm {
  slotStart: string;
  phone: string;
  name: string;
  reason?: string;
}

/** field → i18n key of what is wrong with it (the page says it beside the field). */
export type FormErrors = Record<string, string>;

export interface PublicDay {
  date: string;
  slots: OfferedSlot[];
}

export interface PublicPage {
  campaign: { code: string; name: string };
  timezone: string;
  days: PublicDay[];
}

/**
 * The campaign's public callback page (no sign-in, only when its offer has `publicPage`):
 * the free slots, and a request booked like the API's (same slots, same phone rules, same
 * seat lock), behind limits per visitor address and per number that the database counts,
 * so they hold however many instances run.
 */
@Injectable()
export class PublicCallbackService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly offer: CallbackOfferService,
    private readonly requests: CallbackRequestsService,
    private readonly phones: PhoneNumbers,
    private readonly config: AppConfigService,
  ) {}

  /** The page's slots by day; 404 when the campaign has no public page. Counts as an offer. */
  async page(code: string): Promise<PublicPage> {
    const rules = await this.rules(code);
    const days = await this.offer.offeredDays(rules);
    if (days.length > 0) await this.offer.countOffer(rules, 'web');
    return {
      campaign: { code: rules.campaign.code, name: rules.campaign.name },
      timezone: rules.timezone,
      days,
    };
  }

  /** Reads the form: the fields it needs, or the i18n key of what is wrong with each. */
  readForm(body: Record<string, unknown>): { form?: PublicCallbackForm; errors: FormErrors } {
    const text = (field: string) =>
      typeof body[field] === 'string' ? body[field].trim() : undefined;
    const errors: FormErrors = {};
    // A robot filled in the field no person sees: refused as a whole, nothing said about why.
    if (text(HONEYPOT_FIELD)) errors.form = 'callbackPage.errors.refused';
    const slotStart = text('slotStart');
    if (!slotStart || slotStart.length > 40) errors.slotStart = 'callbackPage.errors.slotMissing';
    const phone = text('phone');
    if (!phone) errors.phone = 'callbackPage.errors.phoneMissing';
    else if (phone.length > PHONE_INPUT_MAX_LENGTH || !this.phones.normalise(phone))
      errors.phone = 'callbackPage.errors.phoneInvalid';
    else if (refusedPhoneType(this.phones.normalise(phone)!))
      errors.phone = 'callbackPage.errors.phoneType';
    const name = text('name');
    if (!name) errors.name = 'callbackPage.errors.nameMissing';
    else if (name.length > PUBLIC_NAME_MAX) errors.name = 'callbackPage.errors.nameLong';
    const reason = text('reason');
    if (reason && reason.length > PUBLIC_REASON_MAX)
      errors.reason = 'callbackPage.errors.reasonLong';
    if (Object.keys(errors).length > 0 || !slotStart || !phone || !name) return { errors };
    return { form: { slotStart, phone, name, ...(reason ? { reason } : {}) }, errors };
  }

  /**
   * Books the request. The campaign's offer-settings row is locked while the limits are
   * counted and the submission written, so concurrent submissions take turns and never
   * pass a limit together; a booking that then fails gives its submission back.
   */
  async submit(
    code: string,
    form: PublicCallbackForm,
    clientIp: string,
    language: Language,
  ): Promise<BookedCallbackRequest> {
    const rules = await this.rules(code);
    const campaignId = rules.campaign.id;
    const phone = this.phones.normalise(form.phone)!;
    const ip = clientIp.slice(0, 45);
    const submissionId = await retriedTransaction(
      this.dataSource,
      async (em) => {
        // The campaign's page takes turns (a write, so nodes of a cluster take turns too)
        // while it counts the requests each address and number made.
        await serialiseOn(em, `callback-page:${campaignId}`);
        const now = this.clock.now();
        const repo = em.getRepository(CallbackWebSubmission);
        const byAddress = await repo.count({
          where: { campaignId, clientIp: ip, createdAt: MoreThan(new Date(now.getTime() - HOUR)) },
        });
        const perAddress = this.config.get('CALLBACK_PAGE_MAX_PER_ADDRESS_HOUR');
        if (byAddress >= perAddress) {
          throw new TooManyRequestsError(
            `form: at most ${perAddress} requests an hour from one address`,
            3600,
          ).say('callbackPage.errors.tooManyFromAddress');
        }
        const byNumber = await repo.count({
          where: { campaignId, phone, createdAt: MoreThan(new Date(now.getTime() - DAY)) },
        });
        const perNumber = this.config.get('CALLBACK_PAGE_MAX_PER_NUMBER_DAY');
        if (byNumber >= perNumber) {
          throw new NumberLimitReached(
            `phone: at most ${perNumber} requests a day for one number`,
            86_400,
          ).say('callbackPage.errors.tooManyForNumber');
        }
        const inserted = await em.insert(CallbackWebSubmission, {
          campaignId,
          clientIp: ip,
          phone,
          createdAt: now,
        });
        return Number(inserted.identifiers[0]!.id);
      },
      { readCommitted: true, attempts: 10 },
    );
    try {
      return await this.requests.request({
        campaignId,
        phone,
        name: form.name,
        reason: form.reason,
        slotStart: form.slotStart,
        language,
        source: 'web',
        clientIp: ip,
      });
    } catch (error) {
      await this.dataSource.getRepository(CallbackWebSubmission).delete({ id: submissionId });
      throw sayOnPage(error);
    }
  }

  /** The campaign of a public page: 404 unless its offer has the page switched on. */
  private async rules(code: string): Promise<OfferRules> {
    const campaign = await this.dataSource.getRepository(Campaign).findOneBy({ code });
    if (!campaign) throw new NotFoundError('campaign', code);
    const rules = await this.offer.rules(this.dataSource.manager, campaign.id, 'campaign');
    if (!rules.settings.publicPage) throw new NotFoundError('campaign', code);
    return rules;
  }
}

/** The per-number limit: a 429 that belongs to the phone field. */
class NumberLimitReached extends TooManyRequestsError {
  readonly field = 'phone';
}

/** The booking's refusals in the visitor's words (the message names the field for the API). */
function sayOnPage(error: unknown): unknown {
  if (!(error instanceof DomainError) || error.userMessage) return error;
  const field = 'field' in error && typeof error.field === 'string' ? error.field : undefined;
  switch (error.kind) {
    case 'conflict':
      return field === 'slotStart'
        ? error.say('callbackPage.errors.slotFull')
        : error.say('callbackPage.errors.phoneBusy');
    case 'validation':
      return field === 'phone'
        ? error.say('callbackPage.errors.phoneInvalid')
        : error instanceof ValidationError && error.field === 'slotStart'
          ? error.say('callbackPage.errors.slotGone')
          : error;
    case 'forbidden':
    case 'not_found':
    case 'too_many_requests':
    case 'unauthorized':
    case 'unavailable':
      return error;
  }
}
