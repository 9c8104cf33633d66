import type { Response } from 'express';
import type { ExportColumn, Row } from '../common/csv/export-cell';
import type { ExportDialect } from '../common/csv/export-dialect';
import { sendTable } from '../common/csv/export-table';
import { OUTCOME_TYPES } from '../outcome-statuses/outcome-status.entity';
import type { CallbackReport } from './callback-report.service';
import type { ReportFormat } from './dto/report-query';
import type { OperatorTimeReport, OutcomeReport, ProductionReport } from './dto/report.view';

/** A report as a table: its columns and its rows (a report is small: one batch). */
export interface ReportTable {
  columns: ExportColumn[];
  rows: Row[];
}

const count = (key: string): ExportColumn => ({ key, kind: 'integer' });
const text = (key: string): ExportColumn => ({ key, kind: 'text' });

/**
 * The reports as CSV: one header row of stable English keys (status codes are upper case,
 * so the lower-case fixed keys never collide with one), then one row per group; the
 * Italian dialect names them in Italian. Names come from users and admins: the writer
 * defuses a leading = + - @ for spreadsheets.
 */
export function outcomeCsv(report: OutcomeReport): ReportTable {
  return {
    columns: [
      text('key'),
      text('label'),
      ...report.statuses.map((s): ExportColumn => ({
        key: 'status',
        kind: 'integer',
        title: s.code,
      })),
      ...OUTCOME_TYPES.map((type) => count(`type${type}`)),
      count('total'),
    ],
    rows: report.rows.map((row) => {
      const byStatus = new Map(row.byStatus.map((s) => [s.statusId, s.count]));
      return [
        typeof row.key === 'number' ? String(row.key) : row.key,
        row.label,
        ...report.statuses.map((s) => byStatus.get(s.id) ?? 0),
        ...OUTCOME_TYPES.map((type) => row.byType[type]),
        row.total,
      ];
    }),
  };
}

export function operatorTimeCsv(report: OperatorTimeReport): ReportTable {
  return {
    columns: [
      count('operatorId'),
      text('operator'),
      text('team'),
      count('loggedInSeconds'),
      count('waitingSeconds'),
      count('onContactSeconds'),
      count('pausedSeconds'),
      // One column per pause reason: its code after a lower-case prefix.
      ...report.pauseReasons.map((r): ExportColumn => ({ ...count('paused'), suffix: r.code })),
    ],
    rows: report.rows.map((row) => {
      const byReason = new Map(row.pauses.map((p) => [p.pauseReasonId, p.seconds]));
      return [
        row.operatorId,
        row.name,
        row.team,
        row.loggedInSeconds,
        row.waitingSeconds,
        row.onContactSeconds,
        row.pausedSeconds,
        ...report.pauseReasons.map((r) => byReason.get(r.id) ?? 0),
      ];
    }),
  };
}

export function productionCsv(report: ProductionReport): ReportTable {
  return {
    columns: [
      count('operatorId'),
      text('operator'),
      text('team'),
      count('contracts'),
      count('appointments'),
      count('callbacks'),
      count('negatives'),
      count('outcomes'),
      { key: 'conversionRate', kind: 'decimal' },
    ],
    rows: report.rows.map((row) => [
      row.operatorId,
      row.name,
      row.team,
      row.contracts,
      row.appointments,
      row.callbacks,
      row.negatives,
      row.outcomes,
      row.conversionRate === null ? null : row.conversionRate.toFixed(4),
    ]),
  };
}

export function callbackCsv(report: CallbackReport): ReportTable {
  return {
    columns: [
      { key: 'day', kind: 'day' },
      count('campaignId'),
      text('campaignCode'),
      text('campaign'),
      count('offered'),
      count('accepted'),
      count('served'),
      count('servedInWindow'),
      count('notReached'),
      count('late'),
    ],
    rows: report.rows.map((row) => [
      row.day,
      row.campaignId,
      row.campaignCode,
      row.campaignName,
      row.offered,
      row.accepted,
      row.served,
      row.servedInWindow,
      row.notReached,
      row.late,
    ]),
  };
}

/** The report as JSON, or as a CSV download (in the dialect asked) named after it and its days. */
export async function sendReport<T extends { from: string; to: string }>(
  res: Response,
  format: ReportFormat,
  dialect: ExportDialect,
  name: string,
  report: T,
  toTable: (report: T) => ReportTable,
): Promise<void> {
  switch (format) {
    case 'json':
      res.json(report);
      return;
    case 'csv': {
      const { columns, rows } = toTable(report);
      // Days only, no moments: the zone is never read.
      const table = { name: `${name}_${report.from}_${report.to}`, zone: 'UTC', columns };
      await sendTable(res, { ...table, batches: [rows] }, { format: 'csv', dialect });
      return;
    }
  }
}
