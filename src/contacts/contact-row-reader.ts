import type { StoredLineError } from './dto/import-summary.view';
import {
  CALL_REASON_PATTERN,
  CONTACT_LIMITS,
  consentOf,
  EMAIL_PATTERN,
  invalid,
  invalidEmail,
  invalidLanguage,
  invalidPostalCode,
  LANGUAGE_PATTERN,
  MAX_TAGS,
  POSTAL_CODE_PATTERN,
  postalCodeOf,
  type RuleBreak,
  splitTags,
  type StandardColumn,
  TAG_PATTERN,
  tooManyTags,
} from './contact-rules';
import { extraValues, invalidPhone, oneLine, required, tooLong } from '../common/csv/field-problem';
import { type LabelledPhone, PREFERRED_CHANNELS, tagsColumn } from './contact.entity';
import type { ContactColumns } from './contact-header';
import type { OtherPhoneColumn } from './other-phone-columns';
import type { PhoneNumbers } from '../common/phone/phone-number';

/** Error lines kept for the summary (all are counted). */
export const MAX_STORED_ERRORS = 1000;

/** Values for rows that leave them empty (an outage list: its call reason and tag). */
export interface ContactRowDefaults {
  callReason?: string;
  tags?: string[];
  /** The list every row of the file belongs to. */
  listId?: number | null;
}

/** One contact's INSERT parameters, in the order of the import's INSERT_COLUMNS. */
export type InsertRow = Array<string | number | null>;

/** Rows read since the last commit, as INSERT parameters, with their errors. */
export class PendingBatch {
  rows: InsertRow[] = [];
  phones: string[] = [];
  records = 0;
  errors: StoredLineError[] = [];
  errorCount = 0;
  lastLine = 0;
}

/**
 * Turns a CSV row into INSERT parameters, or into the reasons it cannot be imported. Runs
 * once per row of a million-row file: plain string checks, no per-row objects but the
 * custom fields.
 */
export class ContactRowReader {
  private readonly at: Record<StandardColumn, number>;
  private readonly custom: Array<{ index: number; key: string }>;
  private readonly otherPhones: OtherPhoneColumn[];
  private readonly width: number;

  constructor(
    { columns, phones: otherPhones }: ContactColumns,
    private readonly campaignId: number,
    private readonly phones: PhoneNumbers,
    private readonly required: readonly StandardColumn[],
    private readonly defaults: ContactRowDefaults,
  ) {
    this.at = columns.index;
    this.custom = columns.custom;
    this.otherPhones = otherPhones;
    this.width = columns.width;
  }

  /** A row of empty cells (spreadsheets leave them at the end) is not a contact: skip it. */
  isBlank(values: string[]): boolean {
    for (const value of values) if (value.trim() !== '') return false;
    return true;
  }

