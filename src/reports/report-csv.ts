import { Readable } from 'node:stream';
import type { Response } from 'express';
import { sendCsv } from '../common/http/csv-download';
import { safeCell } from '../contacts/contacts.service';
import { OUTCOME_TYPES } from '../outcome-statuses/outcome-status.entity';
import type { CallbackReport } from './callback-report.service';
import type { ReportFormat } from './dto/report-query';
import type { OperatorTimeReport, OutcomeReport, ProductionReport } from './dto/report.view';

type Cell = string | number;

/**
 * The reports as CSV: one header row of stable English keys (status codes are upper case,
 * so the lower-case fixed keys never collide with one), then one row per group. Names come
 * from users and admins: a leading = + - @ is defused for spreadsheets.
 */
export function outcomeCsv(report: OutcomeReport): Cell[][] {
  const header = [
    'key',
    'label',
    ...report.statuses.map((s) => safeCell(s.code)),
    ...OUTCOME_TYPES.map((type) => `type${type}`),
    'total',
  ];
  return [
    header,
    ...report.rows.map((row) => {
      const byStatus = new Map(row.byStatus.map((s) => [s.statusId, s.count]));
      return [
        typeof row.key === 'number' ? row.key : safeCell(row.key),
        safeCell(row.label),
        ...report.statuses.map((s) => byStatus.get(s.id) ?? 0),
        ...OUTCOME_TYPES.map((type) => row.byType[type]),
        row.total,
      ];
    }),
  ];
}

export function operatorTimeCsv(report: OperatorTimeReport): Cell[][] {
  return [
    [
      'operatorId',
      'operator',
      'team',
      'loggedInSeconds',
      'waitingSeconds',
      'onContactSeconds',
      'pausedSeconds',
      // One column per pause reason: its code after a lower-case prefix.
      ...report.pauseReasons.map((r) => `paused:${r.code}`),
    ],
    ...report.rows.map((row) => {
      const byReason = new Map(row.pauses.map((p) => [p.pauseReasonId, p.seconds]));
      return [
        row.operatorId,
        safeCell(row.name),
        safeCell(row.team ?? ''),
        row.loggedInSeconds,
        row.waitingSeconds,
        row.onContactSeconds,
        row.pausedSeconds,
        ...report.pauseReasons.map((r) => byReason.get(r.id) ?? 0),
      ];
    }),
  ];
}

export function productionCsv(report: ProductionReport): Cell[][] {
  return [
    [
      'operatorId',
      'operator',
      'team',
      'contracts',
      'appointments',
      'callbacks',
      'negatives',
      'outcomes',
      'conversionRate',
    ],
    ...report.rows.map((row) => [
      row.operatorId,
      safeCell(row.name),
      safeCell(row.team ?? ''),
      row.contracts,
      row.appointments,
      row.callbacks,
      row.negatives,
      row.outcomes,
      row.conversionRate === null ? '' : row.conversionRate.toFixed(4),
    ]),
  ];
}

export function callbackCsv(report: CallbackReport): Cell[][] {
  return [
    [
      'day',
      'campaignId',
      'campaignCode',
      'campaign',
      'offered',
      'accepted',
      'served',
      'servedInWindow',
      'notReached',
      'late',
    ],
    ...report.rows.map((row) => [
      row.day,
      row.campaignId,
      safeCell(row.campaignCode),
      safeCell(row.campaignName),
      row.offered,
      row.accepted,
      row.served,
      row.servedInWindow,
      row.notReached,
      row.late,
    ]),
  ];
}

/** The report as JSON, or as a CSV download named after it and its days. */
export async function sendReport<T extends { from: string; to: string }>(
  res: Response,
  format: ReportFormat,
  name: string,
  report: T,
  toCsv: (report: T) => Cell[][],
): Promise<void> {
  switch (format) {
    case 'json':
      res.json(report);
      return;
    case 'csv':
      await sendCsv(res, `${name}_${report.from}_${report.to}.csv`, Readable.from(toCsv(report)));
      return;
  }
}
