import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * Each number on the do-not-call list says where it came from (a customer, the opposition
 * register with its file's date, an admin, an erasure), what it blocks (every call, or
 * marketing only) and until when (null: for good). Numbers already listed block every call
 * for good, as they did; those an erasure put there say so, the others were customers'.
 *
 * MySQL commits each DDL at once: every step skips what is already there, so a run that
 * died halfway can simply run again.
 */
export class DoNotCallScope1766100100000 implements MigrationInterface {
  name = 'DoNotCallScope1766100100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const columns = [
      new TableColumn({ name: 'source', type: 'varchar', length: '12', default: "'customer'" }),
      new TableColumn({ name: 'register_date', type: 'varchar', length: '10', isNullable: true }),
      new TableColumn({ name: 'scope', type: 'varchar', length: '12', default: "'all'" }),
      new TableColumn({ name: 'expires_at', type: 'datetime', isNullable: true }),
    ];
    for (const column of columns) {
      const table = await queryRunner.getTable('do_not_call_numbers');
      if (!table?.findColumnByName(column.name)) {
        await queryRunner.addColumn('do_not_call_numbers', column);
      }
    }
    await queryRunner.query(
      "UPDATE do_not_call_numbers SET source = 'erasure' WHERE reason LIKE 'erased:%'",
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ['expires_at', 'scope', 'register_date', 'source']) {
      await queryRunner.dropColumn('do_not_call_numbers', name);
    }
  }
}
