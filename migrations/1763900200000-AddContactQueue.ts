import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

export class AddContactQueue1763900200000 implements MigrationInterface {
  name = 'AddContactQueue1763900200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'contacts',
      new TableColumn({ name: 'next_call_at', type: 'datetime', isNullable: true }),
    );
    await queryRunner.createIndices('contacts', [
      new TableIndex({
        name: 'IDX_contacts_queue_due',
        columnNames: ['campaign_id', 'state', 'next_call_at'],
      }),
      new TableIndex({
        name: 'IDX_contacts_queue_language',
        columnNames: ['campaign_id', 'state', 'language'],
      }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('contacts', 'IDX_contacts_queue_language');
    await queryRunner.dropIndex('contacts', 'IDX_contacts_queue_due');
    await queryRunner.dropColumn('contacts', 'next_call_at');
  }
}
