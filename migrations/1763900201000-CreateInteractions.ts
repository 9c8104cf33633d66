import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { foreignKey } from './lib/foreign-key';
import { createdAtColumn, idColumn } from './lib/portable';

export class CreateInteractions1763900201000 implements MigrationInterface {
  name = 'CreateInteractions1763900201000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'interactions',
        columns: [
          idColumn(),
          { name: 'contact_id', type: 'integer' },
          { name: 'campaign_id', type: 'integer' },
          { name: 'operator_id', type: 'integer', isNullable: true },
          { name: 'status_id', type: 'integer' },
          { name: 'status_type', type: 'varchar', length: '1' },
          { name: 'notes', type: 'text', isNullable: true },
          { name: 'answers', type: 'text', isNullable: true },
          { name: 'started_at', type: 'datetime' },
          { name: 'duration_seconds', type: 'integer' },
          { name: 'callback_id', type: 'integer', isNullable: true },
          { name: 'contract_id', type: 'integer', isNullable: true },
          { name: 'appointment_id', type: 'integer', isNullable: true },
          createdAtColumn(queryRunner),
        ],
        indices: [
          { name: 'IDX_interactions_contact', columnNames: ['contact_id', 'id'] },
          { name: 'IDX_interactions_operator_created', columnNames: ['operator_id', 'created_at'] },
          { name: 'IDX_interactions_campaign_created', columnNames: ['campaign_id', 'created_at'] },
        ],
        foreignKeys: [
          foreignKey('FK_interactions_contact', 'contact_id', 'contacts', 'CASCADE'),
          foreignKey('FK_interactions_campaign', 'campaign_id', 'campaigns', 'CASCADE'),
          foreignKey('FK_interactions_operator', 'operator_id', 'users', 'SET NULL'),
          foreignKey('FK_interactions_status', 'status_id', 'outcome_statuses', 'RESTRICT'),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('interactions');
  }
}
