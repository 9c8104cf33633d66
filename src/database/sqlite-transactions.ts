import { DataSource, EntityManager } from 'typeorm';

/** SQLite's queue of transactions at this moment: the one running (0 or 1) and those behind it. */
export interface SqliteTransactionQueue {
  running: number;
  waiting: number;
}

const queues = new WeakMap<DataSource, SqliteTransactionQueue>();

/** The queue serializeSqliteTransactions keeps for this data source (none on MySQL). */
export function sqliteTransactionQueue(dataSource: DataSource): SqliteTransactionQueue | undefined {
  const queue = queues.get(dataSource);
  return queue && { ...queue };
}

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
  const queue: SqliteTransactionQueue = { running: 0, waiting: 0 };
  queues.set(dataSource, queue);
  let tail: Promise<unknown> = Promise.resolve();
  const queued = (...args: unknown[]): Promise<unknown> => {
    queue.waiting += 1;
    const run = tail.then(async () => {
      queue.waiting -= 1;
      queue.running = 1;
      try {
        return await transaction(...args);
      } finally {
        queue.running = 0;
      }
    });
    tail = run.catch(() => undefined);
    return run;
  };
  (manager as { transaction: EntityManager['transaction'] }).transaction = queued;
}
