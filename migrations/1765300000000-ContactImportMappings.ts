import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';
import { foreignKey } from './lib/foreign-key';
import { idColumn, updatedAtColumn } from './lib/portable';

/**
 * How a campaign's lists name their columns: the mapping the coordinator chose for the last
 * file (header → contact field, another number, a custom field or nothing), offered for
 * the next one. One per campaign. An import may update the contacts whose phone is already
 * in the campaign: it counts them.
 */
export class ContactImportMappings1765300000000 implements MigrationInterface {
  name = 'ContactImportMappings1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const imports = await queryRunner.getTable('contact_imports');
    if (!imports?.findColumnByName('updated')) {
      await queryRunner.addColumn(
        'contact_imports',
        new TableColumn({ name: 'updated', type: 'integer', default: 0 }),
      );
    }
    if (await queryRunner.hasTable('contact_import_mappings')) return;
    await queryRunner.createTable(
      new Table({
        name: 'contact_import_mappings',
        columns: [
          idColumn(),
          { name: 'campaign_id', type: 'integer' },
          { name: 'columns', type: 'text' },
          { name: 'updated_by', type: 'integer', isNullable: true },
          updatedAtColumn(queryRunner),
        ],
        indices: [
          {
            name: 'UQ_contact_import_mappings_campaign',
            columnNames: ['campaign_id'],
            isUnique: true,
          },
        ],
        foreignKeys: [
          foreignKey('FK_contact_import_mappings_campaign', 'campaign_id', 'campaigns', 'CASCADE'),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('contact_import_mappings', true);
    await queryRunner.dropColumn('contact_imports', 'updated');
  }
}
