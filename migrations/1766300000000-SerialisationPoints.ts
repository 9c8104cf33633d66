import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * Named rows that transactions write to take turns where their rule spans rows none of
 * them writes (the last active admin, a campaign's links, the public page's limits): a
 * write conflicts on every MySQL-compatible engine, a Galera cluster included, where
 * SELECT ... FOR UPDATE serialises only transactions on the same server.
 */
export class SerialisationPoints1766300000000 implements MigrationInterface {
  name = 'SerialisationPoints1766300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'serialisation_points',
        columns: [
          { name: 'name', type: 'varchar', length: '100', isPrimary: true },
          { name: 'version', type: 'integer', default: 0 },
        ],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('serialisation_points');
  }
}
