import {
  type ColumnMap,
  HeaderError,
  headerName,
  IGNORED,
  readHeader,
} from '../common/csv/csv-header';
import type { MappedColumn } from './contact-import-mapping.entity';
import {
  CONTACT_LIMITS,
  OTHER_PHONE_PREFIX,
  PHONE_LABEL_MAX,
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

/** A mapping's `to` as the header reader takes it (`custom:Note` → the custom field Note). */
function headerTarget(to: string): string {
  if (to === IGNORE) return IGNORED;
  return to.startsWith(CUSTOM_PREFIX) ? to.slice(CUSTOM_PREFIX.length) : to;
}

export const IGNORE = 'ignore';
export const CUSTOM_PREFIX = 'custom:';

/**
 * Why a mapping's `to` cannot be: undefined when it is a contact field, `phone:<label>`
 * (1-30 characters), `custom:<name>` (1-64, not a contact field's name) or `ignore`.
 */
export function mappingTargetProblem(to: string): string | undefined {
  if (to === IGNORE || (STANDARD_COLUMNS as readonly string[]).includes(to)) return undefined;
  if (to.startsWith(OTHER_PHONE_PREFIX)) {
    const label = to.slice(OTHER_PHONE_PREFIX.length).trim();
    return label !== '' && label.length <= PHONE_LABEL_MAX
      ? undefined
      : `another number is ${OTHER_PHONE_PREFIX}<label>, the label 1-${PHONE_LABEL_MAX} characters`;
  }
  if (to.startsWith(CUSTOM_PREFIX)) {
    const name = to.slice(CUSTOM_PREFIX.length).trim();
    if (name === '' || name.length > CONTACT_LIMITS.customFieldKey) {
      return `a custom field is ${CUSTOM_PREFIX}<name>, the name 1-${CONTACT_LIMITS.customFieldKey} characters`;
    }
    const known = STANDARD_COLUMNS.find((column) => headerName(column) === headerName(name));
    return known ? `${name} is a contact field: map the column to ${known}` : undefined;
  }
  return `must be a contact field (${STANDARD_COLUMNS.join(', ')}), ${OTHER_PHONE_PREFIX}<label>, ${CUSTOM_PREFIX}<name> or ${IGNORE}`;
}

/**
 * What each column of a header would become: as the campaign's saved mapping says (by the
 * header's name), else by its name or alias, else a custom field.
 */
export function proposedMapping(
  headers: readonly string[],
  saved: readonly MappedColumn[] = [],
): MappedColumn[] {
  const chosen = new Map(saved.map((column) => [headerName(column.header), column.to]));
  const known = new Map(STANDARD_COLUMNS.map((column) => [headerName(column), column]));
  return headers.map((raw) => {
    const header = raw.trim();
    const name = headerName(header);
    const to =
      chosen.get(name) ??
      known.get(name) ??
      CONTACT_HEADER_ALIASES.get(name) ??
      (header.toLowerCase().startsWith(OTHER_PHONE_PREFIX)
        ? `${OTHER_PHONE_PREFIX}${header.slice(OTHER_PHONE_PREFIX.length).trim()}`
        : `${CUSTOM_PREFIX}${header}`);
    return { header, to };
  });
}

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
  mapping: readonly MappedColumn[] = [],
): ContactColumns {
  const aliases = new Map(CONTACT_HEADER_ALIASES);
  for (const { header, to } of mapping) aliases.set(headerName(header), headerTarget(to));
  const read = readHeader(values, {
    known: STANDARD_COLUMNS,
    // Checked below, once a mobile may have become the main phone.
    required: [],
    maxCustom: CONTACT_LIMITS.customFields,
    maxCustomKey: CONTACT_LIMITS.customFieldKey,
    aliases,
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
