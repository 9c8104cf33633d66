import { formatDay, formatPercent } from '../common/format/locale-format';
import { COLOR_PATTERN, readableTextColor } from '../outcome-statuses/tile-color';
import type {
  OperatorTimeReport,
  OutcomeReport,
  OutcomeReportRow,
  ProductionReport,
  ReportStatus,
} from './dto/report.view';

/**
 * What the report page draws: one horizontal bar per row, its length the row's share of the
 * longest, split into coloured segments. A segment says its code inside when there is room;
 * beside the bar every segment is written out (code and figure), so nothing is told by
 * colour alone.
 */

/** Below this share of the track a segment is too narrow for its text (it stays beside). */
const LABEL_MIN_PERCENT = 7;
const FALLBACK_COLOR = '#888888';

export interface BarSegment {
  /** What the segment is, as text: a status code, or an i18n key for a state. */
  code: string;
  /** Its figure as shown (a count or a duration). */
  value: string;
  /** Share of the bar, percent. */
  percent: number;
  /** A status colour (inline), or a class for a fixed one. */
  color?: string;
  textColor?: string;
  className?: string;
  title: string;
  labelled: boolean;
}

export interface Bar {
  label: string;
  /** Share of the longest bar, percent. */
  percent: number;
  value: string;
  segments: BarSegment[];
}

export function percentOf(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 10_000) / 100 : 0;
}

/** "2:05:30": hours (as many as there are), minutes and seconds. */
export function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

/** Percentages and calendar days as every page writes them. */
export { formatDay, formatPercent };

/** A status colour fit for a style attribute (they are validated on the way in; still). */
export function safeColor(color: string): string {
  const upper = color.toUpperCase();
  return COLOR_PATTERN.test(upper) ? upper : FALLBACK_COLOR;
}

function segment(
  parts: Omit<BarSegment, 'labelled' | 'percent'>,
  count: number,
  total: number,
  barPercent: number,
): BarSegment {
  const percent = percentOf(count, total);
  return { ...parts, percent, labelled: (percent * barPercent) / 100 >= LABEL_MIN_PERCENT };
}

/** Outcomes: a segment per status, in the status's colour, with its code. */
export function outcomeBars(
  report: OutcomeReport,
  labelOf: (row: OutcomeReportRow) => string,
): Bar[] {
  const statuses = new Map<number, ReportStatus>(report.statuses.map((s) => [s.id, s]));
  const longest = Math.max(0, ...report.rows.map((r) => r.total));
  return report.rows.map((row) => {
    const barPercent = percentOf(row.total, longest);
    return {
      label: labelOf(row),
      percent: barPercent,
      value: String(row.total),
      segments: row.byStatus.map((count) => {
        const status = statuses.get(count.statusId);
        const color = safeColor(status?.color ?? FALLBACK_COLOR);
        return segment(
          {
            code: count.code,
            value: String(count.count),
            color,
            textColor: readableTextColor(color),
            title: `${count.code} · ${status?.label ?? ''}: ${count.count}`,
          },
          count.count,
          row.total,
          barPercent,
        );
      }),
    };
  });
}

/** Operator time: on contact, waiting, paused, each in its fixed colour; length = logged in. */
export function timeBars(
  report: OperatorTimeReport,
  words: { onContact: string; waiting: string; paused: string },
): Bar[] {
  const longest = Math.max(0, ...report.rows.map((r) => r.loggedInSeconds));
  return report.rows.map((row) => {
    const barPercent = percentOf(row.loggedInSeconds, longest);
    const parts = [
      { code: words.onContact, seconds: row.onContactSeconds, className: 'rp-seg-contact' },
      { code: words.waiting, seconds: row.waitingSeconds, className: 'rp-seg-waiting' },
      { code: words.paused, seconds: row.pausedSeconds, className: 'rp-seg-paused' },
    ];
    // Waiting is ready minus contacts: the parts may add up to a little less than logged in.
    const whole = parts.reduce((sum, p) => sum + p.seconds, 0);
    return {
      label: row.name,
      percent: barPercent,
      value: formatDuration(row.loggedInSeconds),
      segments: parts
        .filter((p) => p.seconds > 0)
        .map((p) =>
          segment(
            {
              code: p.code,
              value: formatDuration(p.seconds),
              className: p.className,
              title: `${p.code}: ${formatDuration(p.seconds)}`,
            },
            p.seconds,
            whole,
            barPercent,
          ),
        ),
    };
  });
}

/** Production: contracts (C), appointments (T) and the other outcomes; length = outcomes. */
export function productionBars(
  report: ProductionReport,
  words: { contracts: string; appointments: string; others: string },
): Bar[] {
  const longest = Math.max(0, ...report.rows.map((r) => r.outcomes));
  return report.rows.map((row) => {
    const barPercent = percentOf(row.outcomes, longest);
    const parts = [
      { code: words.contracts, count: row.contracts, className: 'rp-seg-C' },
      { code: words.appointments, count: row.appointments, className: 'rp-seg-T' },
      { code: words.others, count: row.callbacks + row.negatives, className: 'rp-seg-other' },
    ];
    return {
      label: row.name,
      percent: barPercent,
      value: String(row.outcomes),
      segments: parts
        .filter((p) => p.count > 0)
        .map((p) =>
          segment(
            {
              code: p.code,
              value: String(p.count),
              className: p.className,
              title: `${p.code}: ${p.count}`,
            },
            p.count,
            row.outcomes,
            barPercent,
          ),
        ),
    };
  });
}
