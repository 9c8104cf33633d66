import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { sqliteTransactionQueue } from '../database/sqlite-transactions';
import { MetricsRegistry } from './metrics-registry';

/** The parts of mysql2's pool read here (its queues have a length). */
interface Mysql2Pool {
  _allConnections?: { length: number };
  _freeConnections?: { length: number };
  _connectionQueue?: { length: number };
  config?: { connectionLimit?: number };
}

export interface PoolFigures {
  inUse: number;
  idle: number;
  waiting: number;
  max: number;
}

/**
 * The database pool at this moment. MySQL: mysql2's connections lent out, idle, and the
 * requests queued for one. SQLite has one connection and queues transactions on it
 * (serializeSqliteTransactions): in use is the transaction running, waiting those behind it.
 */
export function poolFigures(dataSource: DataSource): PoolFigures | null {
  const sqlite = sqliteTransactionQueue(dataSource);
  if (sqlite)
    return { inUse: sqlite.running, idle: 1 - sqlite.running, waiting: sqlite.waiting, max: 1 };
  // TypeORM's MySQL driver keeps mysql2's pool as `pool` (no replication is configured).
  const pool = (dataSource.driver as { pool?: Mysql2Pool }).pool;
  const all = pool?._allConnections?.length;
  const free = pool?._freeConnections?.length;
  const queued = pool?._connectionQueue?.length;
  if (typeof all !== 'number' || typeof free !== 'number' || typeof queued !== 'number')
    return null;
  return {
    inUse: all - free,
    idle: free,
    waiting: queued,
    max: pool?.config?.connectionLimit ?? all,
  };
}

/** Read when scraped, from the pool itself: nothing is counted on the way. */
@Injectable()
export class DatabasePoolMetrics {
  constructor(registry: MetricsRegistry, dataSource: DataSource) {
    new Gauge({
      name: 'esito_db_pool_connections',
      help: 'Database connections by state (in_use, idle) and the pool limit (max); on SQLite the one connection',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        const figures = poolFigures(dataSource);
        this.reset();
        if (!figures) return;
        this.set({ state: 'in_use' }, figures.inUse);
        this.set({ state: 'idle' }, figures.idle);
        this.set({ state: 'max' }, figures.max);
      },
    });
    new Gauge({
      name: 'esito_db_pool_waiting',
      help: 'Requests waiting for a database connection (SQLite: transactions queued behind the running one)',
      registers: [registry],
      collect() {
        const figures = poolFigures(dataSource);
        this.set(figures?.waiting ?? 0);
      },
    });
  }
}
