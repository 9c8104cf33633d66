import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { idColumn } from './lib/portable';

export class CreateAgentAbsences1763900103000 implements MigrationInterface {
  name = 'CreateAgentAbsences1763900103000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'agent_absences',
        columns: [
          idColumn(),
          { name: 'agent_id', type: 'integer' },
          { name: 'starts_at', type: 'datetime' },
          { name: 'ends_at', type: 'datetime' },
          { name: 'reason', type: 'varchar', length: '200', isNullable: true },
        ],
        indices: [
          { name: 'IDX_agent_absences_agent_starts', columnNames: ['agent_id', 'starts_at'] },
        ],
        foreignKeys: [
          {
            name: 'FK_agent_absences_agent',
            columnNames: ['agent_id'],
            referencedTableName: 'agents',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
            onUpdate: 'NO ACTION',
          },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('agent_absences');
  }
}
