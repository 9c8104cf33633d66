import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

const NAME = 'IDX_callbacks_state_due';
const NARROW = ['state', 'due_at'];
/** The jobs' prefix, then what the wall groups the waiting callbacks by: read from the index alone. */
const COVERING = ['state', 'due_at', 'campaign_id', 'visibility', 'owner_id'];

/**
 * The wall counts the callbacks waiting per campaign and private owner every second: the
 * jobs' (state, due_at) index carries campaign, visibility and owner too, so that count no
 * longer looks up each row.
 *
 * MySQL commits each DDL at once: the index is replaced only when it is still the narrow
 * one, so a run that died halfway can simply run again.
 */
export class WallCallbacksIndex1763900650000 implements MigrationInterface {
  name = 'WallCallbacksIndex1763900650000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await this.replace(queryRunner, COVERING);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await this.replace(queryRunner, NARROW);
  }

  private async replace(queryRunner: QueryRunner, columnNames: string[]): Promise<void> {
    const table = await queryRunner.getTable('callbacks');
    const index = table?.indices.find((i) => i.name === NAME);
    if (index?.columnNames.join() === columnNames.join()) return;
    if (index) await queryRunner.dropIndex('callbacks', NAME);
    await queryRunner.createIndex('callbacks', new TableIndex({ name: NAME, columnNames }));
  }
}
