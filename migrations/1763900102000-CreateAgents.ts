import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { booleanColumn, createdAtColumn, idColumn, updatedAtColumn } from './lib/portable';

export class CreateAgents1763900102000 implements MigrationInterface {
  name = 'CreateAgents1763900102000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'agents',
        columns: [
          idColumn(),
          { name: 'name', type: 'varchar', length: '120' },
          { name: 'email', type: 'varchar', length: '254', isNullable: true },
          { name: 'phone', type: 'varchar', length: '32', isNullable: true },
          { name: 'zones', type: 'text' },
          { name: 'working_hours', type: 'text' },
          booleanColumn(queryRunner, 'active', true),
          createdAtColumn(queryRunner),
          updatedAtColumn(queryRunner),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('agents');
  }
}
