import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * An operator's own private callbacks are one index range: with visibility in the key, the
 * claim no longer walks (and locks) the public callbacks the same operator agreed, which
 * other operators must be able to take.
 */
export class OwnerCallbackQueueByVisibility1763900207000 implements MigrationInterface {
  name = 'OwnerCallbackQueueByVisibility1763900207000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Created before the old one goes: MySQL keeps an index on owner_id for its foreign key.
    await queryRunner.createIndex(
      'callbacks',
      new TableIndex({
        name: 'IDX_callbacks_owner_queue_v',
        columnNames: ['owner_id', 'visibility', 'state', 'due_at'],
      }),
    );
    await queryRunner.dropIndex('callbacks', 'IDX_callbacks_owner_queue');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'callbacks',
      new TableIndex({
        name: 'IDX_callbacks_owner_queue',
        columnNames: ['owner_id', 'state', 'due_at'],
      }),
    );
    await queryRunner.dropIndex('callbacks', 'IDX_callbacks_owner_queue_v');
  }
}
