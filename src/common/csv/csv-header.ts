/** What is wrong with a header row; pages translate the code with the args. */
export type HeaderProblemCode =
  | 'empty'
  | 'headerMissing'
  | 'headerDuplicate'
  | 'headerSameField'
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

/** A column kept beside the known ones: what it becomes (`key`) and its name in the file. */
export interface OtherColumn {
  index: number;
  /** A custom field's name, or the target an alias gave it (`phone:cellulare`). */
  key: string;
  /** As the file's header writes it. */
  name: string;
}

/** Where each known column is (-1 when absent) and which other columns are kept, by name. */
export interface ColumnMap<K extends string> {
  index: Record<K, number>;
  custom: OtherColumn[];
  /** Columns the header names; values beyond them must be empty. */
  width: number;
}

export interface HeaderRules<K extends string> {
  known: readonly K[];
  required: readonly K[];
  /** How many other columns may be kept as custom fields (0: other columns are ignored). */
  maxCustom: number;
  maxCustomKey: number;
  /**
   * Other names of columns, by their `headerName` form (`cognome` → `lastName`, `cellulare`
   * → `phone:cellulare`): a known column, another target kept as a custom column, or
   * IGNORED (the column is read as if it were not there).
   */
  aliases?: ReadonlyMap<string, string>;
}

/** The target of a column that is not imported. */
export const IGNORED = '';

/**
 * A header name as aliases are looked up: lower case, without accents, spaces, dots,
 * dashes or underscores (`Città` → `citta`, `E-mail` → `email`, `C.A.P.` → `cap`).
 */
export function headerName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\s._-]+/g, '');
}

/**
 * Reads the header row: known columns by their JSON names or an alias (any letter case,
 * accents, spaces), the required ones present, no column twice; other columns become
 * custom fields (or are ignored). Trailing unnamed columns, as spreadsheets leave them,
 * are ignored.
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
  const targets = new Map<string, string>(rules.known.map((name) => [headerName(name), name]));
  for (const [alias, target] of rules.aliases ?? []) targets.set(alias, target);
  const known = new Set<string>(rules.known);
  const index = Object.fromEntries(rules.known.map((name) => [name, -1])) as Record<K, number>;
  const custom: OtherColumn[] = [];
  /** What each target was named in the file, to say which two columns clash. */
  const seen = new Map<string, string>();
  names.forEach((name, i) => {
    if (name === '') {
      throw new HeaderError('headerBlank', `column ${i + 1} has no name`, { column: i + 1 });
    }
    const target = targets.get(headerName(name)) ?? name;
    if (target === IGNORED) return;
    const clash = seen.get(target.toLowerCase());
    if (clash === name) {
      throw new HeaderError('headerDuplicate', `column "${name.slice(0, 64)}" appears twice`, {
        name: name.slice(0, 64),
      });
    }
    if (clash !== undefined) {
      const [first, second] = [clash.slice(0, 64), name.slice(0, 64)];
      throw new HeaderError(
        'headerSameField',
        `columns "${first}" and "${second}" are both ${target}`,
        { first, second, field: target },
      );
    }
    seen.set(target.toLowerCase(), name);
    if (known.has(target)) index[target as K] = i;
    else if (rules.maxCustom > 0) {
      if (name.length > rules.maxCustomKey) {
        throw new HeaderError(
          'headerTooLong',
          `column ${i + 1} has a name longer than ${rules.maxCustomKey} characters`,
          { column: i + 1, max: rules.maxCustomKey },
        );
      }
      custom.push({ index: i, key: target, name });
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
