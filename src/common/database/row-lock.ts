import { EntityManager } from 'typeorm';

/**
 * `SELECT ... FOR UPDATE` where the database has row locks (MySQL/MariaDB). SQLite has
 * none and TypeORM refuses the option there; its transactions run one at a time (see
 * serializeSqliteTransactions), which gives the same exclusion.
 */
export function forUpdate(em: EntityManager): { lock?: { mode: 'pessimistic_write' } } {
  const type = em.connection.options.type;
  return type === 'mysql' || type === 'mariadb' ? { lock: { mode: 'pessimistic_write' } } : {};
}
