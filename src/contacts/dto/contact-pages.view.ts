import { formatNumber } from '../../common/format/locale-format';
import type { ContactImport } from '../contact-import.entity';
import {
  ImportFailure,
  ImportSummary,
  storedErrorsOf,
  toImportSummary,
  toLineError,
} from './import-summary.view';

type SummaryCounts = Pick<
  ImportSummary,
  | 'processed'
  | 'imported'
  | 'updated'
  | 'skipped'
  | 'skippedDuplicates'
  | 'skippedDoNotCall'
  | 'errorCount'
>;

/** The counts of an import, written for the page. */
export function displayCounts(summary: SummaryCounts, lang: string): Record<string, string> {
  const keys: Array<keyof SummaryCounts> = [
    'processed',
    'imported',
    'updated',
    'skipped',
    'skippedDuplicates',
    'skippedDoNotCall',
    'errorCount',
  ];
  return Object.fromEntries(keys.map((key) => [key, formatNumber(summary[key], lang)]));
}

/** What the import summary page shows: counts, translated error lines and the failure. */
export interface ImportPageView {
  summary: ImportSummary;
  display: Record<string, string>;
  /** A file refused before any line was read has no counts worth showing. */
  showTotals: boolean;
  running: boolean;
  errorLines: Array<{
    line: number;
    message: string;
    problems: Array<{ rule: string; field: string; value?: string; max?: number; count?: number }>;
  }>;
  /** Error lines counted but not stored (beyond the first thousand). */
  moreErrors: number;
  failure: ImportFailure | null;
}

export function importPageView(record: ContactImport, lang: string): ImportPageView {
  const summary = toImportSummary(record);
  const { errors, failure } = storedErrorsOf(record);
  const moreErrors = Math.max(0, summary.errorCount - errors.length);
  return {
    summary,
    display: { ...displayCounts(summary, lang), moreErrors: formatNumber(moreErrors, lang) },
    showTotals: !(failure && summary.processed === 0),
    running: summary.state === 'running',
    errorLines: errors.map((error) => ({
      line: error.line,
      message: toLineError(error).message,
      problems: error.problems.map(({ rule, field, value, max, count }) => ({
        rule,
        field,
        value,
        max,
        count,
      })),
    })),
    moreErrors,
    failure,
  };
}
