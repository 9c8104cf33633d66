import { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/**
 * `SELECT ... FOR UPDATE` where the database has row locks (MySQL/MariaDB). SQLite has
 * none and TypeORM refuses the option there; its transactions run one at a time (see
 * serializeSqliteTransactions), which gives the same exclusion.
 */
export function forUpdate(em: EntityManager): { lock?: { mode: 'pessimistic_write' } } {
  const type = em.connection.options.type;
  return type === 'mysql' || type === 'mariadb' ? { lock: { mode: 'pessimistic_write' } } : {};
}

/**
 * `FOR UPDATE SKIP LOCKED` on MySQL/MariaDB: rows another transaction holds are passed
 * over, so many callers claiming "the next row" at once each get a different one. On
 * SQLite transactions take turns, which gives the same result.
 */
export function skipLocked<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
): SelectQueryBuilder<T> {
  const type = query.connection.options.type;
  return type === 'mysql' || type === 'mariadb'
    ? query.setLock('pessimistic_write').setOnLocked('skip_locked')
    : query;
}
