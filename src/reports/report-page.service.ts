import { Injectable } from '@nestjs/common';
import { I18nService } from 'nestjs-i18n';
import { ValidationError } from '../common/errors/domain-errors';
import { filledIn, markSelected, queryString } from '../common/http/list-filters';
import { queryOneOf } from '../common/http/query-values';
import type { Language } from '../config/app.config';
import { OUTCOME_TYPES } from '../outcome-statuses/outcome-status.entity';
import {
  GROUP_BYS,
  MAX_RANGE_DAYS,
  readCallbackQuery,
  readOperatorTimeQuery,
  readOutcomeQuery,
  readProductionQuery,
  REPORT_VIEWS,
  type ReportView,
} from './dto/report-query';
import type { ReportPageQueryDto } from './dto/report-query.dto';
import type {
  OperatorTimeFigures,
  OperatorTimeReport,
  OutcomeCounts,
  OutcomeReport,
  OutcomeReportRow,
  ProductionReport,
} from './dto/report.view';
import {
  type CallbackFigures,
  type CallbackReport,
  CallbackReportService,
} from './callback-report.service';
import { OperatorTimeReportService } from './operator-time-report.service';
import { OutcomeReportService } from './outcome-report.service';
import { ProductionReportService } from './production-report.service';
import {
  formatDay,
  formatDuration,
  formatPercent,
  outcomeBars,
  productionBars,
  safeColor,
  timeBars,
} from './report-charts';
import { ReportDirectory } from './report-directory.service';

const FILTER_FIELDS = ['from', 'to', 'campaignId', 'operatorId', 'team', 'groupBy'] as const;
type FilterField = (typeof FILTER_FIELDS)[number];

/** The filters each tab applies; the others stay in its links and form for the other tabs. */
const USED: Record<ReportView, readonly FilterField[]> = {
  outcomes: FILTER_FIELDS,
  time: ['from', 'to', 'operatorId', 'team'],
  production: ['from', 'to', 'campaignId', 'operatorId', 'team'],
  callbacks: ['from', 'to', 'campaignId'],
};

/** Where each tab's CSV comes from: the API, with the page's session. */
const CSV_PATH: Record<ReportView, string> = {
  outcomes: '/api/v1/reports/outcomes',
  time: '/api/v1/reports/operator-time',
  production: '/api/v1/reports/production',
  callbacks: '/api/v1/reports/callback-requests',
};

export interface ReportPage {
  status: number;
  view: Record<string, unknown>;
}

/**
 * The reports page (`/reports`): the filter form, three tabs (outcomes, operator time,
 * production), each a chart of bars over its table, and the tab's CSV link with the same
 * filters. A refused filter comes back beside its field with a 400, the form kept.
 */
@Injectable()
export class ReportPageService {
  constructor(
    private readonly outcomes: OutcomeReportService,
    private readonly time: OperatorTimeReportService,
    private readonly production: ProductionReportService,
    private readonly callbacks: CallbackReportService,
    private readonly directory: ReportDirectory,
    private readonly i18n: I18nService,
  ) {}

  async page(asked: ReportPageQueryDto, lang: Language): Promise<ReportPage> {
    const query = filledIn({ ...asked });
    const text = (field: string) => (typeof query[field] === 'string' ? query[field].trim() : '');
    const filters = Object.fromEntries(FILTER_FIELDS.map((f) => [f, text(f)])) as Record<
      FilterField,
      string
    >;
    const filtered = FILTER_FIELDS.some((f) => filters[f] !== '');
    const options = await this.directory.filterOptions();
    const form = (tab: ReportView) => ({
      title: 'reports.title',
      tab,
      isOutcomes: tab === 'outcomes',
      isTime: tab === 'time',
      isProduction: tab === 'production',
      isCallbacks: tab === 'callbacks',
      filters,
      uses: Object.fromEntries(USED[tab].map((f) => [f, true])),
      // What this tab does not use, kept for the others.
      kept: FILTER_FIELDS.filter((f) => !USED[tab].includes(f) && filters[f] !== '').map(
        (name) => ({ name, value: filters[name] }),
      ),
      tabs: REPORT_VIEWS.map((key) => ({
        key,
        active: key === tab,
        href: `/reports?${queryString({ view: key, ...filters })}`,
      })),
      campaigns: markSelected(options.campaigns, filters.campaignId),
      operators: markSelected(options.operators, filters.operatorId),
      // A team no user has any more (from a saved link) stays selectable, as it is applied.
      teams: [...new Set([...options.teams, ...(filters.team ? [filters.team] : [])])].map(
        (name) => ({ name, selected: name === filters.team }),
      ),
      groupBys: GROUP_BYS.map((value) => ({
        value,
        selected: value === (filters.groupBy || 'operator'),
      })),
      filtered,
      clearHref: `/reports?view=${tab}`,
      maxDays: MAX_RANGE_DAYS,
    });

    let tab: ReportView = 'outcomes';
    try {
      if (text('view')) tab = queryOneOf(text('view'), 'view', REPORT_VIEWS);
      const used = Object.fromEntries(
        USED[tab].filter((f) => filters[f] !== '').map((f) => [f, filters[f]]),
      );
      const shown = await this.report(tab, used, lang);
      // The form shows the days the report covers (today when none were given).
      filters.from = shown.from;
      filters.to = shown.to;
      const csvQuery = queryString({ ...used, from: shown.from, to: shown.to, format: 'csv' });
      return {
        status: 200,
        view: {
          ...form(tab),
          ...shown.view,
          rangeText: this.rangeText(shown.from, shown.to, lang),
          csvHref: `${CSV_PATH[tab]}?${csvQuery}`,
          excelHref: `${CSV_PATH[tab]}?${csvQuery}&dialect=excel-it`,
        },
      };
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      // A wrong filter is said beside it, with the form still there to correct it.
      return {
        status: 400,
        view: {
          ...form(tab),
          filterError: {
            field: error.field,
            key: error.userMessage?.key ?? 'reports.errors.invalid',
            // A field of this tab's form has it said beside it; anything else above the form.
            beside: (USED[tab] as readonly string[]).includes(error.field),
          },
        },
      };
    }
  }

