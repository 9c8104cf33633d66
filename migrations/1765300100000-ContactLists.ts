import {
  MigrationInterface,
  QueryRunner,
  Table,
  TableColumn,
  TableForeignKey,
  TableIndex,
} from 'typeorm';
import { foreignKey } from './lib/foreign-key';
import { booleanColumn, createdAtColumn, idColumn } from './lib/portable';

/**
 * Lists: every import (and every contact added by the API with a listId) belongs to one,
 * which can be paused (its contacts are not dispatched) and recycled (its contacts whose
 * last outcome is one of some statuses go back to the queue). A recycle asked twice with
 * one key is done once. Contacts from before have no list.
 */
export class ContactLists1765300100000 implements MigrationInterface {
  name = 'ContactLists1765300100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (!(await queryRunner.hasTable('contact_lists'))) {
      await queryRunner.createTable(
        new Table({
          name: 'contact_lists',
          columns: [
            idColumn(),
            { name: 'campaign_id', type: 'integer' },
            { name: 'name', type: 'varchar', length: '200' },
            { name: 'source_file', type: 'varchar', length: '255', isNullable: true },
            { name: 'created_by', type: 'integer', isNullable: true },
            { ...booleanColumn(queryRunner, 'active', true) },
            createdAtColumn(queryRunner),
          ],
          indices: [{ name: 'IDX_contact_lists_campaign', columnNames: ['campaign_id'] }],
          foreignKeys: [
            foreignKey('FK_contact_lists_campaign', 'campaign_id', 'campaigns', 'CASCADE'),
          ],
        }),
      );
    }
    if (!(await queryRunner.hasTable('contact_list_recycles'))) {
      await queryRunner.createTable(
        new Table({
          name: 'contact_list_recycles',
          columns: [
            idColumn(),
            { name: 'list_id', type: 'integer' },
            { name: 'request_key', type: 'varchar', length: '64' },
            { name: 'status_ids', type: 'text' },
            { name: 'requeued', type: 'integer' },
            { name: 'created_by', type: 'integer', isNullable: true },
            createdAtColumn(queryRunner),
          ],
          indices: [
            {
              name: 'UQ_contact_list_recycles_key',
              columnNames: ['list_id', 'request_key'],
              isUnique: true,
            },
          ],
          foreignKeys: [
            foreignKey('FK_contact_list_recycles_list', 'list_id', 'contact_lists', 'CASCADE'),
          ],
        }),
      );
    }
    const contacts = await queryRunner.getTable('contacts');
    if (!contacts?.findColumnByName('list_id')) {
      await queryRunner.addColumn(
        'contacts',
        new TableColumn({ name: 'list_id', type: 'integer', isNullable: true }),
      );
      await queryRunner.createIndex(
        'contacts',
        new TableIndex({ name: 'IDX_contacts_list_state', columnNames: ['list_id', 'state'] }),
      );
      await queryRunner.createForeignKey(
        'contacts',
        new TableForeignKey(foreignKey('FK_contacts_list', 'list_id', 'contact_lists', 'SET NULL')),
      );
    }
    const imports = await queryRunner.getTable('contact_imports');
    if (!imports?.findColumnByName('list_id')) {
      await queryRunner.addColumn(
        'contact_imports',
        new TableColumn({ name: 'list_id', type: 'integer', isNullable: true }),
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('contact_imports', 'list_id');
    await queryRunner.dropForeignKey('contacts', 'FK_contacts_list');
    await queryRunner.dropIndex('contacts', 'IDX_contacts_list_state');
    await queryRunner.dropColumn('contacts', 'list_id');
    await queryRunner.dropTable('contact_list_recycles', true);
    await queryRunner.dropTable('contact_lists', true);
  }
}
