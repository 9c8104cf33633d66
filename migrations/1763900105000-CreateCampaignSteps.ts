import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { booleanColumn, idColumn } from './lib/portable';

export class CreateCampaignSteps1763900105000 implements MigrationInterface {
  name = 'CreateCampaignSteps1763900105000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'campaign_steps',
        columns: [
          idColumn(),
          { name: 'campaign_id', type: 'integer' },
          { name: 'position', type: 'integer' },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'title', type: 'varchar', length: '200' },
          { name: 'body', type: 'text', isNullable: true },
          { name: 'choices', type: 'text', isNullable: true },
          booleanColumn(queryRunner, 'required', false),
        ],
        indices: [
          {
            name: 'UQ_campaign_steps_campaign_position',
            columnNames: ['campaign_id', 'position'],
            isUnique: true,
          },
        ],
        foreignKeys: [
          {
            name: 'FK_campaign_steps_campaign',
            columnNames: ['campaign_id'],
            referencedTableName: 'campaigns',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
            onUpdate: 'NO ACTION',
          },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('campaign_steps');
  }
}
