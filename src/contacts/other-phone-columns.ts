import { MAX_OTHER_PHONES, OTHER_PHONE_PREFIX, PHONE_LABEL_MAX } from './contact-rules';
import { type ColumnMap, HeaderError } from '../common/csv/csv-header';

/** A column holding another number of the contact: where it is, its name and the label. */
export interface OtherPhoneColumn {
  index: number;
  /** As the header names it (`phone:casa`): row errors name it. */
  name: string;
  label: string;
}

/**
 * Takes the `phone:<label>` columns out of the header's custom fields: each is another
 * number with that label (1-30 characters), at most MAX_OTHER_PHONES of them.
 */
export function takeOtherPhoneColumns<K extends string>(
  columns: ColumnMap<K>,
): { columns: ColumnMap<K>; phones: OtherPhoneColumn[] } {
  const phones: OtherPhoneColumn[] = [];
  const custom: ColumnMap<K>['custom'] = [];
  for (const column of columns.custom) {
    if (!column.key.toLowerCase().startsWith(OTHER_PHONE_PREFIX)) {
      custom.push(column);
      continue;
    }
    const label = column.key.slice(OTHER_PHONE_PREFIX.length).trim();
    if (label === '' || label.length > PHONE_LABEL_MAX) {
      throw new HeaderError(
        'headerPhoneLabel',
        `column ${column.index + 1} "${column.name}": another number's column is named ` +
          `${OTHER_PHONE_PREFIX}<label>, the label 1-${PHONE_LABEL_MAX} characters, e.g. ${OTHER_PHONE_PREFIX}casa`,
        { column: column.index + 1, name: column.name, max: PHONE_LABEL_MAX },
      );
    }
    phones.push({ index: column.index, name: column.name, label });
  }
  if (phones.length > MAX_OTHER_PHONES) {
    throw new HeaderError(
      'headerTooManyPhones',
      `${phones.length} ${OTHER_PHONE_PREFIX}<label> columns; a contact holds at most ${MAX_OTHER_PHONES} numbers beside phone`,
      { count: phones.length, max: MAX_OTHER_PHONES },
    );
  }
  return { columns: { ...columns, custom }, phones };
}
