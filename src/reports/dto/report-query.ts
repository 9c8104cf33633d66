import { ValidationError } from '../../common/errors/domain-errors';
import { queryId, queryOneOf, queryText } from '../../common/http/query-values';
import { addDays, daysBetween, isCalendarDay } from '../../common/time/calendar-day';

/** The longest range a report covers (a leap year, both ends included). */
export const MAX_RANGE_DAYS = 366;
const MAX_TEAM = 60;

export const GROUP_BYS = ['operator', 'campaign', 'status', 'day', 'hour'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

/** The tabs of the reports page. */
export const REPORT_VIEWS = ['outcomes', 'time', 'production', 'callbacks'] as const;
export type ReportView = (typeof REPORT_VIEWS)[number];

export const FORMATS = ['json', 'csv'] as const;
export type ReportFormat = (typeof FORMATS)[number];

/** The filters a report is asked for, as the query string gives them (the API's DTO or the page's). */
export type ReportFilterInput = Partial<
  Record<'from' | 'to' | 'campaignId' | 'operatorId' | 'team' | 'groupBy' | 'format', unknown>
>;

/** `from` / `to` as given: real calendar days, either may be missing. */
export interface RangeInput {
  from?: string;
  to?: string;
}

/** Both ends included, `from` ≤ `to`, local days ('YYYY-MM-DD'). */
export interface DayRange {
  from: string;
  to: string;
}

/** Whose work a report counts. */
export interface OperatorScope {
  operatorId?: number;
  /** The operators whose team this is now (a team is a free text on the user). */
  team?: string;
}

export interface OutcomeQuery extends OperatorScope {
  range: RangeInput;
  groupBy: GroupBy;
  campaignId?: number;
}

export type OperatorTimeQuery = OperatorScope & { range: RangeInput };

export interface ProductionQuery extends OperatorScope {
  range: RangeInput;
  campaignId?: number;
}

/** `?from&to&groupBy&campaignId&operatorId&team` of the outcomes report. */
export function readOutcomeQuery(raw: ReportFilterInput): OutcomeQuery {
  const groupBy = queryText(raw, 'groupBy');
  return {
    ...readProductionQuery(raw),
    groupBy: groupBy === undefined ? 'operator' : queryOneOf(groupBy, 'groupBy', GROUP_BYS),
  };
}

/** `?from&to&operatorId&team`: states are not kept per campaign, so no campaign filter. */
export function readOperatorTimeQuery(raw: ReportFilterInput): OperatorTimeQuery {
  if (raw.campaignId !== undefined) {
    throw new ValidationError(
      'campaignId',
      'campaignId: operator time is not kept per campaign; leave it out',
    ).say('reports.errors.noCampaign');
  }
  return { range: readRange(raw), ...readScope(raw) };
}

/** `?from&to&campaignId&operatorId&team`. */
export function readProductionQuery(raw: ReportFilterInput): ProductionQuery {
  const query: ProductionQuery = { range: readRange(raw), ...readScope(raw) };
  const campaignId = queryText(raw, 'campaignId');
  if (campaignId !== undefined) query.campaignId = queryId(campaignId, 'campaignId');
  return query;
}

/** `?from&to&campaignId`: callback offers are kept per campaign, not per operator. */
export function readCallbackQuery(raw: ReportFilterInput): {
  range: RangeInput;
  campaignId?: number;
} {
  for (const field of ['operatorId', 'team'] as const) {
    if (raw[field] !== undefined && raw[field] !== '') {
      throw new ValidationError(
        field,
        `${field}: callback offers are not kept per operator; leave it out`,
      ).say('reports.errors.noOperator');
    }
  }
  const campaignId = queryText(raw, 'campaignId');
  return {
    range: readRange(raw),
    ...(campaignId !== undefined ? { campaignId: queryId(campaignId, 'campaignId') } : {}),
  };
}

/** `?format=json|csv` (json when left out). */
export function readFormat(raw: ReportFilterInput): ReportFormat {
  const format = queryText(raw, 'format');
  return format === undefined ? 'json' : queryOneOf(format, 'format', FORMATS);
}

export function readRange(raw: ReportFilterInput): RangeInput {
  const range: RangeInput = {};
  for (const field of ['from', 'to'] as const) {
    const value = queryText(raw, field);
    if (value === undefined) continue;
    if (!isCalendarDay(value)) {
      throw new ValidationError(field, `${field} must be a date such as 2026-11-30`).say(
        'reports.errors.date',
      );
    }
    range[field] = value;
  }
  return range;
}

/**
 * The range a report covers: today when nothing is given, one day when only `to` is, and
 * from `from` to today (or `from` alone, if it is later) when only `from` is.
 */
export function resolveRange(input: RangeInput, today: string): DayRange {
  const to = input.to ?? (input.from !== undefined && input.from > today ? input.from : today);
  const from = input.from ?? to;
  if (to < from) {
    throw new ValidationError('to', 'to must not be before from').say(
      'reports.errors.toBeforeFrom',
    );
  }
  if (daysBetween(from, to) + 1 > MAX_RANGE_DAYS) {
    throw new ValidationError(
      'to',
      `to: a report covers at most ${MAX_RANGE_DAYS} days (from ${from})`,
    ).say('reports.errors.rangeTooLong', { max: MAX_RANGE_DAYS });
  }
  return { from, to };
}

/** Every day of the range, in order. */
export function daysOf(range: DayRange): string[] {
  const days: string[] = [];
  for (let day = range.from; day <= range.to; day = addDays(day, 1)) days.push(day);
  return days;
}

function readScope(raw: ReportFilterInput): OperatorScope {
  const scope: OperatorScope = {};
  const operatorId = queryText(raw, 'operatorId');
  if (operatorId !== undefined) scope.operatorId = queryId(operatorId, 'operatorId');
  const team = queryText(raw, 'team')?.trim();
  if (team) {
    if (team.length > MAX_TEAM) {
      throw new ValidationError('team', `team must be at most ${MAX_TEAM} characters`);
    }
    scope.team = team;
  }
  return scope;
}
