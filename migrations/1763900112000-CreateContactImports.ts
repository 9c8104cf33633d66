import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { createdAtColumn, idColumn } from './lib/portable';

export class CreateContactImports1763900112000 implements MigrationInterface {
  name = 'CreateContactImports1763900112000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'contact_imports',
        columns: [
          idColumn(),
          { name: 'import_key', type: 'varchar', length: '64' },
          { name: 'campaign_id', type: 'integer' },
          { name: 'user_id', type: 'integer', isNullable: true },
          { name: 'file_name', type: 'varchar', length: '255', isNullable: true },
          { name: 'state', type: 'varchar', length: '8', default: "'running'" },
          { name: 'processed', type: 'integer', default: 0 },
          { name: 'imported', type: 'integer', default: 0 },
          { name: 'skipped', type: 'integer', default: 0 },
          { name: 'skipped_do_not_call', type: 'integer', default: 0 },
          { name: 'skipped_duplicates', type: 'integer', default: 0 },
          { name: 'errors', type: 'text' },
          { name: 'error_count', type: 'integer', default: 0 },
          { name: 'failure', type: 'varchar', length: '500', isNullable: true },
          createdAtColumn(queryRunner, 'started_at'),
          { name: 'finished_at', type: 'datetime', isNullable: true },
        ],
        indices: [
          { name: 'IDX_contact_imports_campaign', columnNames: ['campaign_id'] },
          { name: 'UQ_contact_imports_key', columnNames: ['import_key'], isUnique: true },
        ],
        foreignKeys: [
          {
            name: 'FK_contact_imports_campaign',
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
    await queryRunner.dropTable('contact_imports');
  }
}
