import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { booleanColumn } from './lib/portable';

/**
 * Outcome statuses say whether the operator spoke to the customer (invariant 12). Existing
 * negative statuses with a retry rule (no answer, busy, voicemail) are the ones the product
 * already treated as "not reached" for a callback's fate: they start as not reached.
 */
export class CustomerReached1765100000000 implements MigrationInterface {
  name = 'CustomerReached1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statuses = await queryRunner.getTable('outcome_statuses');
    if (!statuses?.findColumnByName('customer_reached')) {
      await queryRunner.addColumn(
        'outcome_statuses',
        new TableColumn(booleanColumn(queryRunner, 'customer_reached', true)),
      );
    }
    await queryRunner.query(
      "UPDATE outcome_statuses SET customer_reached = false WHERE type = 'N' AND retry_after_minutes IS NOT NULL",
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('outcome_statuses', 'customer_reached');
  }
}
