import { Injectable } from '@nestjs/common';
import { EntityManager, In, LessThan, type SelectQueryBuilder } from 'typeorm';
import type { Campaign } from '../campaigns/campaign.entity';
import { isMysqlSource } from '../common/database/sql-dialect';
import { toZonedLocal } from '../common/time/local-time';
import { AppConfigService } from '../config/app-config.service';
import type { Contact } from '../contacts/contact.entity';
import { FrequencyCapSettingsService } from './frequency-cap-settings.service';
import { capIsOn, type FrequencyCapSettings } from './frequency-cap.settings';
import { PhoneCallTally } from './phone-call-tally.entity';

/** The cap as one request applies it: the settings, and the moment it was read for. */
export interface CapNow {
  settings: FrequencyCapSettings;
  now: Date;
  /** The call centre's local day (TIMEZONE) of `now`. */
  day: string;
}

/** Tallies kept: today's and yesterday's (a day ends at different moments in each zone). */
const KEEP_DAYS = 2;

/**
 * The frequency cap across campaigns: a person is not called more than N times a local day,
 * nor by a second campaign within M minutes of a call. Calls are counted per number and day
 * in `phone_call_tallies` by the transaction that hands the contact to an operator (that is
 * when the phone rings; an outcome comes minutes later, too late to keep a second campaign
 * from dialling meanwhile). The only writer of that table.
 *
 * Dispatch leaves capped contacts in their queue (they come back when the day or the gap
 * is over): the claim's query skips them, and the count, a guarded UPDATE of the number's
 * row, refuses the one that two operators' claims would both have let through (a write
 * that conflicts, on one server or across the nodes of a cluster).
 */
@Injectable()
export class FrequencyCap {
  constructor(
    private readonly settings: FrequencyCapSettingsService,
    private readonly config: AppConfigService,
  ) {}

  /**
   * The cap for a request made now; null when it is off (nothing to read or write). Its
   * settings come from this instance's copy, checked against the configuration stamp with
   * the campaigns' (at most twice a second per instance, not per request).
   */
  async at(now: Date): Promise<CapNow | null> {
    const settings = await this.settings.current();
    if (!capIsOn(settings)) return null;
    return { settings, now, day: this.dayOf(now) };
  }

  /** Whether the campaign's queue is capped: marketing always, service if an admin says so. */
  limits(cap: CapNow | null, campaign: Pick<Campaign, 'purpose'>): cap is CapNow {
    return cap !== null && (campaign.purpose !== 'service' || cap.settings.applyToService);
  }

  /** The queue's query without the contacts whose number is capped now (alias `c`). */
  skipCapped<T extends Contact>(
    query: SelectQueryBuilder<T>,
    cap: CapNow,
    campaignId: number,
  ): SelectQueryBuilder<T> {
    const limits = this.conditions(cap, 'fc');
    if (!limits) return query;
    return query.andWhere(
      `NOT EXISTS (SELECT 1 FROM phone_call_tallies fc WHERE fc.phone = c.phone AND fc.day = :fcDay AND (${limits.sql}))`,
      { fcDay: cap.day, ...limits.params, fcCampaign: campaignId },
    );
  }

  /**
   * Counts the call if the cap lets the campaign make it; false (nothing written) when the
   * number is capped.
   * Lock: the number's row for the day, made to exist and then updated under the guard.
   */
  async admit(
    em: EntityManager,
    cap: CapNow,
    contact: Pick<Contact, 'phone'>,
    campaignId: number,
  ): Promise<boolean> {
    return this.addCall(em, cap, contact.phone, campaignId, true);
  }

  /**
   * Counts a call the cap does not stop (a callback agreed with the customer, a contact an
   * operator chose to call, a campaign the cap does not limit): the person was still rung.
   * Lock: the number's row for the day, made to exist and then updated.
   */
  async count(
    em: EntityManager,
    cap: CapNow,
    contact: Pick<Contact, 'phone'>,
    campaignId: number,
  ): Promise<void> {
    await this.addCall(em, cap, contact.phone, campaignId, false);
  }

  /** One call more on the number's row for the day; `guarded`: only if the cap lets it. */
  private async addCall(
    em: EntityManager,
    cap: CapNow,
    phone: string,
    campaignId: number,
    guarded: boolean,
  ): Promise<boolean> {
    await this.ensureRow(em, phone, cap.day);
    const query = em
      .createQueryBuilder()
      .update(PhoneCallTally)
      .set({ calls: () => 'calls + 1', lastCallAt: cap.now, lastCampaignId: campaignId })
      .where('phone = :phone AND day = :day', { phone, day: cap.day });
    const limits = guarded ? this.conditions(cap, 'phone_call_tallies') : null;
    if (limits) query.andWhere(`NOT (${limits.sql})`, { ...limits.params, fcCampaign: campaignId });
    const result = await query.execute();
    return !!result.affected;
  }

  /** A person's erasure: the numbers' tallies go. Lock: none needed (deletes by key). */
  async erase(em: EntityManager, phones: string[]): Promise<void> {
    if (phones.length > 0) await em.delete(PhoneCallTally, { phone: In(phones) });
  }

  /** Tallies of days no cap looks at any more are forgotten; how many. */
  async forgetOld(em: EntityManager, now: Date): Promise<number> {
    const oldest = this.dayOf(new Date(now.getTime() - (KEEP_DAYS - 1) * 86_400_000));
    const result = await em.delete(PhoneCallTally, { day: LessThan(oldest) });
    return result.affected ?? 0;
  }

  /** The call centre's local date of `at`. */
  dayOf(at: Date): string {
    return toZonedLocal(at, this.config.get('TIMEZONE')).slice(0, 10);
  }

  /**
   * What makes a number capped now, over the tally row `alias` (campaign: :fcCampaign):
   * its calls today at the limit, or a call of another campaign within the gap.
   */
  private conditions(
    cap: CapNow,
    alias: string,
  ): { sql: string; params: Record<string, unknown> } | null {
    const { maxCallsPerDay, minMinutesBetweenCampaigns } = cap.settings;
    const parts: string[] = [];
    const params: Record<string, unknown> = {};
    if (maxCallsPerDay !== null) {
      parts.push(`${alias}.calls >= :fcMax`);
      params.fcMax = maxCallsPerDay;
    }
    if (minMinutesBetweenCampaigns !== null) {
      // IS NOT NULL first: a row never called has no last call, and NOT of an unknown is unknown.
      parts.push(
        `(${alias}.last_call_at IS NOT NULL AND ${alias}.last_call_at > :fcSince AND ${alias}.last_campaign_id <> :fcCampaign)`,
      );
      params.fcSince = new Date(cap.now.getTime() - minMinutesBetweenCampaigns * 60_000);
    }
    return parts.length ? { sql: parts.join(' OR '), params } : null;
  }

  /** The number's row for the day exists (and, on MySQL, is locked by this transaction). */
  private async ensureRow(em: EntityManager, phone: string, day: string): Promise<void> {
    await em.query(
      isMysqlSource(em.connection)
        ? 'INSERT INTO phone_call_tallies (phone, day, calls) VALUES (?, ?, 0) ON DUPLICATE KEY UPDATE calls = calls'
        : 'INSERT INTO phone_call_tallies (phone, day, calls) VALUES (?, ?, 0) ON CONFLICT (phone, day) DO NOTHING',
      [phone, day],
    );
  }
}
