/** What is wrong with a header row; pages translate the code with the args. */
export type HeaderProblemCode =
  | 'empty'
  | 'headerMissing'
  | 'headerDuplicate'
  | 'headerBlank'
  | 'headerTooMany'
  | 'headerTooLong'
  | 'headerPhoneLabel'
  | 'headerTooManyPhones';

export class HeaderError extends Error {
  constructor(
    readonly code: HeaderProblemCode,
    message: string,
    readonly args: Record<string, string | number> = {},
  ) {
    super(message);
  }
}

/** Where each known column is (-1 when absent) and which other columns are kept, by name. */
export interface ColumnMap<K extends string> {
  index: Record<K, number>;
  custom: Array<{ index: number; key: string }>;
  /** Columns the header names; values beyond them must be empty. */
  width: number;
}

export interface HeaderRules<K extends string> {
  known: readonly K[];
  required: readonly K[];
  /** How many other columns may be kept as custom fields (0: other columns are ignored). */
  maxCustom: number;
  maxCustomKey: number;
}

/**
 * Reads the header row: known columns by their JSON names (any letter case), the required
 * ones present, no name twice; other columns become custom fields (or are ignored).
 * Trailing unnamed columns, as spreadsheets leave them, are ignored.
 */
export function readHeader<K extends string>(
  values: string[],
  rules: HeaderRules<K>,
): ColumnMap<K> {
  const names = values.map((value) => value.trim());
  while (names.length > 0 && names[names.length - 1] === '') names.pop();
  if (names.length === 0) {
    throw new HeaderError(
      'empty',
      'the first line must name the columns, e.g. firstName,lastName,phone',
    );
  }
  const byLowerName = new Map(rules.known.map((name) => [name.toLowerCase(), name]));
  const index = Object.fromEntries(rules.known.map((name) => [name, -1])) as Record<K, number>;
  const custom: Array<{ index: number; key: string }> = [];
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (name === '') {
      throw new HeaderError('headerBlank', `column ${i + 1} has no name`, { column: i + 1 });
    }
    const lower = name.toLowerCase();
    if (seen.has(lower)) {
      throw new HeaderError('headerDuplicate', `column "${name.slice(0, 64)}" appears twice`, {
        name: name.slice(0, 64),
      });
    }
    seen.add(lower);
    const known = byLowerName.get(lower);
    if (known !== undefined) index[known] = i;
    else if (rules.maxCustom > 0) {
      if (name.length > rules.maxCustomKey) {
        throw new HeaderError(
          'headerTooLong',
          `column ${i + 1} has a name longer than ${rules.maxCustomKey} characters`,
          { column: i + 1, max: rules.maxCustomKey },
        );
      }
      custom.push({ index: i, key: name });
    }
  });
  const missing = rules.required.filter((name) => index[name] === -1);
  if (missing.length > 0) {
    throw new HeaderError(
      'headerMissing',
      `missing required column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')} (the first line must name the columns, e.g. ${rules.required.join(',')})`,
      { columns: missing.join(', ') },
    );
  }
  if (custom.length > rules.maxCustom) {
    throw new HeaderError(
      'headerTooMany',
      `${custom.length} extra columns; at most ${rules.maxCustom} can be kept as custom fields`,
      { count: custom.length, max: rules.maxCustom },
    );
  }
  return { index, custom, width: names.length };
}
