import { DataSource, EntityManager } from 'typeorm';

/**
 * TypeORM talks to SQLite through one shared connection, so two transactions started
 * concurrently would interleave (the second becoming a savepoint inside the first, rolled
 * back with it). On SQLite transactions are therefore queued, one at a time; MySQL runs
 * them concurrently on pooled connections and relies on row locks instead.
 */
export function serializeSqliteTransactions(dataSource: DataSource): void {
  if (dataSource.options.type !== 'better-sqlite3') return;
  const manager = dataSource.manager;
  const transaction = manager.transaction.bind(manager) as (...args: unknown[]) => Promise<unknown>;
  let tail: Promise<unknown> = Promise.resolve();
  const queued = (...args: unknown[]): Promise<unknown> => {
    const run = tail.then(() => transaction(...args));
    tail = run.catch(() => undefined);
    return run;
  };
  (manager as { transaction: EntityManager['transaction'] }).transaction = queued;
}
