import { rmSync } from 'node:fs';
import { NestExpressApplication } from '@nestjs/platform-express';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Test } from '@nestjs/testing';
import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { configureApp, NEST_APP_OPTIONS } from '../../src/app.setup';

/** Creates this worker's MySQL database if needed (SQLite files create themselves). */
async function ensureDatabase(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) return;
  const parsed = new URL(url);
  const name = parsed.pathname.slice(1);
  parsed.pathname = '/';
  const connection = await createConnection(parsed.toString());
  await connection.query(
    `CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
  );
  await connection.end();
}

/**
 * The whole app, as main.ts builds it, on this worker's database (migrations applied).
 * Its scheduled jobs do not run on their timers: tests call the jobs' service methods with
 * the clock set, so a tick can never land in the middle of a test.
 */
export async function createTestApp(): Promise<NestExpressApplication> {
  await ensureDatabase();
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>(NEST_APP_OPTIONS);
  await configureApp(app);
  await app.init();
  const jobs = app.get(SchedulerRegistry);
  for (const name of jobs.getIntervals()) jobs.deleteInterval(name);
  for (const name of [...jobs.getCronJobs().keys()]) jobs.deleteCronJob(name);
  return app;
}

/** Empties every table but the migrations log, so each test starts from nothing. */
export async function resetDatabase(app: NestExpressApplication): Promise<void> {
  const dataSource = app.get(DataSource);
  const tables = dataSource.entityMetadatas.map((m) => m.tableName);
  const mysql = dataSource.options.type === 'mysql' || dataSource.options.type === 'mariadb';
  // One connection, so that switching foreign keys off holds for every DELETE.
  const runner = dataSource.createQueryRunner();
  try {
    if (mysql) {
      await runner.query('SET FOREIGN_KEY_CHECKS = 0');
      for (const table of tables) await runner.query(`DELETE FROM \`${table}\``);
      await runner.query('SET FOREIGN_KEY_CHECKS = 1');
    } else {
      // SQLite ignores this pragma inside a transaction, so it runs outside one.
      await runner.query('PRAGMA foreign_keys = OFF');
      for (const table of tables) await runner.query(`DELETE FROM "${table}"`);
      await runner.query('PRAGMA foreign_keys = ON');
    }
  } finally {
    await runner.release();
  }
}

export function isMysqlRun(): boolean {
  return process.env.DATABASE_URL !== undefined;
}

/** For a SQLite run: forget this worker's file after the last test file (best effort). */
export function removeSqliteData(): void {
  if (!isMysqlRun() && process.env.DATA_DIR)
    rmSync(process.env.DATA_DIR, { recursive: true, force: true });
}
