import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * A counter every change of an agent's agenda increments in its transaction: the write that
 * serialises bookings of one agent on any MySQL-compatible engine (agent-lock.ts).
 */
export class AgentAgendaVersion1765900000000 implements MigrationInterface {
  name = 'AgentAgendaVersion1765900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const agents = await queryRunner.getTable('agents');
    if (agents?.findColumnByName('agenda_version')) return;
    await queryRunner.addColumn(
      'agents',
      new TableColumn({ name: 'agenda_version', type: 'integer', default: 0 }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('agents', 'agenda_version');
  }
}
