import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { foreignKey } from './lib/foreign-key';
import { booleanColumn, createdAtColumn, idColumn, updatedAtColumn } from './lib/portable';

/**
 * Webhooks: the endpoints admins register, and the outbox of deliveries (one row per event
 * per endpoint, written in the transaction that caused the event, emptied by the sender
 * job). The unique (endpoint, event) pair keeps one attempt sequence per event per endpoint.
 *
 * MySQL commits each DDL at once: every step skips what is already there, so a run that
 * died halfway can simply run again.
 */
export class Webhooks1765700000000 implements MigrationInterface {
  name = 'Webhooks1765700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (!(await queryRunner.hasTable('webhook_endpoints'))) {
      await queryRunner.createTable(
        new Table({
          name: 'webhook_endpoints',
          columns: [
            idColumn(),
            { name: 'url', type: 'varchar', length: '2000' },
            { name: 'events', type: 'varchar', length: '400' },
            { name: 'secret', type: 'varchar', length: '200' },
            booleanColumn(queryRunner, 'active', true),
            { name: 'paused_at', type: 'datetime', isNullable: true },
            { name: 'pause_reason', type: 'varchar', length: '300', isNullable: true },
            { name: 'consecutive_failures', type: 'integer', default: 0 },
            { name: 'failing_since', type: 'datetime', isNullable: true },
            { name: 'created_by', type: 'integer', isNullable: true },
            createdAtColumn(queryRunner),
            updatedAtColumn(queryRunner),
          ],
          indices: [{ name: 'IDX_webhook_endpoints_active', columnNames: ['active'] }],
        }),
      );
    }
    if (!(await queryRunner.hasTable('webhook_deliveries'))) {
      await queryRunner.createTable(
        new Table({
          name: 'webhook_deliveries',
          columns: [
            idColumn(),
            { name: 'endpoint_id', type: 'integer' },
            { name: 'event_id', type: 'varchar', length: '36' },
            { name: 'event_type', type: 'varchar', length: '40' },
            { name: 'payload', type: 'text' },
            { name: 'state', type: 'varchar', length: '10', default: "'queued'" },
            { name: 'attempts', type: 'integer', default: 0 },
            { name: 'next_attempt_at', type: 'datetime' },
            { name: 'claimed_by', type: 'varchar', length: '40', isNullable: true },
            { name: 'claim_until', type: 'datetime', isNullable: true },
            { name: 'last_status_code', type: 'integer', isNullable: true },
            { name: 'last_error', type: 'varchar', length: '500', isNullable: true },
            { name: 'last_attempt_at', type: 'datetime', isNullable: true },
            { name: 'delivered_at', type: 'datetime', isNullable: true },
            createdAtColumn(queryRunner),
          ],
          indices: [
            {
              name: 'UQ_webhook_deliveries_endpoint_event',
              columnNames: ['endpoint_id', 'event_id'],
              isUnique: true,
            },
            { name: 'IDX_webhook_deliveries_queue', columnNames: ['state', 'next_attempt_at'] },
            { name: 'IDX_webhook_deliveries_claim', columnNames: ['state', 'claim_until'] },
          ],
          foreignKeys: [
            foreignKey(
              'FK_webhook_deliveries_endpoint',
              'endpoint_id',
              'webhook_endpoints',
              'CASCADE',
            ),
          ],
        }),
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('webhook_deliveries', true);
    await queryRunner.dropTable('webhook_endpoints', true);
  }
}
