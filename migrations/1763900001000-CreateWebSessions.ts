import { MigrationInterface, QueryRunner, Table } from 'typeorm';

export class CreateWebSessions1763900001000 implements MigrationInterface {
  name = 'CreateWebSessions1763900001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'web_sessions',
        columns: [
          { name: 'id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'user_id', type: 'integer', isNullable: true },
          { name: 'data', type: 'text' },
          { name: 'expires_at', type: 'datetime' },
        ],
        indices: [
          { name: 'IDX_web_sessions_user_id', columnNames: ['user_id'] },
          { name: 'IDX_web_sessions_expires_at', columnNames: ['expires_at'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('web_sessions');
  }
}
