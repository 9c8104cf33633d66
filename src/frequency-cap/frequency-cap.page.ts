import type { ErrorResponse } from '../common/errors/error-response';
import type { Say } from '../common/http/form-page';
import type { FrequencyCapFormValues } from './frequency-cap-form';
import { MAX_CALLS_PER_DAY, MAX_GAP_MINUTES } from './frequency-cap.settings';

export const FREQUENCY_CAP_PAGE = '/settings/frequency-cap';

/** The page's own wording of a refused field, with the range (the API's words are English). */
const FIELD_WORDS: Record<string, [string, Record<string, number>?]> = {
  maxCallsPerDay: ['frequencyCap.errors.maxCallsPerDay', { max: MAX_CALLS_PER_DAY }],
  minMinutesBetweenCampaigns: [
    'frequencyCap.errors.minMinutesBetweenCampaigns',
    { max: MAX_GAP_MINUTES },
  ],
  applyToService: ['frequencyCap.errors.applyToService'],
};

/** The refusal's fields in the user's language; one that names none, for the whole form. */
export function refusedCap(refusal: ErrorResponse, say: Say): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [field, english] of Object.entries(refusal.fields ?? {})) {
    const words = FIELD_WORDS[field];
    errors[field] = (words ? say(words[0], words[1]) : undefined) ?? english;
  }
  if (Object.keys(errors).length === 0) {
    const messages = Array.isArray(refusal.message) ? refusal.message : [refusal.message];
    errors.form = messages.join(' ');
  }
  return errors;
}

/** The frequency cap's settings page: the form (read only unless `canEdit`). */
export function frequencyCapPage(
  values: FrequencyCapFormValues,
  canEdit: boolean,
  errors: Record<string, string> = {},
) {
  return {
    title: 'frequencyCap.title',
    action: FREQUENCY_CAP_PAGE,
    canEdit,
    values,
    limits: { maxCallsPerDay: MAX_CALLS_PER_DAY, minMinutesBetweenCampaigns: MAX_GAP_MINUTES },
    form: { errors, values: {} },
  };
}
