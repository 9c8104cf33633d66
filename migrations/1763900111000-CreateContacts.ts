import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { createdAtColumn, idColumn, updatedAtColumn } from './lib/portable';

export class CreateContacts1763900111000 implements MigrationInterface {
  name = 'CreateContacts1763900111000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'contacts',
        columns: [
          idColumn(),
          { name: 'campaign_id', type: 'integer' },
          { name: 'first_name', type: 'varchar', length: '100' },
          { name: 'last_name', type: 'varchar', length: '100' },
          { name: 'phone', type: 'varchar', length: '20' },
          { name: 'email', type: 'varchar', length: '254', isNullable: true },
          { name: 'language', type: 'varchar', length: '2', isNullable: true },
          { name: 'city', type: 'varchar', length: '100', isNullable: true },
          { name: 'province', type: 'varchar', length: '8', isNullable: true },
          { name: 'fields', type: 'text', isNullable: true },
          { name: 'state', type: 'varchar', length: '16', default: "'new'" },
          { name: 'attempts', type: 'integer', default: 0 },
          { name: 'last_status_id', type: 'integer', isNullable: true },
          { name: 'last_outcome_at', type: 'datetime', isNullable: true },
          createdAtColumn(queryRunner),
          updatedAtColumn(queryRunner),
        ],
        indices: [
          {
            name: 'UQ_contacts_campaign_phone',
            columnNames: ['campaign_id', 'phone'],
            isUnique: true,
          },
          { name: 'IDX_contacts_campaign_state', columnNames: ['campaign_id', 'state'] },
          { name: 'IDX_contacts_campaign_last_name', columnNames: ['campaign_id', 'last_name'] },
          { name: 'IDX_contacts_phone', columnNames: ['phone'] },
        ],
        foreignKeys: [
          {
            name: 'FK_contacts_campaign',
            columnNames: ['campaign_id'],
            referencedTableName: 'campaigns',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
            onUpdate: 'NO ACTION',
          },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('contacts');
  }
}
