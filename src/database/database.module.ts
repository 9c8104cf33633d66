import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfigService } from '../config/app-config.service';
import { SerialisationPoint } from '../common/database/serialisation-point.entity';
import { AppSetting } from './app-setting.entity';
import { AppSettingsService } from './app-settings.service';
import { buildDataSourceOptions } from './data-source';
import { runPendingMigrations } from './migrate';
import { detectMysqlFlavour } from './mysql-flavour';
import { serializeSqliteTransactions } from './sqlite-transactions';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfigService],
      useFactory: async (config: AppConfigService) => {
        const url = config.get('DATABASE_URL');
        return {
          ...buildDataSourceOptions({
            url,
            dataDir: config.get('DATA_DIR'),
            poolSize: config.get('DATABASE_POOL_SIZE'),
            flavour: url ? await detectMysqlFlavour(url) : undefined,
          }),
          autoLoadEntities: true,
        };
      },
      dataSourceFactory: async (options) => {
        const dataSource = await new DataSource(options!).initialize();
        serializeSqliteTransactions(dataSource);
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
