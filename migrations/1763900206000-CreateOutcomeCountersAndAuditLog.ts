import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { createdAtColumn, idColumn } from './lib/portable';

export class CreateOutcomeCountersAndAuditLog1763900206000 implements MigrationInterface {
  name = 'CreateOutcomeCountersAndAuditLog1763900206000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'outcome_counters',
        columns: [
          { name: 'day', type: 'varchar', length: '10', isPrimary: true },
          { name: 'campaign_id', type: 'integer', isPrimary: true },
          { name: 'operator_id', type: 'integer', isPrimary: true },
          { name: 'status_type', type: 'varchar', length: '1', isPrimary: true },
          { name: 'count', type: 'integer', default: 0 },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'audit_log',
        columns: [
          idColumn(),
          createdAtColumn(queryRunner, 'at'),
          { name: 'user_id', type: 'integer', isNullable: true },
          { name: 'action', type: 'varchar', length: '40' },
          { name: 'entity', type: 'varchar', length: '40' },
          { name: 'entity_id', type: 'integer', isNullable: true },
          { name: 'detail', type: 'varchar', length: '500', isNullable: true },
        ],
        indices: [{ name: 'IDX_audit_log_entity', columnNames: ['entity', 'entity_id'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('audit_log');
    await queryRunner.dropTable('outcome_counters');
  }
}
