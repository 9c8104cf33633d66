import { MigrationInterface, QueryRunner, Table } from 'typeorm';

export class CreateCampaignProducts1763900107000 implements MigrationInterface {
  name = 'CreateCampaignProducts1763900107000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'campaign_products',
        columns: [
          { name: 'campaign_id', type: 'integer', isPrimary: true },
          { name: 'product_id', type: 'integer', isPrimary: true },
        ],
        foreignKeys: [
          {
            name: 'FK_campaign_products_campaign',
            columnNames: ['campaign_id'],
            referencedTableName: 'campaigns',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
            onUpdate: 'NO ACTION',
          },
          {
            name: 'FK_campaign_products_product',
            columnNames: ['product_id'],
            referencedTableName: 'products',
            referencedColumnNames: ['id'],
            onDelete: 'RESTRICT',
            onUpdate: 'NO ACTION',
          },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('campaign_products');
  }
}
