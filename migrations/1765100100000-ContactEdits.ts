import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * Contact data corrected during a call: an address and postcode of its own, more labelled
 * phones beside the main one; the call records what it changed (before → after) and the
 * number dialled. Each step skips what is there, so a run that died halfway runs again.
 */
export class ContactEdits1765100100000 implements MigrationInterface {
  name = 'ContactEdits1765100100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const contacts = await queryRunner.getTable('contacts');
    const toContacts: TableColumn[] = [
      new TableColumn({ name: 'address', type: 'varchar', length: '200', isNullable: true }),
      new TableColumn({ name: 'postal_code', type: 'varchar', length: '10', isNullable: true }),
      new TableColumn({ name: 'other_phones', type: 'text', isNullable: true }),
    ];
    for (const column of toContacts) {
      if (!contacts?.findColumnByName(column.name)) await queryRunner.addColumn('contacts', column);
    }
    const interactions = await queryRunner.getTable('interactions');
    const toInteractions: TableColumn[] = [
      new TableColumn({ name: 'contact_changes', type: 'text', isNullable: true }),
      new TableColumn({ name: 'dialled_phone', type: 'varchar', length: '20', isNullable: true }),
    ];
    for (const column of toInteractions) {
      if (!interactions?.findColumnByName(column.name)) {
        await queryRunner.addColumn('interactions', column);
      }
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('interactions', 'dialled_phone');
    await queryRunner.dropColumn('interactions', 'contact_changes');
    await queryRunner.dropColumn('contacts', 'other_phones');
    await queryRunner.dropColumn('contacts', 'postal_code');
    await queryRunner.dropColumn('contacts', 'address');
  }
}
