import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { booleanColumn, createdAtColumn, idColumn, updatedAtColumn } from './lib/portable';

export class CreateOutcomeStatuses1763900100000 implements MigrationInterface {
  name = 'CreateOutcomeStatuses1763900100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'outcome_statuses',
        columns: [
          idColumn(),
          { name: 'code', type: 'varchar', length: '32' },
          { name: 'label', type: 'varchar', length: '120' },
          { name: 'label_en', type: 'varchar', length: '120', isNullable: true },
          { name: 'type', type: 'varchar', length: '1' },
          { name: 'color', type: 'varchar', length: '7' },
          booleanColumn(queryRunner, 'quick', false),
          { name: 'quick_order', type: 'integer', isNullable: true },
          { name: 'callback_visibility', type: 'varchar', length: '8', isNullable: true },
          { name: 'retry_after_minutes', type: 'integer', isNullable: true },
          { name: 'max_attempts', type: 'integer', isNullable: true },
          booleanColumn(queryRunner, 'do_not_call', false),
          { name: 'archived_at', type: 'datetime', isNullable: true },
          createdAtColumn(queryRunner),
          updatedAtColumn(queryRunner),
        ],
        indices: [{ name: 'UQ_outcome_statuses_code', columnNames: ['code'], isUnique: true }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('outcome_statuses');
  }
}
