import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * A counter each booking of a callback slot increments in its transaction: the write that
 * serialises the slot's seats on any MySQL-compatible engine (a Galera cluster does not
 * certify SELECT ... FOR UPDATE).
 */
export class CallbackSlotLockVersion1765900100000 implements MigrationInterface {
  name = 'CallbackSlotLockVersion1765900100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const locks = await queryRunner.getTable('callback_slot_locks');
    if (locks?.findColumnByName('version')) return;
    await queryRunner.addColumn(
      'callback_slot_locks',
      new TableColumn({ name: 'version', type: 'integer', default: 0 }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('callback_slot_locks', 'version');
  }
}
