import { DataSource, EntityManager } from 'typeorm';
import { performance } from 'node:perf_hooks';
import { BusyError } from '../errors/domain-errors';
import { isLockConflict, isMysqlSource } from './sql-dialect';

export interface RetriedTransactionOptions {
  /**
   * READ COMMITTED on MySQL: no gap locks on the ranges SKIP LOCKED claims scan, and plain
   * reads after a claim see what others have just committed.
   */
  readCommitted?: boolean;
  /** Tries at most, however much of the time budget is left. */
  attempts?: number;
  /**
   * The first pause; each next one may be twice as long (up to MAX_PAUSE_MS), and each is
   * drawn at random from half to one and a half of that, so that transactions which lost
   * to each other (on one server, or on two nodes of a cluster) do not meet again.
   */
  pauseMs?: number;
  /** No new try starts once this long has passed since the first: the conflict then goes up. */
  budgetMs?: number;
}

/** The longest pause between two tries. */
const MAX_PAUSE_MS = 250;
/** What a caller is told to wait before asking again, once the budget is spent. */
const RETRY_AFTER_SECONDS = 1;

/** A transaction that lost a lock conflict: `retried` again, or given up after its tries. */
export interface TransactionConflict {
  /** The driver's code: ER_LOCK_DEADLOCK, ER_LOCK_WAIT_TIMEOUT or SQLITE_BUSY. */
  code: string;
  retried: boolean;
}

const conflictListeners = new Set<(conflict: TransactionConflict) => void>();

/** Hears every conflict retriedTransaction meets (metrics); returns the way to stop. */
export function onTransactionConflict(
  listener: (conflict: TransactionConflict) => void,
): () => void {
  conflictListeners.add(listener);
  return () => conflictListeners.delete(listener);
}

function conflictCode(error: unknown): string {
  const { code, driverError } = error as { code?: unknown; driverError?: { code?: unknown } };
  const found = [driverError?.code, code].find((c) => typeof c === 'string');
  return typeof found === 'string' ? found : 'unknown';
}

function report(error: unknown, retried: boolean): void {
  const conflict = { code: conflictCode(error), retried };
  for (const listener of conflictListeners) {
    try {
      listener(conflict);
    } catch {
      // A listener's failure never changes what happens to the transaction.
    }
  }
}

/**
 * One transaction, started again when it lost a deadlock or a lock wait (a Galera node
 * reports losing a certification as a deadlock too): it was rolled back whole, so
 * repeating it is safe. Tries go on with growing, jittered pauses while the time budget
 * lasts; then the request is answered 503 with Retry-After (BusyError), never a 500. Any
 * other error goes up at once.
 */
export async function retriedTransaction<T>(
  dataSource: DataSource,
  work: (em: EntityManager) => Promise<T>,
  {
    readCommitted = false,
    attempts = 40,
    pauseMs = 20,
    budgetMs = 3000,
  }: RetriedTransactionOptions = {},
): Promise<T> {
  const started = performance.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return readCommitted && isMysqlSource(dataSource)
        ? await dataSource.transaction('READ COMMITTED', work)
        : await dataSource.transaction(work);
    } catch (error) {
      if (!isLockConflict(error)) throw error;
      const ceiling = Math.min(MAX_PAUSE_MS, pauseMs * 2 ** (attempt - 1));
      const pause = ceiling * (0.5 + Math.random());
      const again = attempt < attempts && performance.now() - started + pause < budgetMs;
      report(error, again);
      if (!again) {
        throw new BusyError(
          'the database is busy with the same records: try again in a moment',
          RETRY_AFTER_SECONDS,
        ).say('errors.busy');
      }
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}
