import type { ErrorResponse } from '../common/errors/error-response';
import type { Say } from '../common/http/form-page';
import { ELIGIBILITY_RULES } from './eligibility-refusal.entity';
import type { EligibilityFormValues } from './eligibility-form';
import type { EligibilityEditor } from './eligibility.service';

/** The page's own wording of a refused field (the rules' English messages are the API's). */
const FIELD_KEYS: Record<string, string> = {
  requireConsent: 'eligibility.page.errors.checkbox',
  matchLanguage: 'eligibility.page.errors.checkbox',
  respectPreferredChannel: 'eligibility.page.errors.checkbox',
  allowedReasons: 'eligibility.page.errors.allowedReasons',
  maxConcurrent: 'eligibility.page.errors.maxConcurrent',
};

/** The refusal's fields in the user's language; one that names none, for the whole form. */
export function refusedRules(refusal: ErrorResponse, say: Say): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [field, english] of Object.entries(refusal.fields ?? {})) {
    const key = FIELD_KEYS[field];
    errors[field] = (key ? say(key) : undefined) ?? english;
  }
  if (Object.keys(errors).length === 0) {
    const messages = Array.isArray(refusal.message) ? refusal.message : [refusal.message];
    errors.form = messages.join(' ');
  }
  return errors;
}

/** A campaign's proactive-call rules, with what each refused so far. */
export function eligibilityPage(
  editor: EligibilityEditor,
  canEdit: boolean,
  values: EligibilityFormValues,
  errors: Record<string, string> = {},
) {
  return {
    title: 'eligibility.page.title',
    campaign: editor.campaign,
    canEdit,
    action: `/campaigns/${editor.campaign.id}/eligibility`,
    values,
    form: { errors, values: {} },
    refusals: ELIGIBILITY_RULES.map((rule) => ({ rule, count: editor.refusals[rule] })),
  };
}
