import { Injectable } from '@nestjs/common';
import { Between, DataSource, In } from 'typeorm';
import { CallbackOfferDay } from '../callback-requests/callback-offer-day.entity';
import { CallbackRequest } from '../callback-requests/callback-request.entity';
import { Campaign } from '../campaigns/campaign.entity';
import { addDays } from '../common/time/calendar-day';
import { toZonedLocal } from '../common/time/local-time';
import { type DayRange, type RangeInput, resolveRange } from './dto/report-query';
import { ReportCalendar } from './report-calendar';

export interface CallbackQuery {
  range: RangeInput;
  campaignId?: number;
}

/** What happened to callback offers and requests on one campaign's day. */
export interface CallbackFigures {
  /** Answers that showed a caller at least one free slot (API and public page). */
  offered: number;
  /** Requests booked or moved (each 201 of the API, each booking of the page). */
  accepted: number;
  /** Of the requests whose window fell on the day: reached... */
  served: number;
  /** ...with their first call inside the window. */
  servedInWindow: number;
  /** Closed as not reached after the last retry. */
  notReached: number;
  /** Still not reached when their window ended (flagged to coordinators). */
  late: number;
}

export interface CallbackReportRow extends CallbackFigures {
  day: string;
  campaignId: number;
  campaignCode: string;
  campaignName: string;
}

export interface CallbackReport extends DayRange {
  filters: { campaignId?: number };
  rows: CallbackReportRow[];
  totals: CallbackFigures;
}

const zero = (): CallbackFigures => ({
  offered: 0,
  accepted: 0,
  served: 0,
  servedInWindow: 0,
  notReached: 0,
  late: 0,
});

/**
 * Callback offers by campaign and local day. Offered and accepted are counters kept as
 * callers see slots and ask (callback_offer_days), on the day they did; served, served
 * within the window, not reached and late are read from the requests, on the day of
 * their window. Both are the campaign's local days.
 */
@Injectable()
export class CallbackReportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly calendar: ReportCalendar,
  ) {}

  async report(query: CallbackQuery): Promise<CallbackReport> {
    const range = resolveRange(query.range, this.calendar.today());
    const campaignFilter = query.campaignId !== undefined ? { campaignId: query.campaignId } : {};
    const cells = new Map<string, { day: string; campaignId: number } & CallbackFigures>();
    const cell = (campaignId: number, day: string) => {
      const key = `${day}|${campaignId}`;
      let found = cells.get(key);
      if (!found) {
        found = { day, campaignId, ...zero() };
        cells.set(key, found);
      }
      return found;
    };

    const counters = this.dataSource
      .getRepository(CallbackOfferDay)
      .createQueryBuilder('d')
      .select('d.campaignId', 'campaignId')
      .addSelect('d.day', 'day')
      .addSelect('SUM(d.offered)', 'offered')
      .addSelect('SUM(d.accepted)', 'accepted')
      .where('d.day BETWEEN :from AND :to', range)
      .groupBy('d.campaignId')
      .addGroupBy('d.day');
    if (query.campaignId !== undefined)
      counters.andWhere('d.campaignId = :campaignId', campaignFilter);
    for (const row of await counters.getRawMany<{
      campaignId: number | string;
      day: string;
      offered: number | string;
      accepted: number | string;
    }>()) {
      const c = cell(Number(row.campaignId), row.day);
      c.offered += Number(row.offered);
      c.accepted += Number(row.accepted);
    }

    // Windows a day either side of the range in UTC: each is then placed on its campaign's day.
    const requests = await this.dataSource.getRepository(CallbackRequest).find({
      select: [
        'id',
        'campaignId',
        'slotStart',
        'slotEnd',
        'state',
        'firstAttemptAt',
        'servedAt',
        'lateAt',
      ],
      where: {
        ...campaignFilter,
        slotStart: Between(
          new Date(`${addDays(range.from, -1)}T00:00:00Z`),
          new Date(`${addDays(range.to, 2)}T00:00:00Z`),
        ),
      },
    });
    const zones = await this.campaigns([
      ...new Set([
        ...requests.map((r) => r.campaignId),
        ...[...cells.values()].map((c) => c.campaignId),
      ]),
    ]);
    for (const r of requests) {
      const zone = zones.get(r.campaignId)?.timezone ?? 'UTC';
      const day = toZonedLocal(r.slotStart, zone).slice(0, 10);
      if (day < range.from || day > range.to) continue;
      const c = cell(r.campaignId, day);
      if (r.state === 'served') {
        c.served++;
        const first = r.firstAttemptAt?.getTime();
        if (first !== undefined && first >= r.slotStart.getTime() && first < r.slotEnd.getTime())
          c.servedInWindow++;
      }
      if (r.state === 'not_reached') c.notReached++;
      if (r.lateAt !== null) c.late++;
    }

    const totals = zero();
    const rows = [...cells.values()]
      .map((c): CallbackReportRow => {
        for (const key of Object.keys(totals) as Array<keyof CallbackFigures>)
          totals[key] += c[key];
        const campaign = zones.get(c.campaignId);
        return {
          ...c,
          campaignCode: campaign?.code ?? String(c.campaignId),
          campaignName: campaign?.name ?? `#${c.campaignId}`,
        };
      })
      .sort((a, b) => a.day.localeCompare(b.day) || a.campaignName.localeCompare(b.campaignName));
    return { ...range, filters: { ...campaignFilter }, rows, totals };
  }

  private async campaigns(ids: number[]): Promise<Map<number, Campaign>> {
    if (ids.length === 0) return new Map();
    const found = await this.dataSource.getRepository(Campaign).find({
      select: ['id', 'code', 'name', 'timezone'],
      where: { id: In(ids) },
    });
    return new Map(found.map((c) => [c.id, c]));
  }
}
