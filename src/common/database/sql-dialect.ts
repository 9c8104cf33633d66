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

/** What a driver error says of itself: its code, and mysql2's flag for a connection that died. */
function driverFacts(error: object): { codes: unknown[]; fatal: boolean } {
  const { code, fatal, driverError } = error as {
    code?: unknown;
    fatal?: unknown;
    driverError?: { code?: unknown; fatal?: unknown };
  };
  return { codes: [code, driverError?.code], fatal: fatal === true || driverError?.fatal === true };
}

/**
 * Codes that say the database could not do the work now rather than that the work is wrong:
 * the connection went (a node of a cluster died, or the server restarted), the node is not
 * part of the cluster's primary component (ER_UNKNOWN_COM_ERROR: "WSREP has not yet prepared
 * node for application use"), or no pool has a live server left.
 */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CONNECTION_KILLED',
  'ER_SERVER_SHUTDOWN',
  'ER_UNKNOWN_COM_ERROR',
  'POOL_NONEONLINE',
  'POOL_NOEXIST',
  'POOL_CLOSED',
]);

/**
 * A lock conflict that outlasted its retries (or met a transaction that does not retry), or a
 * database that is not there at this moment: the request did not commit (or cannot know that
 * it did) and may be asked again. Answered 503 with Retry-After, never 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if (isLockConflict(error)) return true;
  const { codes, fatal } = driverFacts(error);
  return fatal || codes.some((c) => typeof c === 'string' && UNAVAILABLE_CODES.has(c));
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
