import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfigService } from '../config/app-config.service';
import { SerialisationPoint } from '../common/database/serialisation-point.entity';
import { AppSetting } from './app-setting.entity';
import { AppSettingsService } from './app-settings.service';
import { buildDataSourceOptions } from './data-source';
import { runPendingMigrations } from './migrate';
import { detectMysqlServer, isGaleraNode, resolveCausalReads } from './mysql-flavour';
import { spreadOneRowClaims } from '../common/database/row-lock';
import { serializeSqliteTransactions } from './sqlite-transactions';

/** On a Galera cluster an operator's next claims one of the queue's first 8 free rows. */
const CLAIM_SPREAD = 8;

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfigService],
      useFactory: async (config: AppConfigService) => {
        const url = config.get('DATABASE_URL');
        const server = url ? await detectMysqlServer(url) : undefined;
        return {
          ...buildDataSourceOptions({
            url,
            dataDir: config.get('DATA_DIR'),
            poolSize: config.get('DATABASE_POOL_SIZE'),
            flavour: server?.flavour,
            causalReads: server
              ? resolveCausalReads(config.get('DATABASE_CAUSAL_READS'), server)
              : false,
          }),
          autoLoadEntities: true,
        };
      },
      dataSourceFactory: async (options) => {
        const dataSource = await new DataSource(options!).initialize();
        serializeSqliteTransactions(dataSource);
        if (await isGaleraNode(dataSource)) spreadOneRowClaims(dataSource, CLAIM_SPREAD);
        await runPendingMigrations(dataSource);
        return dataSource;
      },
    }),
    TypeOrmModule.forFeature([AppSetting, SerialisationPoint]),
  ],
  providers: [AppSettingsService],
  exports: [AppSettingsService],
})
export class DatabaseModule {}
