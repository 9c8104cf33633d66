import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** A question step may name the contract field its answer fills (contracts/contract-fields.ts). */
export class CampaignStepContractField1766000000000 implements MigrationInterface {
  name = 'CampaignStepContractField1766000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const steps = await queryRunner.getTable('campaign_steps');
    if (steps?.findColumnByName('contract_field')) return;
    await queryRunner.addColumn(
      'campaign_steps',
      new TableColumn({ name: 'contract_field', type: 'varchar', length: '40', isNullable: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('campaign_steps', 'contract_field');
  }
}
