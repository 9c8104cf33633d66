import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OutcomeCounter } from '../monitor/outcome-counter.entity';
import { OUTCOME_TYPES, type OutcomeType } from '../outcome-statuses/outcome-status.entity';
import { type ProductionQuery, resolveRange } from './dto/report-query';
import {
  type ProductionFigures,
  type ProductionReport,
  type ProductionRow,
  type TypeCounts,
  zeroTypeCounts,
} from './dto/report.view';
import { ReportCalendar } from './report-calendar';
import {
  applyOperatorScope,
  echoFilters,
  missingName,
  ReportDirectory,
} from './report-directory.service';

/**
 * Contracts (type C outcomes) and appointments (type T) per operator over a range of days,
 * with all their outcomes and the conversion. Read from `outcome_counters` (day, campaign,
 * operator, type), the smallest of the aggregates.
 */
@Injectable()
export class ProductionReportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly calendar: ReportCalendar,
    private readonly directory: ReportDirectory,
  ) {}

  async report(query: ProductionQuery): Promise<ProductionReport> {
    const range = resolveRange(query.range, this.calendar.today());
    const select = this.dataSource
      .getRepository(OutcomeCounter)
      .createQueryBuilder('oc')
      .select('oc.operatorId', 'operatorId')
      .addSelect('oc.statusType', 'statusType')
      .addSelect('SUM(oc.count)', 'count')
      .where('oc.day BETWEEN :from AND :to', range)
      .groupBy('oc.operatorId')
      .addGroupBy('oc.statusType');
    if (query.campaignId !== undefined) {
      select.andWhere('oc.campaignId = :campaignId', { campaignId: query.campaignId });
    }
    applyOperatorScope(select, 'oc.operatorId', query);
    const raw = await select.getRawMany<{
      operatorId: number | string;
      statusType: OutcomeType;
      count: number | string;
    }>();

    const counts = new Map<number, TypeCounts>();
    const all = zeroTypeCounts();
    for (const r of raw) {
      if (!(OUTCOME_TYPES as readonly string[]).includes(r.statusType)) continue;
      const operatorId = Number(r.operatorId);
      const own = counts.get(operatorId) ?? zeroTypeCounts();
      counts.set(operatorId, own);
      own[r.statusType] += Number(r.count);
      all[r.statusType] += Number(r.count);
    }
    const names = await this.directory.operators([...counts.keys()]);
    const rows = [...counts.entries()]
      .map(([operatorId, own]): ProductionRow => ({
        operatorId,
        name: names.get(operatorId)?.name ?? missingName(operatorId),
        team: names.get(operatorId)?.team ?? null,
        ...figuresOf(own),
      }))
      .filter((row) => row.outcomes > 0)
      .sort((a, b) => a.name.localeCompare(b.name) || a.operatorId - b.operatorId);
    return { ...range, filters: echoFilters(query), rows, totals: figuresOf(all) };
  }
}

function figuresOf(counts: TypeCounts): ProductionFigures {
  const outcomes = counts.R + counts.N + counts.C + counts.T;
  return {
    outcomes,
    contracts: counts.C,
    appointments: counts.T,
    callbacks: counts.R,
    negatives: counts.N,
    // Rounded here so that JSON and CSV say the same figure.
    conversionRate: outcomes
      ? Math.round(((counts.C + counts.T) / outcomes) * 10_000) / 10_000
      : null,
  };
}
