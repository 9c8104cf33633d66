import { MigrationInterface, QueryRunner, TableColumn, TableForeignKey } from 'typeorm';
import { foreignKey } from './lib/foreign-key';

const CAMPAIGN_FK = 'FK_campaigns_wrap_up_status';
const OFFER_FK = 'FK_callback_offer_settings_status';

/**
 * The wrap-up (seconds after a call ends, and the status then confirmed) is a setting of the
 * campaign's workflow, no longer of its callback offer: the values move to `campaigns` and
 * leave `callback_offer_settings`. Each step skips what is there, so a run that died
 * halfway runs again.
 */
export class CampaignWrapUp1765200000000 implements MigrationInterface {
  name = 'CampaignWrapUp1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const campaigns = await queryRunner.getTable('campaigns');
    const columns = [
      new TableColumn({ name: 'wrap_up_seconds', type: 'integer', isNullable: true }),
      new TableColumn({ name: 'wrap_up_status_id', type: 'integer', isNullable: true }),
    ];
    for (const column of columns) {
      if (!campaigns?.findColumnByName(column.name)) {
        await queryRunner.addColumn('campaigns', column);
      }
    }
    const withColumns = await queryRunner.getTable('campaigns');
    if (!withColumns?.foreignKeys.some((fk) => fk.name === CAMPAIGN_FK)) {
      await queryRunner.createForeignKey(
        'campaigns',
        new TableForeignKey(
          foreignKey(CAMPAIGN_FK, 'wrap_up_status_id', 'outcome_statuses', 'SET NULL'),
        ),
      );
    }

    const offers = await queryRunner.getTable('callback_offer_settings');
    if (!offers?.findColumnByName('wrap_up_status_id')) return;
    // A wrap-up moves when it could ever apply: seconds and a status of the campaign, not
    // archived, type N, and needing no answers (not reached, or no required question or
    // consent step). Any other was refused by every outcome it tried, and is left behind.
    await queryRunner.query(
      `UPDATE campaigns SET
         wrap_up_seconds = (SELECT s.wrap_up_seconds FROM callback_offer_settings s WHERE s.campaign_id = campaigns.id),
         wrap_up_status_id = (SELECT s.wrap_up_status_id FROM callback_offer_settings s WHERE s.campaign_id = campaigns.id)
       WHERE EXISTS (
         SELECT 1 FROM callback_offer_settings s
         INNER JOIN outcome_statuses st ON st.id = s.wrap_up_status_id
         INNER JOIN campaign_statuses cs ON cs.campaign_id = s.campaign_id AND cs.status_id = st.id
         WHERE s.campaign_id = campaigns.id AND s.wrap_up_seconds IS NOT NULL
           AND st.type = 'N' AND st.archived_at IS NULL
           AND (st.customer_reached = 0 OR NOT EXISTS (
             SELECT 1 FROM campaign_steps p
             WHERE p.campaign_id = s.campaign_id AND p.required = 1 AND p.kind IN ('question', 'consent'))))`,
    );
    if (offers.foreignKeys.some((fk) => fk.name === OFFER_FK)) {
      await queryRunner.dropForeignKey('callback_offer_settings', OFFER_FK);
    }
    await queryRunner.dropColumn('callback_offer_settings', 'wrap_up_status_id');
    if (
      (await queryRunner.getTable('callback_offer_settings'))?.findColumnByName('wrap_up_seconds')
    ) {
      await queryRunner.dropColumn('callback_offer_settings', 'wrap_up_seconds');
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'callback_offer_settings',
      new TableColumn({ name: 'wrap_up_seconds', type: 'integer', isNullable: true }),
    );
    await queryRunner.addColumn(
      'callback_offer_settings',
      new TableColumn({ name: 'wrap_up_status_id', type: 'integer', isNullable: true }),
    );
    await queryRunner.createForeignKey(
      'callback_offer_settings',
      new TableForeignKey(
        foreignKey(OFFER_FK, 'wrap_up_status_id', 'outcome_statuses', 'SET NULL'),
      ),
    );
    // A campaign with a wrap-up and no offer row gets one that offers nothing (capacity 0).
    await queryRunner.query(
      `INSERT INTO callback_offer_settings (campaign_id)
       SELECT c.id FROM campaigns c
       WHERE c.wrap_up_status_id IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM callback_offer_settings s WHERE s.campaign_id = c.id)`,
    );
    await queryRunner.query(
      `UPDATE callback_offer_settings SET
         wrap_up_seconds = (SELECT c.wrap_up_seconds FROM campaigns c WHERE c.id = callback_offer_settings.campaign_id),
         wrap_up_status_id = (SELECT c.wrap_up_status_id FROM campaigns c WHERE c.id = callback_offer_settings.campaign_id)`,
    );
    await queryRunner.dropForeignKey('campaigns', CAMPAIGN_FK);
    await queryRunner.dropColumn('campaigns', 'wrap_up_status_id');
    await queryRunner.dropColumn('campaigns', 'wrap_up_seconds');
  }
}
