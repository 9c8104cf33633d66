import type { DataSource, EntityManager } from 'typeorm';

/** MySQL/MariaDB or the embedded SQLite: the few statements the import writes by hand differ. */
export function isMysqlSource(dataSource: DataSource): boolean {
  const type = dataSource.options.type;
  return type === 'mysql' || type === 'mariadb';
}

/** A multi-row INSERT that skips rows a unique index refuses (both dialects count only the rows written). */
export function insertIgnore(dataSource: DataSource): string {
  return isMysqlSource(dataSource) ? 'INSERT IGNORE INTO' : 'INSERT OR IGNORE INTO';
}

const valuesCache = new Map<string, string>();

/** `(?,?,?),(?,?,?)` for `rows` rows of `columns` values, built once per shape. */
export function valuePlaceholders(rows: number, columns: number): string {
  const key = `${rows}x${columns}`;
  let sql = valuesCache.get(key);
  if (sql === undefined) {
    const row = `(${new Array<string>(columns).fill('?').join(',')})`;
    sql = new Array<string>(rows).fill(row).join(',');
    if (valuesCache.size > 64) valuesCache.clear();
    valuesCache.set(key, sql);
  }
  return sql;
}

/** `?,?,?` for an IN list. */
export function listPlaceholders(count: number): string {
  return valuePlaceholders(1, count).slice(1, -1);
}

/** A deadlock or a lock wait (SQLite: busy): the transaction was rolled back, so retrying is safe. */
export function isLockConflict(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, driverError } = error as { code?: string; driverError?: { code?: string } };
  return [code, driverError?.code].some(
    (c) => c === 'ER_LOCK_DEADLOCK' || c === 'ER_LOCK_WAIT_TIMEOUT' || c === 'SQLITE_BUSY',
  );
}

/** The LIKE escape character: `!` works the same on MySQL and SQLite (backslash does not). */
export const LIKE_ESCAPE = "ESCAPE '!'";

/** What the user typed, safe inside a LIKE pattern (wildcards taken literally). */
export function escapeLike(text: string): string {
  return text.replace(/[!%_]/g, (c) => `!${c}`);
}

/**
 * Adds `amount` to the `column` of the row with these key values, creating it when there is
 * none: one statement, safe when two transactions count at once (the unique key decides).
 */
export async function addToCounter(
  em: EntityManager,
  table: string,
  key: Record<string, string | number>,
  column: string,
  amount: number,
): Promise<void> {
  const names = Object.keys(key);
  const escape = (name: string) => em.connection.driver.escape(name);
  const insert = `INSERT INTO ${escape(table)} (${[...names, column].map(escape).join(', ')}) VALUES (${listPlaceholders(names.length + 1)})`;
  const target = escape(column);
  await em.query(
    isMysqlSource(em.connection)
      ? `${insert} ON DUPLICATE KEY UPDATE ${target} = ${target} + VALUES(${target})`
      : `${insert} ON CONFLICT (${names.map(escape).join(', ')}) DO UPDATE SET ${target} = ${target} + excluded.${target}`,
    [...Object.values(key), amount],
  );
}
