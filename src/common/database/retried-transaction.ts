import { DataSource, EntityManager } from 'typeorm';
import { isLockConflict, isMysqlSource } from './sql-dialect';

export interface RetriedTransactionOptions {
  /**
   * READ COMMITTED on MySQL: no gap locks on the ranges SKIP LOCKED claims scan, and plain
   * reads after a claim see what others have just committed.
   */
  readCommitted?: boolean;
  /** Tries in all before the conflict goes up. */
  attempts?: number;
  /** The pause before try n is a quarter of this plus a random part of up to n times it. */
  pauseMs?: number;
}

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
 * One transaction, started again when it lost a deadlock or a lock wait: it was rolled
 * back whole, so repeating it is safe. Any other error goes up at once.
 */
export async function retriedTransaction<T>(
  dataSource: DataSource,
  work: (em: EntityManager) => Promise<T>,
  { readCommitted = false, attempts = 5, pauseMs = 20 }: RetriedTransactionOptions = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return readCommitted && isMysqlSource(dataSource)
        ? await dataSource.transaction('READ COMMITTED', work)
        : await dataSource.transaction(work);
    } catch (error) {
      if (!isLockConflict(error)) throw error;
      report(error, attempt < attempts);
      if (attempt >= attempts) throw error;
      const pause = pauseMs / 4 + Math.random() * pauseMs * attempt;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}
