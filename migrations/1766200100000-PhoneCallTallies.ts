import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * The frequency cap across campaigns: how many times each number was called on a local
 * day, when last and by which campaign, written with each call's lease. Its settings live
 * in app_settings (key frequency_cap), which needs no change.
 */
export class PhoneCallTallies1766200100000 implements MigrationInterface {
  name = 'PhoneCallTallies1766200100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (await queryRunner.hasTable('phone_call_tallies')) return;
    await queryRunner.createTable(
      new Table({
        name: 'phone_call_tallies',
        columns: [
          { name: 'phone', type: 'varchar', length: '20', isPrimary: true },
          { name: 'day', type: 'varchar', length: '10', isPrimary: true },
          { name: 'calls', type: 'integer', default: 0 },
          { name: 'last_call_at', type: 'datetime', isNullable: true },
          { name: 'last_campaign_id', type: 'integer', isNullable: true },
        ],
        indices: [{ name: 'IDX_phone_call_tallies_day', columnNames: ['day'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('phone_call_tallies', true);
  }
}
