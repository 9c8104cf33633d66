import { MigrationInterface, QueryRunner, Table } from 'typeorm';

export class CreateCampaignAgents1763900108000 implements MigrationInterface {
  name = 'CreateCampaignAgents1763900108000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'campaign_agents',
        columns: [
          { name: 'campaign_id', type: 'integer', isPrimary: true },
          { name: 'agent_id', type: 'integer', isPrimary: true },
        ],
        foreignKeys: [
          {
            name: 'FK_campaign_agents_campaign',
            columnNames: ['campaign_id'],
            referencedTableName: 'campaigns',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
            onUpdate: 'NO ACTION',
          },
          {
            name: 'FK_campaign_agents_agent',
            columnNames: ['agent_id'],
            referencedTableName: 'agents',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
            onUpdate: 'NO ACTION',
          },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('campaign_agents');
  }
}