  private async report(
    tab: ReportView,
    used: Record<string, string>,
    lang: Language,
  ): Promise<{ from: string; to: string; view: Record<string, unknown> }> {
    switch (tab) {
      case 'outcomes': {
        const report = await this.outcomes.report(readOutcomeQuery(used), lang);
        return { from: report.from, to: report.to, view: this.outcomesView(report, lang) };
      }
      case 'time': {
        const report = await this.time.report(readOperatorTimeQuery(used), lang);
        return { from: report.from, to: report.to, view: this.timeView(report, lang) };
      }
      case 'production': {
        const report = await this.production.report(readProductionQuery(used));
        return { from: report.from, to: report.to, view: this.productionView(report, lang) };
      }
      case 'callbacks': {
        const report = await this.callbacks.report(readCallbackQuery(used));
        return { from: report.from, to: report.to, view: this.callbacksView(report, lang) };
      }
    }
  }

  private outcomesView(report: OutcomeReport, lang: Language) {
    const labelOf = (row: OutcomeReportRow) => {
      switch (report.groupBy) {
        case 'day':
          return formatDay(String(row.key), lang);
        case 'campaign':
        case 'status':
          return row.code ? `${row.code} · ${row.label}` : row.label;
        case 'operator':
        case 'hour':
          return row.label;
      }
    };
    const cells = (counts: OutcomeCounts) => {
      const byId = new Map(counts.byStatus.map((s) => [s.statusId, s.count]));
      return {
        statusCells: report.statuses.map((s) => byId.get(s.id) ?? 0),
        typeCells: OUTCOME_TYPES.map((type) => counts.byType[type]),
        total: counts.total,
      };
    };
    return {
      groupBy: report.groupBy,
      legend: report.statuses.map((s) => ({ ...s, color: safeColor(s.color) })),
      types: OUTCOME_TYPES,
      bars: outcomeBars(report, labelOf),
      rows: report.rows.map((row) => ({ label: labelOf(row), ...cells(row) })),
      totals: cells(report.totals),
      empty: report.totals.total === 0,
    };
  }

  private timeView(report: OperatorTimeReport, lang: Language) {
    const say = (key: string) => String(this.i18n.t(`reports.time.${key}`, { lang }));
    // A column per reason someone paused for in the range (the CSV keeps them all).
    const reasons = report.pauseReasons.filter((r) =>
      report.totals.pauses.some((p) => p.pauseReasonId === r.id),
    );
    const durations = (figures: OperatorTimeFigures) => {
      const byReason = new Map(figures.pauses.map((p) => [p.pauseReasonId, p.seconds]));
      return {
        loggedIn: formatDuration(figures.loggedInSeconds),
        waiting: formatDuration(figures.waitingSeconds),
        onContact: formatDuration(figures.onContactSeconds),
        paused: formatDuration(figures.pausedSeconds),
        pauses: reasons.map((r) => formatDuration(byReason.get(r.id) ?? 0)),
      };
    };
    return {
      timezone: report.timezone,
      pauseReasons: reasons,
      bars: timeBars(report, {
        onContact: say('onContact'),
        waiting: say('waiting'),
        paused: say('paused'),
      }),
      rows: report.rows.map((row) => ({ name: row.name, team: row.team, ...durations(row) })),
      totals: durations(report.totals),
      empty: report.rows.length === 0,
    };
  }

  private productionView(report: ProductionReport, lang: Language) {
    const say = (key: string) => String(this.i18n.t(`reports.production.${key}`, { lang }));
    return {
      bars: productionBars(report, {
        contracts: say('contracts'),
        appointments: say('appointments'),
        others: say('others'),
      }),
      rows: report.rows.map((row) => ({
        ...row,
        conversion: formatPercent(row.conversionRate, lang),
      })),
      totals: { ...report.totals, conversion: formatPercent(report.totals.conversionRate, lang) },
      empty: report.rows.length === 0,
    };
  }

  private callbacksView(report: CallbackReport, lang: Language) {
    const rate = (part: number, whole: number) =>
      formatPercent(whole ? Math.round((part / whole) * 10_000) / 10_000 : null, lang);
    const withRates = <T extends CallbackFigures>(row: T) => ({
      ...row,
      acceptRate: rate(row.accepted, row.offered),
      inWindowRate: rate(row.servedInWindow, row.served + row.notReached),
    });
    return {
      rows: report.rows.map((row) => ({ ...withRates(row), dayLabel: formatDay(row.day, lang) })),
      totals: withRates(report.totals),
      empty: report.rows.length === 0,
    };
  }

  private rangeText(from: string, to: string, lang: Language): string {
    return from === to
      ? formatDay(from, lang)
      : `${formatDay(from, lang)} – ${formatDay(to, lang)}`;
  }
}
