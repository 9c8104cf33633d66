import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataSourceOptions } from 'typeorm';

export interface DatabaseSettings {
  /** mysql://user:pass@host:3306/db; absent = embedded SQLite. */
  url?: string;
  dataDir: string;
  poolSize: number;
  /** Which server is behind a mysql:// URL (see detectMysqlFlavour). */
  flavour?: 'mysql' | 'mariadb';
}

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

export function buildDataSourceOptions(settings: DatabaseSettings): DataSourceOptions {
  const common = {
    migrations: [migrationsGlob()],
    migrationsTableName: 'schema_migrations',
    // Never synchronize: the schema is what the reviewed migrations say.
    synchronize: false,
    migrationsRun: false,
  };

  if (settings.url) {
    return {
      ...common,
      type: settings.flavour ?? 'mysql',
      url: settings.url,
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      // BIGINT and DECIMAL arrive as strings; money is never a float.
      supportBigNumbers: true,
      bigNumberStrings: true,
      dateStrings: false,
      poolSize: settings.poolSize,
      // One migration per DDL statement: MySQL commits DDL at once.
      migrationsTransactionMode: 'each',
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
  };
}