  add(line: number, values: string[], batch: PendingBatch): void {
    batch.records++;
    batch.lastLine = line;
    // Most rows are fine: the list of problems is only made for the others.
    let problems: RuleBreak[] | null = null;
    if (values.length > this.width) {
      for (let i = this.width; i < values.length; i++) {
        if (values[i]!.trim() !== '') {
          (problems ??= []).push(extraValues(values.length, this.width));
          break;
        }
      }
    }
    const firstName = text(values, this.at.firstName);
    if (firstName === '' && this.required.includes('firstName'))
      (problems ??= []).push(required('firstName'));
    else if (firstName.length > CONTACT_LIMITS.firstName)
      (problems ??= []).push(tooLong('firstName', CONTACT_LIMITS.firstName));
    const lastName = text(values, this.at.lastName);
    if (lastName === '' && this.required.includes('lastName'))
      (problems ??= []).push(required('lastName'));
    else if (lastName.length > CONTACT_LIMITS.lastName)
      (problems ??= []).push(tooLong('lastName', CONTACT_LIMITS.lastName));
    const rawPhone = text(values, this.at.phone);
    let phone: string | null = null;
    if (rawPhone === '') (problems ??= []).push(required('phone'));
    else {
      phone = this.phones.normalise(rawPhone);
      if (phone === null) (problems ??= []).push(invalidPhone(rawPhone));
    }
    // Other numbers: checked like the main one, the error naming their column; one equal
    // to the main number (or to another before it) is the same number, kept once.
    let otherPhones: LabelledPhone[] | null = null;
    for (const column of this.otherPhones) {
      const raw = text(values, column.index);
      if (raw === '') continue;
      const number = this.phones.normalise(raw);
      if (number === null) {
        (problems ??= []).push(invalidPhone(raw, column.name));
        continue;
      }
      if (number === phone || otherPhones?.some((other) => other.number === number)) continue;
      (otherPhones ??= []).push({ number, label: column.label });
    }
    const email = text(values, this.at.email);
    if (email !== '') {
      if (email.length > CONTACT_LIMITS.email)
        (problems ??= []).push(tooLong('email', CONTACT_LIMITS.email));
      else if (!EMAIL_PATTERN.test(email)) (problems ??= []).push(invalidEmail(email));
    }
    const language = text(values, this.at.language).toLowerCase();
    if (language !== '' && !LANGUAGE_PATTERN.test(language))
      (problems ??= []).push(invalidLanguage(language));
    const city = text(values, this.at.city);
    if (city.length > CONTACT_LIMITS.city)
      (problems ??= []).push(tooLong('city', CONTACT_LIMITS.city));
    const province = text(values, this.at.province).toUpperCase();
    if (province.length > CONTACT_LIMITS.province)
      (problems ??= []).push(tooLong('province', CONTACT_LIMITS.province));
    const address = text(values, this.at.address);
    if (address.length > CONTACT_LIMITS.address)
      (problems ??= []).push(tooLong('address', CONTACT_LIMITS.address));
    const postalCode = postalCodeOf(text(values, this.at.postalCode));
    if (postalCode !== '' && !POSTAL_CODE_PATTERN.test(postalCode))
      (problems ??= []).push(invalidPostalCode(postalCode));
    const callReason = text(values, this.at.callReason).toLowerCase() || this.defaults.callReason;
    if (callReason !== undefined && !CALL_REASON_PATTERN.test(callReason))
      (problems ??= []).push(invalid('callReason', 'invalidCallReason', callReason));
    const channel = text(values, this.at.preferredChannel).toLowerCase();
    if (channel !== '' && !(PREFERRED_CHANNELS as readonly string[]).includes(channel))
      (problems ??= []).push(invalid('preferredChannel', 'invalidChannel', channel));
    const rawConsent = text(values, this.at.consent);
    const consent = rawConsent === '' ? null : consentOf(rawConsent);
    if (consent === undefined)
      (problems ??= []).push(invalid('consent', 'invalidConsent', rawConsent));
    const tags = splitTags(text(values, this.at.tags));
    if (this.defaults.tags)
      for (const tag of this.defaults.tags) if (!tags.includes(tag)) tags.push(tag);
    if (tags.length > 0) {
      const badTag = tags.find((tag) => !TAG_PATTERN.test(tag));
      if (badTag !== undefined) (problems ??= []).push(invalid('tags', 'invalidTag', badTag));
      else if (tags.length > MAX_TAGS) (problems ??= []).push(tooManyTags(tags.length));
    }
    let fields: string | null = null;
    if (this.custom.length > 0) {
      let kept: Record<string, string> | null = null;
      for (const { index, key } of this.custom) {
        const value = cell(values, index);
        if (value === '') continue;
        if (value.length > CONTACT_LIMITS.customFieldValue) {
          (problems ??= []).push(tooLong(key, CONTACT_LIMITS.customFieldValue));
          continue;
        }
        (kept ??= {})[key] = value;
      }
      if (kept) fields = JSON.stringify(kept);
    }
    if (problems !== null || phone === null) {
      batch.errorCount++;
      if (batch.errors.length < MAX_STORED_ERRORS) {
        batch.errors.push({ line, problems: problems ?? [invalidPhone(rawPhone)] });
      }
      return;
    }
    batch.phones.push(phone);
    batch.rows.push([
      this.campaignId,
      firstName,
      lastName,
      phone,
      email === '' ? null : email,
      language === '' ? null : language,
      city === '' ? null : city,
      province === '' ? null : province,
      address === '' ? null : address,
      postalCode === '' ? null : postalCode,
      fields,
      callReason ?? null,
      channel === '' ? null : channel,
      consent === null || consent === undefined ? null : consent ? 1 : 0,
      tagsColumn.to(tags),
      otherPhones && JSON.stringify(otherPhones),
      this.defaults.listId ?? null,
    ]);
  }
}

/**
 * The trimmed value of a column ('' when the column is absent or the row is short), on one
 * line: a quoted name spanning lines is a spreadsheet accident, not a name.
 */
function text(values: string[], index: number): string {
  const value = cell(values, index);
  return value.includes('\n') || value.includes('\r') ? oneLine(value) : value;
}

/** A custom field keeps its line breaks (notes often have them). */
function cell(values: string[], index: number): string {
  if (index < 0 || index >= values.length) return '';
  return values[index]!.trim();
}
