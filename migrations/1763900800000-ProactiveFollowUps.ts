import { MigrationInterface, QueryRunner, Table, TableColumn, TableColumnOptions } from 'typeorm';
import { foreignKey } from './lib/foreign-key';
import { booleanColumn, createdAtColumn, idColumn, updatedAtColumn } from './lib/portable';

/** A nullable boolean as @Column({ type: 'boolean', nullable: true }) declares it. */
function nullableBoolean(queryRunner: QueryRunner, name: string): TableColumnOptions {
  return { ...booleanColumn(queryRunner, name), isNullable: true };
}

/**
 * Proactive calling and follow-ups: the contact's call reason, consent and preferred
 * channel, the campaign's eligibility rules and the refusals they make, the consent step's
 * purpose, operators' chat load as integrations report it, follow-up e-mail templates per
 * outcome status and reason, and the outbox the sender job empties.
 *
 * MySQL commits each DDL at once: every step skips what is already there, so a run that
 * died halfway can simply run again.
 */
export class ProactiveFollowUps1763900800000 implements MigrationInterface {
  name = 'ProactiveFollowUps1763900800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const contacts = await queryRunner.getTable('contacts');
    const contactColumns: TableColumnOptions[] = [
      { name: 'call_reason', type: 'varchar', length: '60', isNullable: true },
      { name: 'preferred_channel', type: 'varchar', length: '8', isNullable: true },
      nullableBoolean(queryRunner, 'consent'),
      nullableBoolean(queryRunner, 'recording_consent'),
      { name: 'ineligible_reason', type: 'varchar', length: '24', isNullable: true },
    ];
    for (const column of contactColumns) {
      if (!contacts?.findColumnByName(column.name)) {
        await queryRunner.addColumn('contacts', new TableColumn(column));
      }
    }
    const campaigns = await queryRunner.getTable('campaigns');
    if (!campaigns?.findColumnByName('eligibility')) {
      await queryRunner.addColumn(
        'campaigns',
        new TableColumn({ name: 'eligibility', type: 'text', isNullable: true }),
      );
    }
    const steps = await queryRunner.getTable('campaign_steps');
    if (!steps?.findColumnByName('consent_purpose')) {
      await queryRunner.addColumn(
        'campaign_steps',
        new TableColumn({
          name: 'consent_purpose',
          type: 'varchar',
          length: '12',
          isNullable: true,
        }),
      );
    }
    if (!(await queryRunner.hasTable('eligibility_refusals'))) {
      await queryRunner.createTable(
        new Table({
          name: 'eligibility_refusals',
          columns: [
            idColumn(),
            { name: 'campaign_id', type: 'integer' },
            { name: 'contact_id', type: 'integer', isNullable: true },
            { name: 'operator_id', type: 'integer', isNullable: true },
            { name: 'rule', type: 'varchar', length: '24' },
            createdAtColumn(queryRunner),
          ],
          indices: [
            { name: 'IDX_eligibility_refusals_campaign', columnNames: ['campaign_id', 'rule'] },
          ],
          foreignKeys: [
            foreignKey('FK_eligibility_refusals_campaign', 'campaign_id', 'campaigns', 'CASCADE'),
            foreignKey('FK_eligibility_refusals_contact', 'contact_id', 'contacts', 'CASCADE'),
          ],
        }),
      );
    }
    if (!(await queryRunner.hasTable('operator_chat_loads'))) {
      await queryRunner.createTable(
        new Table({
          name: 'operator_chat_loads',
          columns: [
            { name: 'user_id', type: 'integer', isPrimary: true },
            { name: 'active_chats', type: 'integer', default: 0 },
            { name: 'reported_at', type: 'datetime' },
          ],
          foreignKeys: [foreignKey('FK_operator_chat_loads_user', 'user_id', 'users', 'CASCADE')],
        }),
      );
    }
    if (!(await queryRunner.hasTable('follow_up_templates'))) {
      await queryRunner.createTable(
        new Table({
          name: 'follow_up_templates',
          columns: [
            idColumn(),
            { name: 'status_id', type: 'integer' },
            { name: 'reason', type: 'varchar', length: '60', default: "''" },
            { name: 'language', type: 'varchar', length: '2' },
            { name: 'subject', type: 'varchar', length: '200' },
            { name: 'body', type: 'text' },
            createdAtColumn(queryRunner),
            updatedAtColumn(queryRunner),
          ],
          indices: [
            {
              name: 'UQ_follow_up_templates_status_reason_language',
              columnNames: ['status_id', 'reason', 'language'],
              isUnique: true,
            },
          ],
          foreignKeys: [
            foreignKey('FK_follow_up_templates_status', 'status_id', 'outcome_statuses', 'CASCADE'),
          ],
        }),
      );
    }
    if (!(await queryRunner.hasTable('follow_up_emails'))) {
      await queryRunner.createTable(
        new Table({
          name: 'follow_up_emails',
          columns: [
            idColumn(),
            { name: 'contact_id', type: 'integer' },
            { name: 'campaign_id', type: 'integer' },
            { name: 'interaction_id', type: 'integer', isNullable: true },
            { name: 'template_id', type: 'integer', isNullable: true },
            { name: 'status_id', type: 'integer' },
            { name: 'to_address', type: 'varchar', length: '254' },
            { name: 'subject', type: 'varchar', length: '300' },
            { name: 'body', type: 'text' },
            { name: 'state', type: 'varchar', length: '8', default: "'queued'" },
            { name: 'attempts', type: 'integer', default: 0 },
            { name: 'next_attempt_at', type: 'datetime' },
            { name: 'claimed_by', type: 'varchar', length: '40', isNullable: true },
            { name: 'claim_until', type: 'datetime', isNullable: true },
            { name: 'last_error', type: 'varchar', length: '500', isNullable: true },
            { name: 'message_id', type: 'varchar', length: '250', isNullable: true },
            { name: 'sent_at', type: 'datetime', isNullable: true },
            createdAtColumn(queryRunner),
          ],
          indices: [
            {
              name: 'IDX_follow_up_emails_queue',
              columnNames: ['state', 'next_attempt_at'],
            },
            { name: 'IDX_follow_up_emails_claim', columnNames: ['state', 'claim_until'] },
            { name: 'IDX_follow_up_emails_contact', columnNames: ['contact_id'] },
          ],
          foreignKeys: [
            foreignKey('FK_follow_up_emails_contact', 'contact_id', 'contacts', 'CASCADE'),
          ],
        }),
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('follow_up_emails', true);
    await queryRunner.dropTable('follow_up_templates', true);
    await queryRunner.dropTable('operator_chat_loads', true);
    await queryRunner.dropTable('eligibility_refusals', true);
    await queryRunner.dropColumn('campaign_steps', 'consent_purpose');
    await queryRunner.dropColumn('campaigns', 'eligibility');
    for (const column of [
      'ineligible_reason',
      'recording_consent',
      'consent',
      'preferred_channel',
      'call_reason',
    ]) {
      await queryRunner.dropColumn('contacts', column);
    }
  }
}
