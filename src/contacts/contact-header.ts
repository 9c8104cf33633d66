import { type ColumnMap, HeaderError, headerName, readHeader } from '../common/csv/csv-header';
import {
  CONTACT_LIMITS,
  OTHER_PHONE_PREFIX,
  STANDARD_COLUMNS,
  type StandardColumn,
} from './contact-rules';
import { type OtherPhoneColumn, takeOtherPhoneColumns } from './other-phone-columns';

/**
 * The names lists come with, Italian and English, beside the JSON names (any letter case;
 * accents, spaces, dots, dashes and underscores do not count: `Città`, `C.A.P.`, `E-mail`).
 * A phone other than the main one becomes a labelled number (`Cellulare` → phone:cellulare).
 */
const ALIASES: Record<string, readonly string[]> = {
  firstName: ['nome', 'first name', 'given name', 'forename'],
  lastName: ['cognome', 'last name', 'surname', 'family name'],
  phone: [
    'telefono',
    'tel',
    'telefono 1',
    'tel 1',
    'numero',
    'numero di telefono',
    'phone number',
    'phone 1',
  ],
  email: ['e-mail', 'mail', 'posta elettronica', 'indirizzo email', 'email address'],
  address: ['indirizzo', 'via', 'street', 'street address'],
  postalCode: ['cap', 'codice postale', 'postcode', 'post code', 'zip', 'zip code'],
  city: ['città', 'comune', 'località', 'town'],
  province: ['provincia', 'prov', 'sigla provincia', 'county'],
  language: ['lingua'],
  consent: ['consenso', 'privacy'],
  tags: ['tag', 'etichette'],
  [`${OTHER_PHONE_PREFIX}cellulare`]: [
    'cellulare',
    'cell',
    'mobile',
    'telefono cellulare',
    'mobile phone',
    'cellphone',
  ],
  [`${OTHER_PHONE_PREFIX}casa`]: ['telefono casa', 'tel casa', 'telefono abitazione', 'home phone'],
  [`${OTHER_PHONE_PREFIX}ufficio`]: [
    'telefono ufficio',
    'tel ufficio',
    'work phone',
    'office phone',
  ],
  [`${OTHER_PHONE_PREFIX}altro`]: [
    'telefono 2',
    'tel 2',
    'altro telefono',
    'phone 2',
    'other phone',
  ],
};

export const CONTACT_HEADER_ALIASES: ReadonlyMap<string, string> = new Map(
  Object.entries(ALIASES).flatMap(([target, names]) =>
    names.map((name) => [headerName(name), target] as [string, string]),
  ),
);

/** Where a contacts file keeps each field, and its other numbers. */
export interface ContactColumns {
  columns: ColumnMap<StandardColumn>;
  phones: OtherPhoneColumn[];
}

/**
 * The header of a contacts file: known columns by name or alias, `phone:<label>` columns
 * (or their aliases) as other numbers, the rest as custom fields. A file with no main phone
 * column but another number's (only `Cellulare`) calls that one: it becomes the main phone.
 */
export function readContactHeader(
  values: string[],
  required: readonly StandardColumn[],
): ContactColumns {
  const read = readHeader(values, {
    known: STANDARD_COLUMNS,
    // Checked below, once a mobile may have become the main phone.
    required: [],
    maxCustom: CONTACT_LIMITS.customFields,
    maxCustomKey: CONTACT_LIMITS.customFieldKey,
    aliases: CONTACT_HEADER_ALIASES,
  });
  const { columns, phones } = takeOtherPhoneColumns(read);
  if (columns.index.phone === -1 && phones.length > 0) {
    const [main, ...others] = phones;
    return {
      columns: { ...columns, index: { ...columns.index, phone: main!.index } },
      phones: others,
    };
  }
  if (columns.index.phone === -1 && required.includes('phone')) {
    const missing = required.filter((column) => column === 'phone' || columns.index[column] === -1);
    throw new HeaderError(
      'headerMissing',
      `missing required column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')} (the first line must name the columns, e.g. ${required.join(',')})`,
      { columns: missing.join(', ') },
    );
  }
  return { columns, phones };
}
