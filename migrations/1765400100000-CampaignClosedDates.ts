import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** A campaign's own closed days ("YYYY-MM-DD", a patron saint's day), as JSON text; null: none. */
export class CampaignClosedDates1765400100000 implements MigrationInterface {
  name = 'CampaignClosedDates1765400100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const campaigns = await queryRunner.getTable('campaigns');
    if (campaigns?.findColumnByName('closed_dates')) return;
    await queryRunner.addColumn(
      'campaigns',
      new TableColumn({ name: 'closed_dates', type: 'text', isNullable: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('campaigns', 'closed_dates');
  }
}
