import { electronicFormatIBAN, isValidIBAN } from 'ibantools';

/**
 * What a question step's answer can become on the contract (../shared/DESIGN.md, "question
 * step"), and the one check of each: the outcome refuses what it refuses, and the
 * workstation, which bundles this same file, says so as the operator types. No Node here.
 */
export const CONTRACT_FIELDS = [
  'fiscalCode',
  'vatNumber',
  'iban',
  'supplyAddress',
  'pod',
  'pdr',
  'documentNumber',
] as const;
export type StandardContractField = (typeof CONTRACT_FIELDS)[number];
/** A standard field, or `custom:<name>` (lower case letters, digits and _, up to 32). */
export type ContractFieldName = StandardContractField | `custom:${string}`;

const CUSTOM_FIELD = /^custom:[a-z][a-z0-9_]{0,31}$/;

/** How long each stored value may be (the contracts table's columns). */
export const CONTRACT_FIELD_MAX: Readonly<Record<StandardContractField, number>> = {
  fiscalCode: 16,
  vatNumber: 11,
  iban: 34,
  supplyAddress: 300,
  pod: 14,
  pdr: 14,
  documentNumber: 30,
};
export const CUSTOM_FIELD_MAX = 200;

export function isContractFieldName(value: string): value is ContractFieldName {
  return (CONTRACT_FIELDS as readonly string[]).includes(value) || CUSTOM_FIELD.test(value);
}

/** `custom:color` → `color`; null for a standard field. */
export function customFieldName(field: ContractFieldName): string | null {
  return field.startsWith('custom:') ? field.slice('custom:'.length) : null;
}

/** Why a value is refused; each has its words in work.fieldErrors.<problem>. */
export type ContractFieldProblem =
  'fiscalCode' | 'vatNumber' | 'iban' | 'pod' | 'pdr' | 'documentNumber' | 'tooLong';

export type ContractFieldCheck =
  { ok: true; value: string } | { ok: false; problem: ContractFieldProblem; message: string };

/** The value as stored: codes in upper case without spaces, texts trimmed to single spaces. */
export function normaliseContractField(field: ContractFieldName, raw: string): string {
  switch (field) {
    case 'supplyAddress':
      return raw.trim().replace(/\s+/g, ' ');
    case 'iban':
      return electronicFormatIBAN(raw) ?? '';
    case 'vatNumber':
      // "IT 01234567897" is how invoices print it; the number is the 11 digits.
      return raw
        .replace(/[\s.-]/g, '')
        .toUpperCase()
        .replace(/^IT(?=\d{11}$)/, '');
    case 'fiscalCode':
    case 'pod':
    case 'pdr':
    case 'documentNumber':
      return raw.replace(/\s+/g, '').toUpperCase();
    default:
      return raw.trim();
  }
}

/** The normalised value, or why it is not one (an empty answer is for the caller to judge). */
export function checkContractField(field: ContractFieldName, raw: string): ContractFieldCheck {
  const value = normaliseContractField(field, raw);
  const refuse = (problem: ContractFieldProblem, message: string): ContractFieldCheck => ({
    ok: false,
    problem,
    message,
  });
  switch (field) {
    case 'fiscalCode':
      return isFiscalCode(value)
        ? { ok: true, value }
        : refuse(
            'fiscalCode',
            'is not a valid fiscal code (16 characters with its check letter, or a company’s 11 digits)',
          );
    case 'vatNumber':
      return isVatNumber(value)
        ? { ok: true, value }
        : refuse('vatNumber', 'is not a valid VAT number (11 digits with their check digit)');
    case 'iban':
      return isValidIBAN(value)
        ? { ok: true, value }
        : refuse('iban', 'is not a valid IBAN (country, check digits and account)');
    case 'pod':
      return /^IT\d{3}E\d{8}$/.test(value)
        ? { ok: true, value }
        : refuse('pod', 'is not a POD (IT, 3 digits, E and 8 more: 14 characters)');
    case 'pdr':
      return /^\d{14}$/.test(value)
        ? { ok: true, value }
        : refuse('pdr', 'is not a PDR (14 digits)');
    case 'documentNumber':
      return /^[A-Z0-9/-]{4,30}$/.test(value)
        ? { ok: true, value }
        : refuse('documentNumber', 'is not a document number (4-30 letters and digits)');
    case 'supplyAddress':
      return value.length <= CONTRACT_FIELD_MAX.supplyAddress
        ? { ok: true, value }
        : refuse('tooLong', `must be at most ${CONTRACT_FIELD_MAX.supplyAddress} characters`);
    default:
      return value.length <= CUSTOM_FIELD_MAX
        ? { ok: true, value }
        : refuse('tooLong', `must be at most ${CUSTOM_FIELD_MAX} characters`);
  }
}

const FISCAL_CODE =
  /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/;
/** The value of each character in an odd (1st, 3rd, ...) position, digits as their letter. */
const ODD_VALUES = [
  1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
];

/**
 * A person's codice fiscale (16 characters, omocodia letters allowed, its last letter the
 * check character of DM 23/12/1976: tested against codice-fiscale-js in the unit spec), or
 * a company's, which is 11 digits like its VAT number.
 */
export function isFiscalCode(value: string): boolean {
  if (/^\d{11}$/.test(value)) return isVatNumber(value);
  if (!FISCAL_CODE.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const c = value.charCodeAt(i);
    // Digits count as the letters in the same place of the alphabet (0 as A).
    const index = c <= 57 ? c - 48 : c - 65;
    sum += i % 2 === 0 ? ODD_VALUES[index]! : index;
  }
  return value.charCodeAt(15) - 65 === sum % 26;
}

/** A partita IVA: 11 digits, the last the Luhn check digit of the first ten. */
export function isVatNumber(value: string): boolean {
  if (!/^\d{11}$/.test(value) || /^0{11}$/.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const digit = value.charCodeAt(i) - 48;
    if (i % 2 === 0) sum += digit;
    else sum += digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
  }
  return (10 - (sum % 10)) % 10 === value.charCodeAt(10) - 48;
}

/** What a contract stores of its fields: one value per standard field, custom ones by name. */
export type ContractFieldValues = Partial<Record<StandardContractField, string>> & {
  customFields?: Record<string, string>;
};

/** The contract's fields from the call's (checked, normalised) answers to its bound steps. */
export function contractFieldValues(
  steps: ReadonlyArray<{ id: number; contractField: ContractFieldName | null }>,
  answers: Readonly<Record<string, string>> | null,
): ContractFieldValues {
  const values: ContractFieldValues = {};
  if (!answers) return values;
  for (const step of steps) {
    const answer = step.contractField ? answers[String(step.id)] : undefined;
    if (answer === undefined || !step.contractField) continue;
    const custom = customFieldName(step.contractField);
    if (custom === null) values[step.contractField as StandardContractField] = answer;
    else values.customFields = { ...values.customFields, [custom]: answer };
  }
  return values;
}
