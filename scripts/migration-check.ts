/**
 * Proves that entities and migrations agree (what `typeorm migration:generate --check` does)
 * and that every migration's down() works, on a throwaway database:
 *   SQLite by default, MySQL when DATABASE_URL is set (a scratch database beside it is used).
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { detectMysqlFlavour } from '../src/database/mysql-flavour';
import { buildDataSourceOptions, databaseSettingsFromEnv } from '../src/database/data-source';

async function scratchSettings(): Promise<{
  url?: string;
  dataDir: string;
  cleanup: () => Promise<void>;
}> {
  const settings = databaseSettingsFromEnv();
  if (!settings.url) {
    const dataDir = mkdtempSync(join(tmpdir(), 'esito-schema-'));
    return {
      dataDir,
      cleanup: () => Promise.resolve(rmSync(dataDir, { recursive: true, force: true })),
    };
  }
  const url = new URL(settings.url);
  const name = `${url.pathname.slice(1)}_schema_check`;
  url.pathname = '/';
  const admin = await createConnection(url.toString());
  await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    dataDir: settings.dataDir,
    cleanup: async () => {
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.end();
    },
  };
}

async function main(): Promise<void> {
  const scratch = await scratchSettings();
  const flavour = scratch.url ? await detectMysqlFlavour(scratch.url) : undefined;
  const dataSource = new DataSource({
    ...buildDataSourceOptions({ url: scratch.url, dataDir: scratch.dataDir, poolSize: 2, flavour }),
    entities: [join(__dirname, '..', 'src', '**', '*.entity.ts')],
  });
  await dataSource.initialize();
  try {
    const dialect = dataSource.options.type;
    const applied = await dataSource.runMigrations();
    console.log(`${dialect}: applied ${applied.length} migrations`);

    const pending = await dataSource.driver.createSchemaBuilder().log();
    if (pending.upQueries.length > 0) {
      console.error(`${dialect}: entities and migrations disagree; a new migration would run:`);
      for (const query of pending.upQueries) console.error(`  ${query.query}`);
      process.exitCode = 1;
      return;
    }
    console.log(`${dialect}: entities and migrations agree`);

    for (let i = 0; i < applied.length; i++) await dataSource.undoLastMigration();
    const again = await dataSource.runMigrations();
    console.log(`${dialect}: reverted all and re-applied ${again.length} migrations`);
  } finally {
    await dataSource.destroy();
    await scratch.cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
