import { MigrationInterface, QueryRunner, Table } from 'typeorm';

export class CreateCampaignStatuses1763900106000 implements MigrationInterface {
  name = 'CreateCampaignStatuses1763900106000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'campaign_statuses',
        columns: [
          { name: 'campaign_id', type: 'integer', isPrimary: true },
          { name: 'status_id', type: 'integer', isPrimary: true },
        ],
        foreignKeys: [
          {
            name: 'FK_campaign_statuses_campaign',
            columnNames: ['campaign_id'],
            referencedTableName: 'campaigns',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
            onUpdate: 'NO ACTION',
          },
          {
            name: 'FK_campaign_statuses_status',
            columnNames: ['status_id'],
            referencedTableName: 'outcome_statuses',
            referencedColumnNames: ['id'],
            onDelete: 'RESTRICT',
            onUpdate: 'NO ACTION',
          },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('campaign_statuses');
  }
}
