import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * A campaign's purpose, marketing or service: a do-not-call entry with scope marketing (the
 * opposition register) does not block a service campaign. Existing campaigns sell unless
 * they are outage notices (a row in outages): those tell customers about their own supply,
 * a service call.
 */
export class CampaignPurpose1766100000000 implements MigrationInterface {
  name = 'CampaignPurpose1766100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const campaigns = await queryRunner.getTable('campaigns');
    if (!campaigns?.findColumnByName('purpose')) {
      await queryRunner.addColumn(
        'campaigns',
        new TableColumn({ name: 'purpose', type: 'varchar', length: '12', default: "'marketing'" }),
      );
    }
    await queryRunner.query(
      "UPDATE campaigns SET purpose = 'service' WHERE id IN (SELECT campaign_id FROM outages)",
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('campaigns', 'purpose');
  }
}
