import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { booleanColumn, createdAtColumn, idColumn, updatedAtColumn } from './lib/portable';

export class CreateUsers1763900000000 implements MigrationInterface {
  name = 'CreateUsers1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          idColumn(),
          { name: 'username', type: 'varchar', length: '64' },
          { name: 'password_hash', type: 'varchar', length: '255' },
          { name: 'display_name', type: 'varchar', length: '120' },
          { name: 'role', type: 'varchar', length: '16' },
          { name: 'languages', type: 'text', isNullable: true },
          { name: 'ui_language', type: 'varchar', length: '2', isNullable: true },
          booleanColumn(queryRunner, 'active', true),
          { name: 'last_login_at', type: 'datetime', isNullable: true },
          createdAtColumn(queryRunner),
          updatedAtColumn(queryRunner),
        ],
        indices: [{ name: 'UQ_users_username', columnNames: ['username'], isUnique: true }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('users');
  }
}
