import { ValidationError } from '../common/errors/domain-errors';
import type { FieldChange } from '../interactions/interaction.entity';
import type { Contact, LabelledPhone } from './contact.entity';

/** What a call may correct on a contact (the outcome's `contact`). */
export interface ContactEdits {
  firstName?: string;
  lastName?: string;
  email?: string | null;
  address?: string | null;
  city?: string | null;
  province?: string | null;
  postalCode?: string | null;
  phones?: LabelledPhone[];
}

export type ContactChanges = Partial<
  Pick<
    Contact,
    | 'firstName'
    | 'lastName'
    | 'email'
    | 'address'
    | 'city'
    | 'province'
    | 'postalCode'
    | 'phone'
    | 'otherPhones'
  >
>;

export interface Corrections {
  changes: ContactChanges;
  /** Each changed field's value before and after, for the call's record. */
  diff: Record<string, FieldChange>;
}

const TEXT_FIELDS = [
  'firstName',
  'lastName',
  'email',
  'address',
  'city',
  'province',
  'postalCode',
] as const;

/**
 * The changes an edit makes to a contact, and their before/after. Texts are trimmed (an
 * empty one clears an optional field); phones are normalised by `normalise` (null: not a
 * phone number, a 400 naming `contact.phones.<i>.number`), the first becoming the main one.
 */
export function contactCorrections(
  contact: Contact,
  edits: ContactEdits,
  normalise: (raw: string) => string | null,
): Corrections {
  const changes: ContactChanges = {};
  const diff: Corrections['diff'] = {};
  for (const field of TEXT_FIELDS) {
    const asked = edits[field];
    if (asked === undefined) continue;
    let value: string | null = asked === null ? null : asked.trim();
    if (value === '') value = null;
    if (value === null && (field === 'firstName' || field === 'lastName')) {
      if (field === 'firstName') {
        throw new ValidationError('contact.firstName', 'contact.firstName must not be empty').say(
          'work.errors.firstNameEmpty',
        );
      }
      value = '';
    }
    if (field === 'province' && value) value = value.toUpperCase();
    if (field === 'email' && value) value = value.toLowerCase();
    const before = contact[field] ?? null;
    if (value !== before) {
      (changes as Record<string, unknown>)[field] = value;
      diff[field] = { before, after: value };
    }
  }
  if (edits.phones !== undefined) {
    if (edits.phones.length === 0) {
      throw new ValidationError(
        'contact.phones',
        'contact.phones must keep at least one number',
      ).say('work.errors.phonesEmpty');
    }
    const seen = new Set<string>();
    const phones = edits.phones.map((phone, index) => {
      const number = normalise(phone.number);
      if (!number) {
        throw new ValidationError(
          `contact.phones.${index}.number`,
          `contact.phones.${index}.number: "${phone.number.slice(0, 40)}" is not a phone number`,
        ).say('work.errors.phoneInvalid', { number: phone.number.slice(0, 40) });
      }
      if (seen.has(number)) {
        throw new ValidationError(
          `contact.phones.${index}.number`,
          `contact.phones.${index}.number: ${number} is already in the list`,
        ).say('work.errors.phoneRepeated', { number });
      }
      seen.add(number);
      return { number, label: phone.label.trim() };
    });
    const [main, ...others] = phones;
    const otherPhones = others.length > 0 ? others : null;
    if (main!.number !== contact.phone) {
      changes.phone = main!.number;
      diff.phone = { before: contact.phone, after: main!.number };
    }
    if (JSON.stringify(otherPhones) !== JSON.stringify(contact.otherPhones ?? null)) {
      changes.otherPhones = otherPhones;
      diff.otherPhones = { before: contact.otherPhones ?? null, after: otherPhones };
    }
  }
  return { changes, diff };
}
