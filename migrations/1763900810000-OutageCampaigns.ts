import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';
import { foreignKey } from './lib/foreign-key';
import { createdAtColumn, idColumn } from './lib/portable';

/**
 * Outage notification campaigns (the message a campaign reads and e-mails, its closing)
 * and contacts' tags (",call_next:outage,vip," so one LIKE finds a tag).
 *
 * MySQL commits each DDL at once: every step skips what is already there, so a run that
 * died halfway can simply run again.
 */
export class OutageCampaigns1763900810000 implements MigrationInterface {
  name = 'OutageCampaigns1763900810000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const contacts = await queryRunner.getTable('contacts');
    if (!contacts?.findColumnByName('tags')) {
      await queryRunner.addColumn(
        'contacts',
        new TableColumn({ name: 'tags', type: 'varchar', length: '500', isNullable: true }),
      );
    }
    if (!(await queryRunner.hasTable('outages'))) {
      await queryRunner.createTable(
        new Table({
          name: 'outages',
          columns: [
            idColumn(),
            { name: 'campaign_id', type: 'integer' },
            { name: 'what_happened', type: 'text' },
            { name: 'expected_restore', type: 'varchar', length: '200' },
            { name: 'what_to_do', type: 'text' },
            { name: 'language', type: 'varchar', length: '2' },
            { name: 'email_subject', type: 'varchar', length: '300' },
            { name: 'email_body', type: 'text' },
            { name: 'emailed_status_id', type: 'integer' },
            { name: 'created_by', type: 'integer', isNullable: true },
            { name: 'closed_at', type: 'datetime', isNullable: true },
            createdAtColumn(queryRunner),
          ],
          indices: [{ name: 'UQ_outages_campaign', columnNames: ['campaign_id'], isUnique: true }],
          foreignKeys: [foreignKey('FK_outages_campaign', 'campaign_id', 'campaigns', 'CASCADE')],
        }),
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('outages', true);
    await queryRunner.dropColumn('contacts', 'tags');
  }
}
