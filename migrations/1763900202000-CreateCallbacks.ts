import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { foreignKey } from './lib/foreign-key';
import { createdAtColumn, idColumn, updatedAtColumn } from './lib/portable';

export class CreateCallbacks1763900202000 implements MigrationInterface {
  name = 'CreateCallbacks1763900202000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'callbacks',
        columns: [
          idColumn(),
          { name: 'contact_id', type: 'integer' },
          { name: 'campaign_id', type: 'integer' },
          { name: 'owner_id', type: 'integer', isNullable: true },
          { name: 'visibility', type: 'varchar', length: '8' },
          { name: 'state', type: 'varchar', length: '12', default: "'scheduled'" },
          { name: 'due_at', type: 'datetime' },
          { name: 'notes', type: 'text', isNullable: true },
          { name: 'reason', type: 'varchar', length: '200', isNullable: true },
          { name: 'interaction_id', type: 'integer', isNullable: true },
          { name: 'closed_at', type: 'datetime', isNullable: true },
          createdAtColumn(queryRunner),
          updatedAtColumn(queryRunner),
        ],
        indices: [
          {
            name: 'IDX_callbacks_campaign_queue',
            columnNames: ['campaign_id', 'visibility', 'state', 'due_at'],
          },
          { name: 'IDX_callbacks_owner_queue', columnNames: ['owner_id', 'state', 'due_at'] },
          { name: 'IDX_callbacks_contact_state', columnNames: ['contact_id', 'state'] },
        ],
        foreignKeys: [
          foreignKey('FK_callbacks_contact', 'contact_id', 'contacts', 'CASCADE'),
          foreignKey('FK_callbacks_campaign', 'campaign_id', 'campaigns', 'CASCADE'),
          foreignKey('FK_callbacks_owner', 'owner_id', 'users', 'SET NULL'),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('callbacks');
  }
}
