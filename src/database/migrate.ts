import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

const LOCK = 'esito_schema_migrations';

/**
 * Applies pending migrations at start-up. On MySQL a named lock makes instances that
 * start together take turns: the first migrates, the others then find nothing pending.
 */
export async function runPendingMigrations(dataSource: DataSource): Promise<void> {
  const logger = new Logger('Migrations');
  const mysql = dataSource.options.type === 'mysql' || dataSource.options.type === 'mariadb';
  const runner = dataSource.createQueryRunner();
  try {
    if (mysql) {
      const [row] = (await runner.query('SELECT GET_LOCK(?, 120) AS locked', [LOCK])) as Array<{
        locked: number | string;
      }>;
      if (Number(row?.locked) !== 1)
        throw new Error('could not take the migration lock within 120 s');
    }
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (applied.length > 0) logger.log(`applied ${applied.map((m) => m.name).join(', ')}`);
  } finally {
    if (mysql) await runner.query('SELECT RELEASE_LOCK(?)', [LOCK]);
    await runner.release();
  }
}
