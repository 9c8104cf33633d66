import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { Counter } from 'prom-client';
import { onTransactionConflict } from '../common/database/retried-transaction';
import { MetricsRegistry } from './metrics-registry';

const REASONS: Record<string, string> = {
  ER_LOCK_DEADLOCK: 'deadlock',
  ER_LOCK_WAIT_TIMEOUT: 'lock_wait_timeout',
  SQLITE_BUSY: 'busy',
};

/** Transactions rolled back by a lock conflict and started again (retriedTransaction), or given up. */
@Injectable()
export class TransactionMetrics implements OnModuleDestroy {
  private readonly stop: () => void;

  constructor(registry: MetricsRegistry) {
    const retried = new Counter({
      name: 'esito_transaction_retries_total',
      help: 'Transactions rolled back by a deadlock or lock wait and started again',
      labelNames: ['reason'],
      registers: [registry],
    });
    const givenUp = new Counter({
      name: 'esito_transaction_conflicts_given_up_total',
      help: 'Transactions that lost a lock conflict on their last try (the caller got the error)',
      labelNames: ['reason'],
      registers: [registry],
    });
    for (const reason of Object.values(REASONS)) {
      retried.inc({ reason }, 0);
      givenUp.inc({ reason }, 0);
    }
    this.stop = onTransactionConflict(({ code, retried: again }) =>
      (again ? retried : givenUp).inc({ reason: REASONS[code] ?? 'other' }),
    );
  }

  onModuleDestroy(): void {
    this.stop();
  }
}
