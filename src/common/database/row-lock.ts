import { DataSource, EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { isMysqlSource } from './sql-dialect';

/**
 * `SELECT ... FOR UPDATE` where the database has row locks (MySQL/MariaDB). SQLite has
 * none and TypeORM refuses the option there; its transactions run one at a time (see
 * serializeSqliteTransactions), which gives the same exclusion.
 */
export function forUpdate(em: EntityManager): { lock?: { mode: 'pessimistic_write' } } {
  return isMysqlSource(em.connection) ? { lock: { mode: 'pessimistic_write' } } : {};
}

/**
 * A locking read that shares (`LOCK IN SHARE MODE`) on MySQL/MariaDB. Unlike a plain read
 * in REPEATABLE READ, it sees what other transactions committed after this one began:
 * what a row lock taken a moment earlier made us wait for.
 */
export function forShare(em: EntityManager): { lock?: { mode: 'pessimistic_read' } } {
  return isMysqlSource(em.connection) ? { lock: { mode: 'pessimistic_read' } } : {};
}

/**
 * Serialises the transactions that name the same point by a write: a row of
 * `serialisation_points` goes up by one. Call it before reading what the rule depends on.
 * On one MySQL server the write takes the row's exclusive lock, as SELECT ... FOR UPDATE
 * would; on a Galera cluster a read lock serialises transactions of one node only, while
 * two writes of one row conflict at certification and one transaction is rolled back
 * (retriedTransaction tries it again). For a rule that spans rows none of the transactions
 * writes (the last active admin, a campaign's links); a row the transaction updates anyway
 * needs nothing more. SQLite runs one transaction at a time: nothing to do there.
 */
/** The point an outcome status's edits and the campaigns that rely on it take turns on. */
export function outcomeStatusPoint(statusId: number): string {
  return `outcome-status:${statusId}`;
}

export async function serialiseOn(em: EntityManager, point: string): Promise<void> {
  if (!isMysqlSource(em.connection)) return;
  await em.query(
    'INSERT INTO serialisation_points (name, version) VALUES (?, 1) ' +
      'ON DUPLICATE KEY UPDATE version = version + 1',
    [point],
  );
}

/**
 * `FOR UPDATE SKIP LOCKED` on MySQL/MariaDB: rows another transaction holds are passed
 * over, so many callers claiming "the next row" at once each get a different one. On
 * SQLite transactions take turns, which gives the same result.
 */
export function skipLocked<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
): SelectQueryBuilder<T> {
  return isMysqlSource(query.connection)
    ? query.setLock('pessimistic_write').setOnLocked('skip_locked')
    : query;
}

/** Data sources whose one-row claims start at a random one of the first N rows (Galera). */
const spreadClaims = new WeakMap<DataSource, number>();

/**
 * On a Galera cluster SKIP LOCKED skips only rows locked on the same node: operators on
 * every node would all claim the queue's first row and all but one lose at commit. There, a
 * claim of one row (an operator's next) takes one of the first `among` rows at random: the
 * queue's order holds within that many rows. Not on one server, where SKIP LOCKED suffices.
 */
export function spreadOneRowClaims(dataSource: DataSource, among: number): void {
  spreadClaims.set(dataSource, among);
}

/**
 * The ids of the first `limit` rows of a queue, locked (FOR UPDATE SKIP LOCKED): callers
 * claiming at once (operators, the jobs of several instances) each get different rows. On
 * MySQL the queue's index is forced, so the scan reads in its order, locks only what it
 * returns and stops at the limit; left to itself the optimizer may scan a small table whole
 * and sort it, locking every row it reads, and the others would find the queue empty.
 */
export async function claimIds<T extends ObjectLiteral>(
  em: EntityManager,
  query: SelectQueryBuilder<T>,
  index: string,
  limit: number,
): Promise<number[]> {
  const among = limit === 1 ? (spreadClaims.get(em.connection) ?? 1) : 1;
  const offset = Math.floor(Math.random() * among);
  const ids = await claimFrom(em, query, index, limit, offset);
  // Fewer free rows than the offset: the first of them, as without the spread.
  return ids.length === 0 && offset > 0 ? claimFrom(em, query, index, limit, 0) : ids;
}

async function claimFrom<T extends ObjectLiteral>(
  em: EntityManager,
  query: SelectQueryBuilder<T>,
  index: string,
  limit: number,
  offset: number,
): Promise<number[]> {
  const alias = query.alias;
  const select = query.clone().select(`${alias}.id`, 'id').limit(limit);
  const claim = skipLocked(offset > 0 ? select.offset(offset) : select);
  const [plain, params] = claim.getQueryAndParameters();
  let sql = plain;
  if (isMysqlSource(em.connection)) {
    const from = ` ${em.connection.driver.escape(alias)} `;
    const at = sql.indexOf(from);
    if (at === -1) throw new Error(`cannot place the index hint in: ${sql}`);
    sql = `${sql.slice(0, at + from.length)}FORCE INDEX (${em.connection.driver.escape(index)}) ${sql.slice(at + from.length)}`;
  }
  const rows = await em.query<Array<{ id: number | string }>>(sql, params);
  return rows.map((row) => Number(row.id));
}

/** The queue without the rows already passed over by this caller. */
export function excluding<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  ids: readonly number[],
): SelectQueryBuilder<T> {
  return ids.length === 0
    ? query
    : query.clone().andWhere(`${query.alias}.id NOT IN (:...passed)`, { passed: [...ids] });
}
