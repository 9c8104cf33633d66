import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { foreignKey } from './lib/foreign-key';
import { updatedAtColumn } from './lib/portable';

/** Per campaign: after how many months without work its contacts are anonymised. */
export class RetentionRules1765800000000 implements MigrationInterface {
  name = 'RetentionRules1765800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (await queryRunner.hasTable('retention_rules')) return;
    await queryRunner.createTable(
      new Table({
        name: 'retention_rules',
        columns: [
          { name: 'campaign_id', type: 'integer', isPrimary: true },
          { name: 'months', type: 'integer' },
          { name: 'updated_by', type: 'integer', isNullable: true },
          updatedAtColumn(queryRunner),
        ],
        foreignKeys: [
          foreignKey('FK_retention_rules_campaign', 'campaign_id', 'campaigns', 'CASCADE'),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('retention_rules', true);
  }
}
