import type { ContactImport, ImportState } from '../contact-import.entity';
import { type RuleBreak, ruleMessage } from '../contact-rules';

/** A line of the file that was not imported, and why (the message names the field). */
export interface ImportLineError {
  line: number;
  field: string;
  message: string;
}

/**
 * What is stored per error line: the rules it broke. Pages translate them and the API's
 * message is rebuilt from them, so the stored JSON stays small (the column holds 64 KB).
 */
export interface StoredLineError {
  line: number;
  problems: RuleBreak[];
}

export function toLineError(stored: StoredLineError): ImportLineError {
  return {
    line: stored.line,
    field: stored.problems[0]?.field ?? 'row',
    message: stored.problems.map(ruleMessage).join('; '),
  };
}

/** Why the whole file was refused or stopped part-way. */
export interface ImportFailure {
  /** A CsvFailureCode, a header problem, or `internal` for a server error. */
  code: string;
  field: string;
  line: number;
  message: string;
  args: Record<string, string | number>;
  /** The last line whose outcome is counted in the summary (1 = nothing after the header). */
  through: number;
}

/** The failure is kept as the last entry of the stored errors, marked as such. */
export type StoredImportEntry = StoredLineError | (ImportFailure & { failure: true });

/**
 * An import as the API and the page see it: every data line read is either imported,
 * updated or skipped (`skipped` = duplicates + do-not-call numbers + lines with errors).
 */
export interface ImportSummary {
  importId: number;
  key: string;
  campaignId: number;
  fileName: string | null;
  state: ImportState;
  processed: number;
  imported: number;
  /** Contacts already in the campaign (same phone) updated from the file (onDuplicate=update). */
  updated: number;
  skipped: number;
  skippedDuplicates: number;
  skippedDoNotCall: number;
  errorCount: number;
  /** The first error lines (up to 1000; `errorCount` counts them all). */
  errors: ImportLineError[];
  failure: Omit<ImportFailure, 'args'> | null;
  startedAt: string;
  finishedAt: string | null;
}

function isFailure(entry: StoredImportEntry): entry is ImportFailure & { failure: true } {
  return 'failure' in entry && entry.failure === true;
}

/** The stored errors of an import, with the rules broken (for pages that translate them). */
export function storedErrorsOf(record: ContactImport): {
  errors: StoredLineError[];
  failure: ImportFailure | null;
} {
  const entries = record.errors ?? [];
  const failure = entries.find(isFailure) ?? null;
  return {
    errors: entries.filter((entry): entry is StoredLineError => !isFailure(entry)),
    failure: failure
      ? {
          code: failure.code,
          field: failure.field,
          line: failure.line,
          message: failure.message,
          args: failure.args ?? {},
          through: failure.through,
        }
      : null,
  };
}

export function toImportSummary(record: ContactImport): ImportSummary {
  const { errors, failure } = storedErrorsOf(record);
  return {
    importId: record.id,
    key: record.importKey,
    campaignId: record.campaignId,
    fileName: record.fileName,
    state: record.state,
    processed: record.processed,
    imported: record.imported,
    updated: record.updated,
    skipped: record.skipped,
    skippedDuplicates: record.skippedDuplicates,
    skippedDoNotCall: record.skippedDoNotCall,
    errorCount: record.errorCount,
    errors: errors.map(toLineError),
    failure: failure
      ? {
          code: failure.code,
          field: failure.field,
          line: failure.line,
          message: failure.message,
          through: failure.through,
        }
      : null,
    startedAt: record.startedAt.toISOString(),
    finishedAt: record.finishedAt?.toISOString() ?? null,
  };
}
