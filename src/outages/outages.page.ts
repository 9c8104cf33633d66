import { ValidationError } from '../common/errors/domain-errors';
import type { OutageFormDto } from './dto/outage-form.dto';
import type { OutageInputDto } from './dto/outage-input.dto';
import { OUTAGE_CALLING_HOURS, OUTAGE_LANGUAGES } from './outage-defaults';
import type { OutageImport } from './outages.service';

/** The outage pages: the one-form outage into the API's input, and the pages' view models. */

/** Error lines the page shows (the API gives them all). */
const PAGE_ERROR_LINES = 20;

export type OutageImportSummary = Pick<
  OutageImport,
  'source' | 'imported' | 'skippedDuplicates' | 'skippedDoNotCall' | 'errorCount' | 'errors'
>;

declare module 'express-session' {
  interface SessionData {
    /** The list just imported into an outage, shown once on its page. */
    outageImport: OutageImportSummary;
  }
}

/** The form into the API's input; the texts the message is made of must say something. */
export function outageInput(form: OutageFormDto): OutageInputDto {
  const input: OutageInputDto = {
    name: form.name,
    whatHappened: form.whatHappened,
    expectedRestore: form.expectedRestore,
    whatToDo: form.whatToDo,
    language: form.language,
    numbers: form.numbers,
    csv: form.csv,
    callingHours: {
      days: [...OUTAGE_CALLING_HOURS.days],
      start: form.callingStart || OUTAGE_CALLING_HOURS.start,
      end: form.callingEnd || OUTAGE_CALLING_HOURS.end,
    },
    eligibility: {
      respectPreferredChannel: form.respectPreferredChannel === true,
      requireConsent: form.requireConsent === true,
    },
  };
  for (const field of ['name', 'whatHappened', 'expectedRestore', 'whatToDo'] as const) {
    if (input[field].trim() === '') {
      throw new ValidationError(field, `${field} must not be empty`).say(`outages.errors.${field}`);
    }
  }
  return input;
}

/** What the outage's page shows once of the list just imported. */
export function importSummary(summary: OutageImport): OutageImportSummary {
  return {
    source: summary.source,
    imported: summary.imported,
    skippedDuplicates: summary.skippedDuplicates,
    skippedDoNotCall: summary.skippedDoNotCall,
    errorCount: summary.errorCount,
    errors: summary.errors.slice(0, PAGE_ERROR_LINES),
  };
}

export function newOutagePage() {
  return {
    title: 'outages.new.title',
    languages: OUTAGE_LANGUAGES,
    defaults: { start: OUTAGE_CALLING_HOURS.start, end: OUTAGE_CALLING_HOURS.end },
  };
}
