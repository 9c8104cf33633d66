import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { createdAtColumn, idColumn } from './lib/portable';

export class CreateApiTokens1763900002000 implements MigrationInterface {
  name = 'CreateApiTokens1763900002000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'api_tokens',
        columns: [
          idColumn(),
          { name: 'user_id', type: 'integer' },
          { name: 'token_hash', type: 'varchar', length: '64' },
          { name: 'name', type: 'varchar', length: '100' },
          createdAtColumn(queryRunner),
          { name: 'expires_at', type: 'datetime' },
          { name: 'last_used_at', type: 'datetime', isNullable: true },
          { name: 'revoked_at', type: 'datetime', isNullable: true },
        ],
        indices: [
          { name: 'IDX_api_tokens_user_id', columnNames: ['user_id'] },
          { name: 'UQ_api_tokens_token_hash', columnNames: ['token_hash'], isUnique: true },
        ],
        foreignKeys: [
          {
            name: 'FK_api_tokens_user',
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
            onUpdate: 'NO ACTION',
          },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('api_tokens');
  }
}
