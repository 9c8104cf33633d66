import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Campaign } from '../campaigns/campaign.entity';
import {
  callingHoursSaid,
  describeCallingHours,
  isWithinCallingHours,
} from '../campaigns/calling-hours';
import { inEachLanguage, ValidationError } from '../common/errors/domain-errors';
import { formatDateTime } from '../common/format/locale-format';
import { instantInZone, toZonedLocal } from '../common/time/local-time';
import type { CallbackVisibility, OutcomeStatus } from '../outcome-statuses/outcome-status.entity';
import { CallbackBook } from './callback-book';

/** What the operator agreed with the customer: the time, and who may call. */
export interface AgreedCallback {
  at: string;
  visibility?: CallbackVisibility;
}

export interface ScheduledCallback {
  id: number;
  dueAt: string;
  visibility: CallbackVisibility;
}

/**
 * The callback of an R outcome, written inside the outcome's transaction: the agreed time
 * checked (in the future, inside the campaign's calling hours, read on its clock), owned by
 * the operator who agreed it, private or public as they chose or the status says, and
 * replacing the contact's other active callback and the number's in any other campaign.
 */
@Injectable()
export class CallbackScheduler {
  constructor(private readonly book: CallbackBook) {}

  async schedule(
    em: EntityManager,
    input: {
      campaign: Campaign;
      contactId: number;
      /** The contact's number as the call leaves it (corrected in the call, if it was). */
      phone: string;
      operatorId: number;
      status: Pick<OutcomeStatus, 'label' | 'callbackVisibility'>;
      request: AgreedCallback | undefined;
      notes: string | null;
      answers: Record<string, string> | null;
      now: Date;
    },
  ): Promise<ScheduledCallback> {
    const at = agreedTime(input.request, input.campaign, input.now);
    const visibility = input.request?.visibility ?? input.status.callbackVisibility ?? 'private';
    const id = await this.book.schedule(
      em,
      {
        contactId: input.contactId,
        phone: input.phone,
        campaignId: input.campaign.id,
        ownerId: input.operatorId,
        visibility,
        dueAt: at,
        notes: input.notes,
        reason: input.status.label,
        answers: input.answers,
      },
      input.now,
    );
    return { id, dueAt: at.toISOString(), visibility };
  }
}

/** The agreed time: in the future and inside the calling hours (400 naming the window). */
function agreedTime(request: AgreedCallback | undefined, campaign: Campaign, now: Date): Date {
  if (!request) {
    throw new ValidationError(
      'callback',
      'callback: a callback (type R) needs {at}, the agreed date and time',
    ).say('work.errors.callbackRequired');
  }
  // Without an offset the time is the campaign's wall clock, never the server's zone.
  const at = instantInZone(request.at, campaign.timezone);
  if (at === 'skipped') {
    throw new ValidationError(
      'callback.at',
      `callback.at: ${request.at.slice(0, 16).replace('T', ' ')} does not exist in ${campaign.timezone} (the clocks go forward that night); choose another time`,
    ).say('work.errors.callbackSkipped', {
      at: request.at.slice(0, 16).replace('T', ' '),
      zone: campaign.timezone,
    });
  }
  if (at === null) {
    throw new ValidationError('callback.at', 'callback.at is not a date and time').say(
      'work.errors.callbackNotATime',
    );
  }
  if (at.getTime() <= now.getTime()) {
    throw new ValidationError('callback.at', 'callback.at must be in the future').say(
      'work.errors.callbackPast',
    );
  }
  if (!isWithinCallingHours(campaign, at)) {
    throw new ValidationError(
      'callback.at',
      `callback.at: ${toZonedLocal(at, campaign.timezone).replace('T', ' ')} is outside the calling hours ${describeCallingHours(campaign, 'en', at)}`,
    ).say('work.errors.callbackOutsideHours', {
      at: inEachLanguage((lang) => formatDateTime(at, lang, campaign.timezone)),
      window: callingHoursSaid(campaign, at),
    });
  }
  return at;
}
