import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { createdAtColumn } from './lib/portable';

export class CreateDoNotCallNumbers1763900110000 implements MigrationInterface {
  name = 'CreateDoNotCallNumbers1763900110000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'do_not_call_numbers',
        columns: [
          { name: 'phone', type: 'varchar', length: '20', isPrimary: true },
          { name: 'reason', type: 'varchar', length: '200', isNullable: true },
          { name: 'added_by', type: 'integer', isNullable: true },
          createdAtColumn(queryRunner),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('do_not_call_numbers');
  }
}
