import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * The stamp of campaign configuration: rewritten with every change of campaigns, steps,
 * statuses, products or agents, read by each instance to know when its copy is stale.
 */
export class ConfigVersions1765500000000 implements MigrationInterface {
  name = 'ConfigVersions1765500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (await queryRunner.hasTable('config_versions')) return;
    await queryRunner.createTable(
      new Table({
        name: 'config_versions',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true },
          { name: 'stamp', type: 'varchar', length: '36' },
        ],
      }),
    );
    await queryRunner.query(`INSERT INTO config_versions (id, stamp) VALUES (1, 'initial')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('config_versions', true);
  }
}
