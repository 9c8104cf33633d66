import type { EligibilityRules } from '../campaigns/campaign.entity';

/**
 * The eligibility page's form, both ways: the urlencoded body (checkboxes, the call
 * reasons as text, the limit as text) into EligibilityRulesDto's shape, and the stored
 * rules or a refused submission back into what the page shows.
 */

type Body = Record<string, unknown>;

export interface EligibilityFormValues {
  requireConsent: boolean;
  matchLanguage: boolean;
  /** The allowed call reasons as typed: one a line (commas and spaces separate too). */
  allowedReasons: string;
  maxConcurrent: string;
  respectPreferredChannel: boolean;
}

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
const ticked = (value: unknown): boolean => ['on', 'true', '1'].includes(text(value));

export function formValuesFromBody(body: Body): EligibilityFormValues {
  return {
    requireConsent: ticked(body.requireConsent),
    matchLanguage: ticked(body.matchLanguage),
    allowedReasons: typeof body.allowedReasons === 'string' ? body.allowedReasons.trim() : '',
    maxConcurrent: text(body.maxConcurrent),
    respectPreferredChannel: ticked(body.respectPreferredChannel),
  };
}

export function formValuesFromRules(rules: EligibilityRules | null): EligibilityFormValues {
  return {
    requireConsent: rules?.requireConsent ?? false,
    matchLanguage: rules?.matchLanguage ?? false,
    allowedReasons: (rules?.allowedReasons ?? []).join('\n'),
    maxConcurrent: rules?.maxConcurrent == null ? '' : String(rules.maxConcurrent),
    respectPreferredChannel: rules?.respectPreferredChannel ?? false,
  };
}

/**
 * The form in the shape of EligibilityRulesDto, checked by the API's own rules. No reasons
 * typed means any reason (null), an empty limit none; a limit that is not a whole number
 * goes on as typed, for the validation to name it.
 */
export function rulesInputFromForm(values: EligibilityFormValues): Body {
  const reasons = values.allowedReasons.split(/[\s,;]+/).filter(Boolean);
  const limit = values.maxConcurrent;
  return {
    requireConsent: values.requireConsent,
    matchLanguage: values.matchLanguage,
    allowedReasons: reasons.length > 0 ? reasons : null,
    maxConcurrent: limit === '' ? null : /^-?[0-9]{1,9}$/.test(limit) ? Number(limit) : limit,
    respectPreferredChannel: values.respectPreferredChannel,
  };
}
