import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

const ADDED: Record<string, TableColumn[]> = {
  campaigns: [new TableColumn({ name: 'travel_buffer_minutes', type: 'integer', default: 0 })],
  agents: [
    new TableColumn({ name: 'calendar_token', type: 'varchar', length: '64', isNullable: true }),
  ],
  appointments: [
    new TableColumn({ name: 'state_reason', type: 'varchar', length: '500', isNullable: true }),
    new TableColumn({ name: 'changed_by', type: 'integer', isNullable: true }),
    new TableColumn({ name: 'sequence', type: 'integer', default: 0 }),
  ],
};

const INDICES: Array<[string, TableIndex]> = [
  [
    'agents',
    new TableIndex({
      name: 'UQ_agents_calendar_token',
      columnNames: ['calendar_token'],
      isUnique: true,
    }),
  ],
  ['appointments', new TableIndex({ name: 'IDX_appointments_starts', columnNames: ['starts_at'] })],
];

/**
 * The agenda: a travel buffer between an agent's visits per campaign, the agents' calendar
 * feed secret, and what the agenda page records when an appointment is moved or closed.
 *
 * MySQL commits each DDL at once: every step skips what is already there, so a run that
 * died halfway can simply run again.
 */
export class AgendaAndCalendars1763900500000 implements MigrationInterface {
  name = 'AgendaAndCalendars1763900500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const [name, columns] of Object.entries(ADDED)) {
      const table = await queryRunner.getTable(name);
      const missing = columns.filter((c) => !table?.findColumnByName(c.name));
      // One call per table: SQLite rebuilds the table once for all of them.
      if (missing.length > 0) await queryRunner.addColumns(name, missing);
    }
    for (const [name, index] of INDICES) {
      const table = await queryRunner.getTable(name);
      if (!table?.indices.some((i) => i.name === index.name)) {
        await queryRunner.createIndex(name, index);
      }
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [name, index] of [...INDICES].reverse()) {
      await queryRunner.dropIndex(name, index);
    }
    for (const [name, columns] of Object.entries(ADDED)) {
      await queryRunner.dropColumns(name, columns);
    }
  }
}
