import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

const LEASE_INDEX = 'IDX_contact_leases_wrap_up';
const EVENT_INDEX = 'IDX_cti_events_wrap_up';

/**
 * The pending wrap-up belongs to the operator's lease (set when the call ends, gone when
 * the lease ends), no longer to the telephony event that ended the call: a wrap-up still
 * pending moves onto the lease it was for, and `cti_events` loses its wrap-up columns.
 * Each step skips what is there, so a run that died halfway runs again.
 */
export class LeaseWrapUp1765200100000 implements MigrationInterface {
  name = 'LeaseWrapUp1765200100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const leases = await queryRunner.getTable('contact_leases');
    if (!leases?.findColumnByName('wrap_up_at')) {
      await queryRunner.addColumn(
        'contact_leases',
        new TableColumn({ name: 'wrap_up_at', type: 'datetime', isNullable: true }),
      );
    }
    if (
      !(await queryRunner.getTable('contact_leases'))?.indices.some((i) => i.name === LEASE_INDEX)
    ) {
      await queryRunner.createIndex(
        'contact_leases',
        new TableIndex({ name: LEASE_INDEX, columnNames: ['wrap_up_at'] }),
      );
    }

    const events = await queryRunner.getTable('cti_events');
    if (!events?.findColumnByName('wrap_up_state')) return;
    // The call that ended during this lease, on its contact and operator.
    await queryRunner.query(
      `UPDATE contact_leases SET wrap_up_at = (
         SELECT MIN(e.wrap_up_at) FROM cti_events e
         WHERE e.wrap_up_state = 'pending' AND e.contact_id = contact_leases.contact_id
           AND e.operator_id = contact_leases.user_id AND e.created_at >= contact_leases.started_at)
       WHERE wrap_up_at IS NULL`,
    );
    if (events.indices.some((i) => i.name === EVENT_INDEX)) {
      await queryRunner.dropIndex('cti_events', EVENT_INDEX);
    }
    await queryRunner.dropColumn('cti_events', 'wrap_up_state');
    if ((await queryRunner.getTable('cti_events'))?.findColumnByName('wrap_up_at')) {
      await queryRunner.dropColumn('cti_events', 'wrap_up_at');
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'cti_events',
      new TableColumn({ name: 'wrap_up_at', type: 'datetime', isNullable: true }),
    );
    await queryRunner.addColumn(
      'cti_events',
      new TableColumn({ name: 'wrap_up_state', type: 'varchar', length: '10', isNullable: true }),
    );
    await queryRunner.createIndex(
      'cti_events',
      new TableIndex({ name: EVENT_INDEX, columnNames: ['wrap_up_state', 'wrap_up_at'] }),
    );
    await queryRunner.dropIndex('contact_leases', LEASE_INDEX);
    await queryRunner.dropColumn('contact_leases', 'wrap_up_at');
  }
}
