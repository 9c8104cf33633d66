import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Language } from '../config/app.config';
import { OutcomeHour } from '../monitor/outcome-hour.entity';
import {
  daysOf,
  type DayRange,
  type GroupBy,
  type OutcomeQuery,
  resolveRange,
} from './dto/report-query';
import {
  type OutcomeCounts,
  type OutcomeReport,
  type OutcomeReportRow,
  type ReportStatus,
  zeroTypeCounts,
} from './dto/report.view';
import { ReportCalendar } from './report-calendar';
import {
  applyOperatorScope,
  echoFilters,
  missingName,
  ReportDirectory,
} from './report-directory.service';

/** One aggregate cell: a group's count of one status. */
interface Cell {
  key: number | string;
  statusId: number;
  count: number;
}

const KEY_COLUMN: Record<GroupBy, string> = {
  operator: 'oh.operatorId',
  campaign: 'oh.campaignId',
  status: 'oh.statusId',
  day: 'oh.day',
  hour: 'oh.hour',
};

/**
 * Outcomes over a range of days grouped by operator, campaign, status, day or hour, counted
 * per status and type. Read from `outcome_hours` (its primary key starts with the day, so a
 * range is one index range however long the history), never from the interactions.
 */
@Injectable()
export class OutcomeReportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly calendar: ReportCalendar,
    private readonly directory: ReportDirectory,
  ) {}

  async report(query: OutcomeQuery, lang: Language): Promise<OutcomeReport> {
    const range = resolveRange(query.range, this.calendar.today());
    const cells = await this.cells(query, range);
    const statuses = await this.directory.statuses(unique(cells.map((c) => c.statusId)), lang);
    const grouped = new Map<number | string, Cell[]>();
    for (const cell of cells) {
      const group = grouped.get(cell.key) ?? [];
      grouped.set(cell.key, group);
      group.push(cell);
    }

    const labels = await this.labels(query.groupBy, [...grouped.keys()], statuses);
    const rows = this.keysOf(query.groupBy, range, [...grouped.keys()], statuses).map(
      (key): OutcomeReportRow => ({
        key,
        ...labels(key),
        ...counted(grouped.get(key) ?? [], statuses),
      }),
    );
    if (query.groupBy === 'operator' || query.groupBy === 'campaign') {
      rows.sort((a, b) => a.label.localeCompare(b.label) || Number(a.key) - Number(b.key));
    }
    return {
      ...range,
      groupBy: query.groupBy,
      filters: echoFilters(query),
      statuses,
      rows,
      totals: counted(cells, statuses),
    };
  }

  private async cells(query: OutcomeQuery, range: DayRange): Promise<Cell[]> {
    const key = KEY_COLUMN[query.groupBy];
    const select = this.dataSource
      .getRepository(OutcomeHour)
      .createQueryBuilder('oh')
      .select(key, 'groupKey')
      .addSelect('oh.statusId', 'statusId')
      .addSelect('SUM(oh.count)', 'count')
      .where('oh.day BETWEEN :from AND :to', range)
      .groupBy(key);
    if (query.groupBy !== 'status') select.addGroupBy('oh.statusId');
    if (query.campaignId !== undefined) {
      select.andWhere('oh.campaignId = :campaignId', { campaignId: query.campaignId });
    }
    applyOperatorScope(select, 'oh.operatorId', query);
    const raw = await select.getRawMany<{
      groupKey: number | string;
      statusId: number | string;
      count: number | string;
    }>();
    // MySQL sends SUMs (and on some drivers integers) as strings: numbers, deliberately.
    return raw
      .map((r) => ({
        key: query.groupBy === 'day' ? String(r.groupKey) : Number(r.groupKey),
        statusId: Number(r.statusId),
        count: Number(r.count),
      }))
      .filter((c) => c.count > 0);
  }

  /**
   * The rows' keys in order: every day of the range and every hour from the first to the
   * last with outcomes (so a chart keeps its axis), statuses in the legend's order, and the
   * operators and campaigns that have outcomes.
   */
  private keysOf(
    groupBy: GroupBy,
    range: DayRange,
    found: Array<number | string>,
    statuses: ReportStatus[],
  ): Array<number | string> {
    switch (groupBy) {
      case 'day':
        return daysOf(range);
      case 'hour': {
        if (found.length === 0) return [];
        const hours = found.map(Number);
        const first = Math.min(...hours);
        return Array.from({ length: Math.max(...hours) - first + 1 }, (_, i) => first + i);
      }
      case 'status':
        return statuses.map((s) => s.id);
      case 'operator':
      case 'campaign':
        return found;
    }
  }

  private async labels(
    groupBy: GroupBy,
    keys: Array<number | string>,
    statuses: ReportStatus[],
  ): Promise<(key: number | string) => { label: string; code?: string }> {
    switch (groupBy) {
      case 'operator': {
        const names = await this.directory.operators(keys.map(Number));
        return (key) => ({ label: names.get(Number(key))?.name ?? missingName(Number(key)) });
      }
      case 'campaign': {
        const names = await this.directory.campaigns(keys.map(Number));
        return (key) => {
          const campaign = names.get(Number(key));
          return campaign
            ? { label: campaign.name, code: campaign.code }
            : { label: missingName(Number(key)) };
        };
      }
      case 'status':
        return (key) => {
          const status = statuses.find((s) => s.id === key);
          return { label: status?.label ?? missingName(Number(key)), code: status?.code };
        };
      case 'day':
        return (key) => ({ label: String(key) });
      case 'hour':
        return (key) => ({ label: `${String(key).padStart(2, '0')}:00` });
    }
  }
}

/** A group's total, its counts per type, and its non-zero counts per status in legend order. */
function counted(cells: Cell[], statuses: ReportStatus[]): OutcomeCounts {
  const byId = new Map<number, number>();
  for (const cell of cells) byId.set(cell.statusId, (byId.get(cell.statusId) ?? 0) + cell.count);
  const byType = zeroTypeCounts();
  const byStatus = [];
  let total = 0;
  for (const status of statuses) {
    const count = byId.get(status.id);
    if (!count) continue;
    byType[status.type] += count;
    byStatus.push({ statusId: status.id, code: status.code, count });
    total += count;
  }
  return { total, byType, byStatus };
}

function unique(ids: number[]): number[] {
  return [...new Set(ids)];
}
