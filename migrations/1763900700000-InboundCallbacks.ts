import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { foreignKey } from './lib/foreign-key';
import { booleanColumn, createdAtColumn, idColumn, updatedAtColumn } from './lib/portable';

const EXTENSION_INDEX = { name: 'UQ_users_extension', columnNames: ['extension'], isUnique: true };

/**
 * Inbound callback offers and telephony integration: per campaign the callback slots'
 * length, lead time and capacity (per weekday and hour), one lock row per slot, the
 * callers' requests, slots offered and accepted per day, the public page's submissions
 * (its per-address and per-number limits), the operators' phone extension and the
 * telephony events.
 *
 * MySQL commits each DDL at once: every step skips what is already there, so a run that
 * died halfway can simply run again.
 */
export class InboundCallbacks1763900700000 implements MigrationInterface {
  name = 'InboundCallbacks1763900700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const users = await queryRunner.getTable('users');
    if (!users?.findColumnByName('extension')) {
      await queryRunner.addColumn(
        'users',
        new TableColumn({ name: 'extension', type: 'varchar', length: '32', isNullable: true }),
      );
    }
    const indexed = await queryRunner.getTable('users');
    if (!indexed?.indices.some((i) => i.name === EXTENSION_INDEX.name)) {
      await queryRunner.createIndex('users', new TableIndex(EXTENSION_INDEX));
    }
    if (!(await queryRunner.hasTable('callback_offer_settings'))) {
      await queryRunner.createTable(
        new Table({
          name: 'callback_offer_settings',
          columns: [
            { name: 'campaign_id', type: 'integer', isPrimary: true },
            { name: 'slot_minutes', type: 'integer', default: 30 },
            { name: 'lead_minutes', type: 'integer', default: 15 },
            { name: 'default_capacity', type: 'integer', default: 0 },
            { name: 'days_ahead', type: 'integer', default: 7 },
            booleanColumn(queryRunner, 'public_page', false),
            { name: 'wrap_up_seconds', type: 'integer', isNullable: true },
            { name: 'wrap_up_status_id', type: 'integer', isNullable: true },
            updatedAtColumn(queryRunner),
          ],
          foreignKeys: [
            foreignKey(
              'FK_callback_offer_settings_campaign',
              'campaign_id',
              'campaigns',
              'CASCADE',
            ),
            foreignKey(
              'FK_callback_offer_settings_status',
              'wrap_up_status_id',
              'outcome_statuses',
              'SET NULL',
            ),
          ],
        }),
      );
    }
    if (!(await queryRunner.hasTable('callback_capacities'))) {
      await queryRunner.createTable(
        new Table({
          name: 'callback_capacities',
          columns: [
            { name: 'campaign_id', type: 'integer', isPrimary: true },
            { name: 'day', type: 'smallint', isPrimary: true },
            { name: 'hour', type: 'smallint', isPrimary: true },
            { name: 'capacity', type: 'integer' },
          ],
          foreignKeys: [
            foreignKey('FK_callback_capacities_campaign', 'campaign_id', 'campaigns', 'CASCADE'),
          ],
        }),
      );
    }
    if (!(await queryRunner.hasTable('callback_slot_locks'))) {
      await queryRunner.createTable(
        new Table({
          name: 'callback_slot_locks',
          columns: [
            { name: 'campaign_id', type: 'integer', isPrimary: true },
            { name: 'slot_start', type: 'datetime', isPrimary: true },
          ],
          foreignKeys: [
            foreignKey('FK_callback_slot_locks_campaign', 'campaign_id', 'campaigns', 'CASCADE'),
          ],
        }),
      );
    }
    if (!(await queryRunner.hasTable('callback_requests'))) {
      await queryRunner.createTable(
        new Table({
          name: 'callback_requests',
          columns: [
            idColumn(),
            { name: 'campaign_id', type: 'integer' },
            { name: 'contact_id', type: 'integer' },
            { name: 'callback_id', type: 'integer', isNullable: true },
            { name: 'phone', type: 'varchar', length: '20' },
            { name: 'name', type: 'varchar', length: '120', isNullable: true },
            { name: 'reason', type: 'varchar', length: '200', isNullable: true },
            { name: 'context', type: 'text', isNullable: true },
            { name: 'slot_start', type: 'datetime' },
            { name: 'slot_end', type: 'datetime' },
            { name: 'source', type: 'varchar', length: '8' },
            { name: 'client_ip', type: 'varchar', length: '45', isNullable: true },
            { name: 'requested_by', type: 'integer', isNullable: true },
            { name: 'state', type: 'varchar', length: '12', default: "'booked'" },
            { name: 'attempts', type: 'integer', default: 0 },
            { name: 'first_attempt_at', type: 'datetime', isNullable: true },
            { name: 'served_at', type: 'datetime', isNullable: true },
            { name: 'late_at', type: 'datetime', isNullable: true },
            { name: 'closed_at', type: 'datetime', isNullable: true },
            createdAtColumn(queryRunner),
            updatedAtColumn(queryRunner),
          ],
          indices: [
            {
              name: 'IDX_callback_requests_slot',
              columnNames: ['campaign_id', 'slot_start', 'state'],
            },
            { name: 'IDX_callback_requests_phone', columnNames: ['campaign_id', 'phone', 'state'] },
            { name: 'IDX_callback_requests_state_end', columnNames: ['state', 'slot_end'] },
            { name: 'IDX_callback_requests_contact', columnNames: ['contact_id', 'state'] },
            { name: 'IDX_callback_requests_ip', columnNames: ['client_ip', 'created_at'] },
            {
              name: 'IDX_callback_requests_campaign_created',
              columnNames: ['campaign_id', 'created_at'],
            },
          ],
          foreignKeys: [
            foreignKey('FK_callback_requests_campaign', 'campaign_id', 'campaigns', 'CASCADE'),
            foreignKey('FK_callback_requests_contact', 'contact_id', 'contacts', 'CASCADE'),
            foreignKey('FK_callback_requests_callback', 'callback_id', 'callbacks', 'SET NULL'),
            foreignKey('FK_callback_requests_user', 'requested_by', 'users', 'SET NULL'),
          ],
        }),
      );
    }
    if (!(await queryRunner.hasTable('callback_offer_days'))) {
      await queryRunner.createTable(
        new Table({
          name: 'callback_offer_days',
          columns: [
            { name: 'campaign_id', type: 'integer', isPrimary: true },
            { name: 'day', type: 'varchar', length: '10', isPrimary: true },
            { name: 'source', type: 'varchar', length: '8', isPrimary: true },
            { name: 'offered', type: 'integer', default: 0 },
            { name: 'accepted', type: 'integer', default: 0 },
          ],
          foreignKeys: [
            foreignKey('FK_callback_offer_days_campaign', 'campaign_id', 'campaigns', 'CASCADE'),
          ],
        }),
      );
    }
    if (!(await queryRunner.hasTable('callback_web_submissions'))) {
      await queryRunner.createTable(
        new Table({
          name: 'callback_web_submissions',
          columns: [
            idColumn(),
            { name: 'campaign_id', type: 'integer' },
            { name: 'client_ip', type: 'varchar', length: '45' },
            { name: 'phone', type: 'varchar', length: '20' },
            { name: 'created_at', type: 'datetime' },
          ],
          indices: [
            {
              name: 'IDX_callback_web_submissions_ip',
              columnNames: ['campaign_id', 'client_ip', 'created_at'],
            },
            {
              name: 'IDX_callback_web_submissions_phone',
              columnNames: ['campaign_id', 'phone', 'created_at'],
            },
          ],
          foreignKeys: [
            foreignKey(
              'FK_callback_web_submissions_campaign',
              'campaign_id',
              'campaigns',
              'CASCADE',
            ),
          ],
        }),
      );
    }
    if (!(await queryRunner.hasTable('cti_events'))) {
      await queryRunner.createTable(
        new Table({
          name: 'cti_events',
          columns: [
            idColumn(),
            { name: 'operator_id', type: 'integer' },
            { name: 'type', type: 'varchar', length: '16' },
            { name: 'call_id', type: 'varchar', length: '100' },
            { name: 'phone', type: 'varchar', length: '20' },
            { name: 'contact_id', type: 'integer', isNullable: true },
            { name: 'campaign_id', type: 'integer', isNullable: true },
            { name: 'wrap_up_at', type: 'datetime', isNullable: true },
            { name: 'wrap_up_state', type: 'varchar', length: '10', isNullable: true },
            createdAtColumn(queryRunner),
          ],
          indices: [
            { name: 'IDX_cti_events_operator', columnNames: ['operator_id', 'id'] },
            { name: 'IDX_cti_events_wrap_up', columnNames: ['wrap_up_state', 'wrap_up_at'] },
          ],
          foreignKeys: [
            foreignKey('FK_cti_events_operator', 'operator_id', 'users', 'CASCADE'),
            foreignKey('FK_cti_events_contact', 'contact_id', 'contacts', 'SET NULL'),
            foreignKey('FK_cti_events_campaign', 'campaign_id', 'campaigns', 'SET NULL'),
          ],
        }),
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('cti_events');
    await queryRunner.dropTable('callback_web_submissions');
    await queryRunner.dropTable('callback_offer_days');
    await queryRunner.dropTable('callback_requests');
    await queryRunner.dropTable('callback_slot_locks');
    await queryRunner.dropTable('callback_capacities');
    await queryRunner.dropTable('callback_offer_settings');
    await queryRunner.dropIndex('users', EXTENSION_INDEX.name);
    await queryRunner.dropColumn('users', 'extension');
  }
}
