import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { describeCallingHours } from '../campaigns/calling-hours';
import { Campaign } from '../campaigns/campaign.entity';
import { addToCounter } from '../common/database/sql-dialect';
import { NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { addDays, daysBetween, isCalendarDay } from '../common/time/calendar-day';
import { Clock } from '../common/time/clock';
import { toZonedLocal } from '../common/time/local-time';
import { CallbackCapacity } from './callback-capacity.entity';
import { CallbackOfferSettings } from './callback-offer-settings.entity';
import {
  type CallbackRequestSource,
  CallbackRequest,
  SEATED_REQUEST_STATES,
} from './callback-request.entity';
import {
  capacityKey,
  daysOpen,
  hoursOpen,
  type Slot,
  type SlotRules,
  slotsOfDay,
} from './callback-slots';
import type { CallbackOfferDto, CallbackOfferView } from './dto/callback-offer.dto';

/** A slot as offered: its window and the callbacks it still takes. */
export interface OfferedSlot {
  start: string;
  end: string;
  /** "10:00-10:30" in the campaign's time zone. */
  window: string;
  capacity: number;
  remaining: number;
}

export interface SlotsView {
  campaignId: number;
  date: string;
  timezone: string;
  slotMinutes: number;
  slots: OfferedSlot[];
}

/** What the offer's settings page shows besides the offer itself. */
export interface CallbackOfferEditor {
  campaign: Pick<
    Campaign,
    'id' | 'code' | 'name' | 'state' | 'timezone' | 'callingHours' | 'holidays' | 'closedDates'
  >;
  /** The calling days (ISO, 1 = Monday) and the hours a capacity can be set for. */
  days: number[];
  hours: number[];
  offer: CallbackOfferView;
}

/** A campaign with the rules its slots are cut by. */
export interface OfferRules extends SlotRules {
  campaign: Campaign;
  settings: CallbackOfferSettings;
}

/**
 * Callback slots: a campaign's opening hours cut into windows, each taking as many callbacks
 * as the staff can make (per weekday and hour). A slot is offered while it has room and
 * starts at least the lead time from now; closed, full and imminent slots are not.
 */
@Injectable()
export class CallbackOfferService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async settings(campaignId: number): Promise<CallbackOfferView> {
    await this.campaign(this.dataSource.manager, campaignId, 'id');
    return this.view(campaignId);
  }

  /** The settings page: the offer and the campaign's calling hours. */
  async editor(campaignId: number): Promise<CallbackOfferEditor> {
    const campaign = await this.campaign(this.dataSource.manager, campaignId, 'id');
    return {
      campaign: {
        id: campaign.id,
        code: campaign.code,
        name: campaign.name,
        state: campaign.state,
        timezone: campaign.timezone,
        callingHours: campaign.callingHours,
        holidays: campaign.holidays,
        closedDates: campaign.closedDates,
      },
      days: daysOpen(campaign.callingHours),
      hours: hoursOpen(campaign.callingHours),
      offer: await this.view(campaignId),
    };
  }

  /** Changes the settings (absent fields keep their value); `capacities` replaces them all. */
  async configure(campaignId: number, dto: CallbackOfferDto): Promise<CallbackOfferView> {
    await this.dataSource.transaction(async (em) => {
      const campaign = await this.campaign(em, campaignId, 'id');
      const repo = em.getRepository(CallbackOfferSettings);
      const current =
        (await repo.findOneBy({ campaignId })) ?? repo.create({ campaignId, ...DEFAULTS });
      const seen = new Set<string>();
      const open = hoursOpen(campaign.callingHours);
      for (const [i, c] of (dto.capacities ?? []).entries()) {
        const key = capacityKey(c.day, c.hour);
        if (seen.has(key)) {
          throw new ValidationError(
            `capacities.${i}`,
            `capacities.${i}: day ${c.day} hour ${c.hour} is given twice`,
          );
        }
        seen.add(key);
        if (!daysOpen(campaign.callingHours).includes(c.day) || !open.includes(c.hour)) {
          throw new ValidationError(
            `capacities.${i}`,
            `capacities.${i}: day ${c.day} hour ${c.hour} is outside the calling hours, ${describeCallingHours(campaign)}`,
          ).say('callbackOffer.errors.outsideHours');
        }
      }
      for (const field of FIELDS) {
        const value = dto[field];
        if (value !== undefined) (current as unknown as Record<string, unknown>)[field] = value;
      }
      await repo.save(current);
      if (dto.capacities) {
        await em.delete(CallbackCapacity, { campaignId });
        if (dto.capacities.length > 0) {
          await em.insert(
            CallbackCapacity,
            dto.capacities.map((c) => ({
              campaignId,
              day: c.day,
              hour: c.hour,
              capacity: c.capacity,
            })),
          );
        }
      }
    });
    return this.view(campaignId);
  }

  /**
   * `GET /callback-slots`: the slots of a local day (today in the campaign's zone by
   * default) that are still offered.
   */
  async available(
    campaignId: number,
    date?: string,
    source: CallbackRequestSource = 'api',
  ): Promise<SlotsView> {
    const rules = await this.rules(this.dataSource.manager, campaignId, 'campaignId');
    const now = this.clock.now();
    const today = toZonedLocal(now, rules.timezone).slice(0, 10);
    const day = date ?? today;
    if (!isCalendarDay(day)) throw new ValidationError('date', 'date must be a day as YYYY-MM-DD');
    const ahead = daysBetween(today, day);
    if (ahead < 0) throw new ValidationError('date', `date: ${day} is in the past`);
    if (ahead >= rules.settings.daysAhead) {
      throw new ValidationError(
        'date',
        `date: callbacks are offered up to ${addDays(today, rules.settings.daysAhead - 1)}`,
      );
    }
    const slots = (await this.offeredOn(rules, day, now)).map(offered);
    if (slots.length > 0) await this.countOffer(rules, source);
    return {
      campaignId,
      date: day,
      timezone: rules.timezone,
      slotMinutes: rules.slotMinutes,
      slots,
    };
  }

  /** Every day the campaign offers, with its slots that have room (days without any left out). */
  async offeredDays(rules: OfferRules): Promise<Array<{ date: string; slots: OfferedSlot[] }>> {
    const now = this.clock.now();
    const today = toZonedLocal(now, rules.timezone).slice(0, 10);
    const days: Array<{ date: string; slots: OfferedSlot[] }> = [];
    for (let d = 0; d < rules.settings.daysAhead; d++) {
      const date = addDays(today, d);
      const slots = (await this.offeredOn(rules, date, now)).map(offered);
      if (slots.length > 0) days.push({ date, slots });
    }
    return days;
  }

  /**
   * One more answer that showed a caller free slots, on the campaign's local day: the
   * "offered" of the callback report. One upsert on the day's counter row.
   */
  async countOffer(rules: OfferRules, source: CallbackRequestSource): Promise<void> {
    const day = toZonedLocal(this.clock.now(), rules.timezone).slice(0, 10);
    await addToCounter(
      this.dataSource.manager,
      'callback_offer_days',
      { campaign_id: rules.campaign.id, day, source },
      'offered',
      1,
    );
  }

  /** The offered slots from now on, day by day, as far as the campaign offers (at most `limit`). */
  async upcoming(rules: OfferRules, limit: number): Promise<Array<Slot & { remaining: number }>> {
    const now = this.clock.now();
    const today = toZonedLocal(now, rules.timezone).slice(0, 10);
    const found: Array<Slot & { remaining: number }> = [];
    for (let d = 0; d < rules.settings.daysAhead && found.length < limit; d++) {
      found.push(...(await this.offeredOn(rules, addDays(today, d), now)));
    }
    return found.slice(0, limit);
  }

  /** A campaign's slot rules; 404 naming `field` for an unknown campaign. */
  async rules(em: EntityManager, campaignId: number, field: string): Promise<OfferRules> {
    const campaign = await this.campaign(em, campaignId, field);
    const settings =
      (await em.getRepository(CallbackOfferSettings).findOneBy({ campaignId })) ??
      em.getRepository(CallbackOfferSettings).create({ campaignId, ...DEFAULTS });
    const capacities = await em.getRepository(CallbackCapacity).findBy({ campaignId });
    return {
      campaign,
      settings,
      timezone: campaign.timezone,
      callingHours: campaign.callingHours,
      holidays: campaign.holidays,
      closedDates: campaign.closedDates,
      slotMinutes: settings.slotMinutes,
      // A paused campaign calls nobody: it promises nothing either.
      defaultCapacity: campaign.state === 'active' ? settings.defaultCapacity : 0,
      capacities: new Map(
        capacities.map((c) => [
          capacityKey(c.day, c.hour),
          campaign.state === 'active' ? c.capacity : 0,
        ]),
      ),
    };
  }

  /** Seats taken per slot start (ms) in [from, to). */
  async seatsTaken(
    em: EntityManager,
    campaignId: number,
    from: Date,
    to: Date,
  ): Promise<Map<number, number>> {
    const rows = await em
      .getRepository(CallbackRequest)
      .createQueryBuilder('r')
      .select(['r.id', 'r.slotStart'])
      .where('r.campaignId = :campaignId', { campaignId })
      .andWhere('r.slotStart >= :from AND r.slotStart < :to', { from, to })
      .andWhere('r.state IN (:...seated)', { seated: [...SEATED_REQUEST_STATES] })
      .getMany();
    const taken = new Map<number, number>();
    for (const row of rows) {
      const key = row.slotStart.getTime();
      taken.set(key, (taken.get(key) ?? 0) + 1);
    }
    return taken;
  }

  private async offeredOn(
    rules: OfferRules,
    day: string,
    now: Date,
  ): Promise<Array<Slot & { remaining: number }>> {
    const earliest = now.getTime() + rules.settings.leadMinutes * 60_000;
    const slots = slotsOfDay(rules, day).filter(
      (slot) => slot.capacity > 0 && slot.start.getTime() >= earliest,
    );
    if (slots.length === 0) return [];
    const taken = await this.seatsTaken(
      this.dataSource.manager,
      rules.campaign.id,
      slots[0]!.start,
      slots[slots.length - 1]!.end,
    );
    return slots
      .map((slot) => ({
        ...slot,
        remaining: slot.capacity - (taken.get(slot.start.getTime()) ?? 0),
      }))
      .filter((slot) => slot.remaining > 0);
  }

  private async campaign(em: EntityManager, id: number, field: string): Promise<Campaign> {
    const campaign = await em.getRepository(Campaign).findOneBy({ id });
    if (!campaign) throw new NotFoundError(`${field}: campaign`, id);
    return campaign;
  }

  private async view(campaignId: number): Promise<CallbackOfferView> {
    const settings = await this.dataSource
      .getRepository(CallbackOfferSettings)
      .findOneBy({ campaignId });
    const capacities = await this.dataSource
      .getRepository(CallbackCapacity)
      .find({ where: { campaignId }, order: { day: 'ASC', hour: 'ASC' } });
    const s = settings ?? { ...DEFAULTS };
    return {
      campaignId,
      slotMinutes: s.slotMinutes,
      leadMinutes: s.leadMinutes,
      defaultCapacity: s.defaultCapacity,
      daysAhead: s.daysAhead,
      publicPage: s.publicPage,
      capacities: capacities.map(({ day, hour, capacity }) => ({ day, hour, capacity })),
    };
  }
}

const DEFAULTS = {
  slotMinutes: 30,
  leadMinutes: 15,
  defaultCapacity: 0,
  daysAhead: 7,
  publicPage: false,
};

const FIELDS = [
  'slotMinutes',
  'leadMinutes',
  'defaultCapacity',
  'daysAhead',
  'publicPage',
] as const;

export function offered(slot: Slot & { remaining: number }): OfferedSlot {
  return {
    start: slot.start.toISOString(),
    end: slot.end.toISOString(),
    window: `${slot.from}-${slot.to}`,
    capacity: slot.capacity,
    remaining: slot.remaining,
  };
}
