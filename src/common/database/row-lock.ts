import { DataSource, EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/** MySQL/MariaDB lock rows; SQLite's transactions take turns instead. */
export function hasRowLocks(connection: DataSource): boolean {
  const type = connection.options.type;
  return type === 'mysql' || type === 'mariadb';
}

/**
 * `SELECT ... FOR UPDATE` where the database has row locks (MySQL/MariaDB). SQLite has
 * none and TypeORM refuses the option there; its transactions run one at a time (see
 * serializeSqliteTransactions), which gives the same exclusion.
 */
export function forUpdate(em: EntityManager): { lock?: { mode: 'pessimistic_write' } } {
  return hasRowLocks(em.connection) ? { lock: { mode: 'pessimistic_write' } } : {};
}

/**
 * `FOR UPDATE SKIP LOCKED` on MySQL/MariaDB: rows another transaction holds are passed
 * over, so many callers claiming "the next row" at once each get a different one. On
 * SQLite transactions take turns, which gives the same result.
 */
export function skipLocked<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
): SelectQueryBuilder<T> {
  return hasRowLocks(query.connection)
    ? query.setLock('pessimistic_write').setOnLocked('skip_locked')
    : query;
}
