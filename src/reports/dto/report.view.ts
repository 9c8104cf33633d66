import type { OutcomeType } from '../../outcome-statuses/outcome-status.entity';
import type { DayRange, GroupBy } from './report-query';

export type TypeCounts = Record<OutcomeType, number>;

export const zeroTypeCounts = (): TypeCounts => ({ R: 0, N: 0, C: 0, T: 0 });

/** The filters a report was asked with, echoed back. */
export interface ReportFilters {
  campaignId?: number;
  operatorId?: number;
  team?: string;
}

/** An outcome status as the legend shows it; `label` in the caller's language. */
export interface ReportStatus {
  id: number;
  code: string;
  label: string;
  type: OutcomeType;
  color: string;
}

export interface StatusCount {
  statusId: number;
  code: string;
  count: number;
}

export interface OutcomeCounts {
  total: number;
  byType: TypeCounts;
  /** Non-zero counts only, in the legend's order. */
  byStatus: StatusCount[];
}

/**
 * One group: an operator (key: user id), a campaign (id), a status (id), a day ('YYYY-MM-DD',
 * the campaign's local date) or an hour (0-23, the campaign's local hour).
 */
export interface OutcomeReportRow extends OutcomeCounts {
  key: number | string;
  label: string;
  /** A campaign's or a status's code. */
  code?: string;
}

export interface OutcomeReport extends DayRange {
  groupBy: GroupBy;
  filters: ReportFilters;
  /** The statuses counted, by type (R, N, C, T) then code: the charts' legend. */
  statuses: ReportStatus[];
  rows: OutcomeReportRow[];
  totals: OutcomeCounts;
}

export interface PauseTime {
  pauseReasonId: number;
  code: string;
  label: string;
  seconds: number;
}

export interface OperatorTimeFigures {
  /** Ready plus paused. */
  loggedInSeconds: number;
  /** Ready, which includes the time on contacts. */
  readySeconds: number;
  /** Ready and not on a contact. */
  waitingSeconds: number;
  onContactSeconds: number;
  pausedSeconds: number;
  /** Per reason, in the reasons' order; reasons with no time left out. */
  pauses: PauseTime[];
}

export interface OperatorTimeRow extends OperatorTimeFigures {
  operatorId: number;
  name: string;
  team: string | null;
}

export interface OperatorTimeReport extends DayRange {
  /** The call centre's zone: the days are its days. */
  timezone: string;
  filters: ReportFilters;
  pauseReasons: Array<{ id: number; code: string; label: string }>;
  rows: OperatorTimeRow[];
  totals: OperatorTimeFigures;
}

export interface ProductionFigures {
  outcomes: number;
  /** Type C outcomes: online closes. */
  contracts: number;
  /** Type T outcomes. */
  appointments: number;
  /** Type R outcomes. */
  callbacks: number;
  /** Type N outcomes. */
  negatives: number;
  /** (contracts + appointments) / outcomes, 4 decimals; null without outcomes. */
  conversionRate: number | null;
}

export interface ProductionRow extends ProductionFigures {
  operatorId: number;
  name: string;
  team: string | null;
}

export interface ProductionReport extends DayRange {
  filters: ReportFilters;
  rows: ProductionRow[];
  totals: ProductionFigures;
}
