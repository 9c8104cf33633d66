import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { foreignKey } from './lib/foreign-key';

export class CreateContactLeases1763900203000 implements MigrationInterface {
  name = 'CreateContactLeases1763900203000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'contact_leases',
        columns: [
          { name: 'contact_id', type: 'integer', isPrimary: true },
          { name: 'user_id', type: 'integer' },
          { name: 'campaign_id', type: 'integer' },
          { name: 'callback_id', type: 'integer', isNullable: true },
          { name: 'previous_state', type: 'varchar', length: '16' },
          { name: 'started_at', type: 'datetime' },
          { name: 'expires_at', type: 'datetime' },
          { name: 'draft', type: 'text', isNullable: true },
        ],
        indices: [
          { name: 'UQ_contact_leases_user', columnNames: ['user_id'], isUnique: true },
          { name: 'IDX_contact_leases_expires', columnNames: ['expires_at'] },
        ],
        foreignKeys: [
          foreignKey('FK_contact_leases_contact', 'contact_id', 'contacts', 'CASCADE'),
          foreignKey('FK_contact_leases_user', 'user_id', 'users', 'CASCADE'),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('contact_leases');
  }
}
