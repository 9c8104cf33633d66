import 'reflect-metadata';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions, databaseSettingsFromEnv } from './data-source';

/** For the TypeORM CLI (migration:run, migration:generate, the CI schema check). */
export default new DataSource({
  ...buildDataSourceOptions(databaseSettingsFromEnv()),
  entities: [join(__dirname, '..', '**', '*.entity.{ts,js}')],
});
