import {
  type BasicRule,
  basicProblemMessage,
  type FieldProblem,
  shown,
} from '../common/csv/field-problem';

/**
 * What a contact may hold, shared by the add-one form/API (through the DTO) and the CSV
 * import (checked row by row here, without class-validator, for speed). The limits match
 * the columns of the contacts table.
 */
export const CONTACT_LIMITS = {
  firstName: 100,
  lastName: 100,
  email: 254,
  city: 100,
  province: 8,
  address: 200,
  postalCode: 10,
  /** Extra columns of an imported list kept as custom fields. */
  customFields: 50,
  customFieldKey: 64,
  customFieldValue: 500,
} as const;

/** The columns a CSV header may name (the JSON field names), the first three required. */
export const STANDARD_COLUMNS = [
  'firstName',
  'lastName',
  'phone',
  'email',
  'language',
  'city',
  'province',
  'address',
  'postalCode',
  'callReason',
  'preferredChannel',
  'consent',
  'tags',
] as const;
export type StandardColumn = (typeof STANDARD_COLUMNS)[number];
export const REQUIRED_COLUMNS: readonly StandardColumn[] = ['firstName', 'lastName', 'phone'];

/**
 * A column named `phone:<label>` (`phone:casa`, `phone:ufficio`) holds another number of
 * the contact, kept with that label beside the main `phone`.
 */
export const OTHER_PHONE_PREFIX = 'phone:';
/** Numbers a contact holds beside its main one, and how long their labels may be. */
export const MAX_OTHER_PHONES = 4;
export const PHONE_LABEL_MAX = 30;

/** Deliberately simple: something@something.tld without spaces (the dialer does not mail). */
/** A postcode: 20121, 00184, SW1A 1AA. */
export const POSTAL_CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 -]{1,8}[A-Za-z0-9]$/;

/**
 * A postcode as a list writes it: an Italian CAP saved by Excel as a number loses its
 * leading zeros (00184 → 184), so 3 or 4 digits alone are given them back.
 */
export function postalCodeOf(value: string): string {
  if (value === '') return value;
  const code = value.trim().toUpperCase();
  return /^[0-9]{3,4}$/.test(code) ? code.padStart(5, '0') : code;
}

export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const LANGUAGE_PATTERN = /^[a-z]{2}$/;
/** A contact's call reason (e.g. "voicemail", "access-help"): it picks the follow-up e-mail. */
export const CALL_REASON_PATTERN = /^[a-z0-9][a-z0-9_-]{0,59}$/;
export const CALL_REASON_RULE =
  'must be lower-case letters, digits, - and _ (at most 60), e.g. "voicemail"';
/** A tag such as `vip` or `call_next:outage`: lower-case, at most 60 characters. */
export const TAG_PATTERN = /^[a-z0-9][a-z0-9_-]{0,29}(:[a-z0-9][a-z0-9_-]{0,29})?$/;
export const TAG_RULE =
  'must be lower-case letters, digits, - and _, optionally "prefix:value", e.g. "call_next:outage"';
export const MAX_TAGS = 10;
/** How a CSV says yes or no to consent (any letter case); empty: unknown. */
const CONSENT_WORDS: Record<string, boolean> = {
  true: true,
  yes: true,
  si: true,
  sì: true,
  '1': true,
  false: false,
  no: false,
  '0': false,
};

export function consentOf(value: string): boolean | undefined {
  return CONSENT_WORDS[value.toLowerCase()];
}

/** Tags as a CSV cell or the API give them: separated by spaces, commas or semicolons. */
export function splitTags(value: string): string[] {
  if (value === '') return [];
  return [
    ...new Set(
      value
        .split(/[\s,;|]+/)
        .map((tag) => tag.trim().toLowerCase())
        .filter((tag) => tag !== ''),
    ),
  ];
}

/**
 * A contact's tags once it is done: each `call_next:<reason>` becomes `done:<reason>`
 * (null when there was none to replace, so nothing is written).
 */
export function finishedTags(tags: string[]): string[] | null {
  if (!tags.some((tag) => tag.startsWith('call_next:'))) return null;
  const result: string[] = [];
  for (const tag of tags) {
    const next = tag.startsWith('call_next:') ? `done:${tag.slice('call_next:'.length)}` : tag;
    if (!result.includes(next)) result.push(next);
  }
  return result;
}

export const CUSTOM_FIELD_KEY_PATTERN = /^[^\s][^\r\n]*$/;

/** Why a contact's value was refused: the basic rules of any import and the contacts' own. */
export type RuleBreak = FieldProblem<
  | BasicRule
  | 'invalidEmail'
  | 'invalidPostalCode'
  | 'invalidLanguage'
  | 'invalidCallReason'
  | 'invalidChannel'
  | 'invalidConsent'
  | 'invalidTag'
  | 'tooManyTags'
>;

export function invalidEmail(value: string): RuleBreak {
  return { field: 'email', rule: 'invalidEmail', value: shown(value) };
}

export function invalidPostalCode(value: string): RuleBreak {
  return { field: 'postalCode', rule: 'invalidPostalCode', value: shown(value) };
}

export function invalidLanguage(value: string): RuleBreak {
  return { field: 'language', rule: 'invalidLanguage', value: shown(value) };
}

export function invalid(
  field: string,
  rule: 'invalidCallReason' | 'invalidChannel' | 'invalidConsent' | 'invalidTag',
  value: string,
): RuleBreak {
  return { field, rule, value: shown(value) };
}

export function tooManyTags(count: number): RuleBreak {
  return { field: 'tags', rule: 'tooManyTags', count, max: MAX_TAGS };
}

/** The English message of a broken rule (the API's words; pages translate the rule). */
export function ruleMessage(problem: RuleBreak): string {
  const value = `"${problem.value ?? ''}"`;
  switch (problem.rule) {
    case 'required':
    case 'tooLong':
    case 'invalidPhone':
    case 'extraValues':
      return basicProblemMessage({ ...problem, rule: problem.rule });
    case 'invalidEmail':
      return `email ${value} is not a valid e-mail address`;
    case 'invalidPostalCode':
      return `postalCode ${value} must be a postcode such as 20121`;
    case 'invalidLanguage':
      return `language ${value} must be a two-letter code such as "it"`;
    case 'invalidCallReason':
      return `callReason ${value} ${CALL_REASON_RULE}`;
    case 'invalidChannel':
      return `preferredChannel ${value} must be one of: chat, email (empty: phone)`;
    case 'invalidConsent':
      return `consent ${value} must be yes or no (true/false, 1/0; empty: unknown)`;
    case 'invalidTag':
      return `tags: ${value} ${TAG_RULE}`;
    case 'tooManyTags':
      return `tags: at most ${problem.max ?? 0} tags (found ${problem.count ?? 0})`;
  }
}
