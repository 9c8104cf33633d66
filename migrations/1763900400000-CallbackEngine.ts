import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

const COLUMNS = [
  // The answers of the call that set the callback (JSON by step id).
  { name: 'answers', type: 'text', isNullable: true },
  // When owner and visibility were last set: the escalation grace runs from it.
  { name: 'assigned_at', type: 'datetime', isNullable: true },
  { name: 'escalated_at', type: 'datetime', isNullable: true },
  { name: 'escalation_reason', type: 'varchar', length: '100', isNullable: true },
];

/** The jobs' index: scheduled callbacks falling due and active ones expiring, in due order. */
const STATE_DUE = { name: 'IDX_callbacks_state_due', columnNames: ['state', 'due_at'] };

/**
 * The callback engine: the call's answers kept with the callback, when and why a private
 * callback was escalated, and the index the jobs claim their rows through.
 *
 * MySQL commits each DDL at once: every step skips what is already there, so a run that
 * died halfway can simply run again.
 */
export class CallbackEngine1763900400000 implements MigrationInterface {
  name = 'CallbackEngine1763900400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const table = await queryRunner.getTable('callbacks');
    const missing = COLUMNS.filter((c) => !table?.findColumnByName(c.name)).map(
      (c) => new TableColumn(c),
    );
    // One call: SQLite rebuilds the table once for all of them.
    if (missing.length > 0) await queryRunner.addColumns('callbacks', missing);
    const indexed = await queryRunner.getTable('callbacks');
    if (!indexed?.indices.some((i) => i.name === STATE_DUE.name)) {
      await queryRunner.createIndex('callbacks', new TableIndex(STATE_DUE));
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('callbacks', STATE_DUE.name);
    await queryRunner.dropColumns(
      'callbacks',
      COLUMNS.map((c) => c.name),
    );
  }
}
