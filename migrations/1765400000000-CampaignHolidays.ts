import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * A campaign closes on its country's public holidays: `holidays` names the calendar ('IT').
 * The column's default gives every existing campaign the Italian calendar, as new ones get
 * (the agenda offered 8 December). Calling hours need no migration: rows still holding the
 * old {days, start, end} are read as the same window every listed day.
 */
export class CampaignHolidays1765400000000 implements MigrationInterface {
  name = 'CampaignHolidays1765400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const campaigns = await queryRunner.getTable('campaigns');
    if (campaigns?.findColumnByName('holidays')) return;
    await queryRunner.addColumn(
      'campaigns',
      new TableColumn({
        name: 'holidays',
        type: 'varchar',
        length: '8',
        isNullable: true,
        default: "'IT'",
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('campaigns', 'holidays');
  }
}
