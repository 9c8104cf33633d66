import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { format as formatSql } from 'mysql2';
import { DataSourceOptions } from 'typeorm';
import { mysql2WithFailover, splitDatabaseUrl } from './failover-pool';

export interface DatabaseSettings {
  /** mysql://user:pass@host:3306/db; absent = embedded SQLite. */
  url?: string;
  dataDir: string;
  poolSize: number;
  /** Which server is behind a mysql:// URL (see detectMysqlServer). */
  flavour?: 'mysql' | 'mariadb';
  /**
   * Reads wait for the writes the cluster has already committed elsewhere (Galera's
   * `wsrep_sync_wait`), set once on each connection: see resolveCausalReads.
   */
  causalReads?: boolean;
}

/** What `wsrep_sync_wait` each connection gets with causal reads: 1, reads and BEGIN wait. */
const CAUSAL_READS = 'SET SESSION wsrep_sync_wait = 1';

/**
 * Compiled code runs from dist/ with migrations in dist/migrations; ts-node and
 * jest run the TypeScript sources in migrations/ at the repository root.
 */
function migrationsGlob(): string {
  return __filename.endsWith('.ts')
    ? join(__dirname, '..', '..', 'migrations', '*.ts')
    : join(__dirname, '..', 'migrations', '*.js');
}

export function isMysql(settings: DatabaseSettings): boolean {
  return settings.url !== undefined;
}

/**
 * mysql2's own formatting, except that a statement without values is sent as it is: mysql2
 * formats every statement, and with no values still scans all of it for placeholders
 * (quoted strings character by character) to return it unchanged. An import's INSERT,
 * escaped while the previous one is written, is some 300 KB: that scan cost it more CPU than
 * parsing the rows' phone numbers.
 */
export function mysqlQueryFormat(
  this: { config: { stringifyObjects?: boolean } },
  sql: string,
  values: unknown,
  timezone?: string,
): string {
  if (values === undefined || values === null || (Array.isArray(values) && values.length === 0)) {
    return sql;
  }
  type Format = Parameters<typeof formatSql>;
  return formatSql(sql, values as Format[1], this.config.stringifyObjects, timezone);
}

export function buildDataSourceOptions(settings: DatabaseSettings): DataSourceOptions {
  const common = {
    migrations: [migrationsGlob()],
    migrationsTableName: 'schema_migrations',
    // Never synchronize: the schema is what the reviewed migrations say.
    synchronize: false,
    migrationsRun: false,
  };

  if (settings.url) {
    const { url, hosts } = splitDatabaseUrl(settings.url);
    // Several hosts (nodes of a cluster) or a set-up per connection: mysql2 through
    // failover-pool.ts. One host and nothing to set up: mysql2 as it is.
    const wrapped = hosts.length > 1 || settings.causalReads === true;
    return {
      ...common,
      type: settings.flavour ?? 'mysql',
      url,
      ...(wrapped
        ? {
            connectorPackage: 'mysql2' as const,
            driver: mysql2WithFailover(hosts, {
              statements: settings.causalReads ? [CAUSAL_READS] : [],
              checkReady: hosts.length > 1,
            }),
            // A node that does not answer is passed over after 3 s, not mysql2's 10.
            ...(hosts.length > 1 ? { connectTimeout: 3000 } : {}),
          }
        : {}),
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      // BIGINT and DECIMAL arrive as strings; money is never a float.
      supportBigNumbers: true,
      bigNumberStrings: true,
      dateStrings: false,
      poolSize: settings.poolSize,
      // One migration per DDL statement: MySQL commits DDL at once.
      migrationsTransactionMode: 'each',
      extra: { queryFormat: mysqlQueryFormat },
    };
  }

  const file = join(resolve(settings.dataDir), 'esito.sqlite');
  mkdirSync(resolve(file, '..'), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: file,
    enableWAL: true,
    // Concurrent writers wait instead of failing at once with SQLITE_BUSY.
    prepareDatabase: (db: { pragma: (sql: string) => unknown }) => {
      db.pragma('busy_timeout = 5000');
    },
    migrationsTransactionMode: 'each',
  };
}

/** The only place that reads process.env directly (the app validates it in config/). */
export function databaseSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseSettings {
  return {
    url: env.DATABASE_URL || undefined,
    dataDir: env.DATA_DIR || './data',
    poolSize: Number(env.DATABASE_POOL_SIZE || 10),
    causalReads: env.DATABASE_CAUSAL_READS === 'on',
  };
}
