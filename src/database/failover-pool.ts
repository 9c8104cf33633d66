import * as mysql2 from 'mysql2';
import type { Pool, PoolConnection, PoolOptions } from 'mysql2';
import { isDatabaseUnavailable } from '../common/database/sql-dialect';

export interface DatabaseHost {
  host: string;
  port: number;
}

/**
 * `mysql://user:pass@h1:3311,h2:3312,h3:3313/db`: the hosts, in the order they are preferred,
 * and the URL with the first alone (what TypeORM and mysql2 parse). A URL with one host gives
 * one host.
 */
export function splitDatabaseUrl(url: string): { url: string; hosts: DatabaseHost[] } {
  const match = /^(mysql:\/\/(?:[^@/]*@)?)([^/?#]+)(.*)$/.exec(url);
  if (!match) return { url, hosts: [] };
  const [, head, list, tail] = match as unknown as [string, string, string, string];
  const hosts = list.split(',').map((item) => {
    const at = item.lastIndexOf(':');
    return at === -1
      ? { host: item, port: 3306 }
      : { host: item.slice(0, at), port: Number(item.slice(at + 1)) };
  });
  return { url: `${head}${list.split(',')[0]}${tail}`, hosts };
}

/** How long a node that refused a connection is passed over before it is tried again. */
const DOWN_MS = 1000;

export interface SessionSetup {
  /** Run on each new connection before it is lent (e.g. `SET SESSION wsrep_sync_wait = 1`). */
  statements: string[];
  /** Check with a read that the node serves queries (a Galera node outside the cluster does not). */
  checkReady: boolean;
}

/**
 * One mysql2 pool per host, used in the order given: every connection comes from the first
 * host that answers, and when it stops answering (its server died, or left the cluster) the
 * next takes over, without a restart. A host that failed is tried again after a second, so
 * the first comes back into use once it is up. Connections already lent to a host that dies
 * fail with the request using them (503, see isDatabaseUnavailable); the next request gets a
 * connection elsewhere. Shaped like the parts of mysql2's pool TypeORM and the metrics use.
 */
export class FailoverPool {
  private readonly pools: Pool[];
  private readonly downUntil: number[];
  /** Connections that have passed the session set-up. */
  private readonly prepared = new WeakSet<PoolConnection>();

  constructor(
    options: PoolOptions,
    hosts: DatabaseHost[],
    private readonly setup: SessionSetup,
  ) {
    this.pools = hosts.map((h) => mysql2.createPool({ ...options, host: h.host, port: h.port }));
    this.downUntil = hosts.map(() => 0);
  }

  /** The pool connections are taken from now (the metrics read its figures). */
  get active(): Pool {
    return this.pools[this.preferred()]!;
  }

  /** The first host not passed over; when all are, the one whose pause ends first. */
  private preferred(): number {
    const now = Date.now();
    const up = this.downUntil.findIndex((until) => until <= now);
    if (up !== -1) return up;
    return this.downUntil.indexOf(Math.min(...this.downUntil));
  }

  getConnection(callback: (error: Error | null, connection?: PoolConnection) => void): void {
    this.take(new Set(), callback);
  }

  private take(
    tried: Set<number>,
    callback: (error: Error | null, connection?: PoolConnection) => void,
  ): void {
    const index = this.preferred();
    const failed = (error: Error) => {
      this.downUntil[index] = Date.now() + DOWN_MS;
      tried.add(index);
      if (tried.size < this.pools.length && isDatabaseUnavailable(error)) {
        this.take(tried, callback);
      } else {
        callback(error);
      }
    };
    this.pools[index]!.getConnection((error, connection) => {
      if (error) return failed(error);
      if (this.prepared.has(connection)) return callback(null, connection);
      this.prepare(connection).then(
        () => {
          this.prepared.add(connection);
          callback(null, connection);
        },
        (problem: Error) => {
          connection.destroy();
          failed(problem);
        },
      );
    });
  }

  private async prepare(connection: PoolConnection): Promise<void> {
    const run = (sql: string) =>
      new Promise<void>((resolve, reject) =>
        connection.query(sql, (error) => (error ? reject(error) : resolve())),
      );
    for (const sql of this.setup.statements) await run(sql);
    if (this.setup.checkReady) await run('SELECT 1');
  }

  end(callback: (error?: Error | null) => void): void {
    let left = this.pools.length;
    let first: Error | null = null;
    for (const pool of this.pools) {
      pool.end((error) => {
        first ??= error ?? null;
        if (--left === 0) callback(first);
      });
    }
  }

  // What database-pool-metrics.ts reads of a mysql2 pool: the host in use.
  get _allConnections(): unknown[] {
    return (this.active as unknown as { _allConnections: unknown[] })._allConnections;
  }
  get _freeConnections(): unknown[] {
    return (this.active as unknown as { _freeConnections: unknown[] })._freeConnections;
  }
  get _connectionQueue(): unknown[] {
    return (this.active as unknown as { _connectionQueue: unknown[] })._connectionQueue;
  }
  get config(): { connectionLimit?: number } {
    return (this.active as unknown as { config: { connectionLimit?: number } }).config;
  }
}

/**
 * mysql2 as TypeORM's driver, its pools built over the hosts of the URL (one or several) and
 * each new connection set up before it is lent. TypeORM calls `createPool` with the options
 * of the first host; the others differ only by host and port.
 */
export function mysql2WithFailover(hosts: DatabaseHost[], setup: SessionSetup): typeof mysql2 {
  return {
    ...mysql2,
    createPool: (options: PoolOptions) =>
      new FailoverPool(options, hosts, setup) as unknown as Pool,
  } as typeof mysql2;
}
