import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { createdAtColumn, idColumn, updatedAtColumn } from './lib/portable';

export class CreateCampaigns1763900104000 implements MigrationInterface {
  name = 'CreateCampaigns1763900104000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'campaigns',
        columns: [
          idColumn(),
          { name: 'code', type: 'varchar', length: '32' },
          { name: 'name', type: 'varchar', length: '200' },
          { name: 'timezone', type: 'varchar', length: '64' },
          { name: 'calling_hours', type: 'text' },
          { name: 'appointment_minutes', type: 'integer', default: 60 },
          { name: 'overlap_policy', type: 'varchar', length: '8', default: "'reject'" },
          { name: 'private_callback_grace_minutes', type: 'integer', default: 30 },
          { name: 'state', type: 'varchar', length: '8', default: "'active'" },
          createdAtColumn(queryRunner),
          updatedAtColumn(queryRunner),
        ],
        indices: [{ name: 'UQ_campaigns_code', columnNames: ['code'], isUnique: true }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('campaigns');
  }
}
