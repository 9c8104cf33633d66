import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { idColumn } from './lib/portable';

export class CreateLoginFailures1763900003000 implements MigrationInterface {
  name = 'CreateLoginFailures1763900003000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'login_failures',
        columns: [
          idColumn(),
          { name: 'username', type: 'varchar', length: '64' },
          { name: 'address', type: 'varchar', length: '64' },
          { name: 'attempted_at', type: 'datetime' },
        ],
        indices: [
          { name: 'IDX_login_failures_username_at', columnNames: ['username', 'attempted_at'] },
          { name: 'IDX_login_failures_address_at', columnNames: ['address', 'attempted_at'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('login_failures');
  }
}
