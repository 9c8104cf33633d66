import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';
import { booleanColumn, createdAtColumn, idColumn } from './lib/portable';

/** The reasons a new installation starts with; admins add, rename or deactivate them. */
const CONTRACT_REASONS: Array<[code: string, label: string]> = [
  ['documents_missing', 'Documenti mancanti'],
  ['customer_unreachable', 'Cliente non raggiungibile'],
  ['payment_details_wrong', 'Dati di pagamento errati'],
  ['supply_details_wrong', 'Dati di fornitura errati'],
  ['customer_reconsidering', 'Cliente in ripensamento'],
];

/**
 * Reasons a contract is suspended (the admins' list, seeded), and the code each status change
 * records. Each step skips what is already there (MySQL commits each DDL at once).
 */
export class ContractReasons1766000200000 implements MigrationInterface {
  name = 'ContractReasons1766000200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (!(await queryRunner.hasTable('contract_reasons'))) {
      await queryRunner.createTable(
        new Table({
          name: 'contract_reasons',
          columns: [
            idColumn(),
            { name: 'code', type: 'varchar', length: '32' },
            { name: 'label', type: 'varchar', length: '80' },
            booleanColumn(queryRunner, 'active', true),
            createdAtColumn(queryRunner),
          ],
          indices: [{ name: 'UQ_contract_reasons_code', columnNames: ['code'], isUnique: true }],
        }),
      );
      for (const [code, label] of CONTRACT_REASONS) {
        await queryRunner.query('INSERT INTO contract_reasons (code, label) VALUES (?, ?)', [
          code,
          label,
        ]);
      }
    }
    const changes = await queryRunner.getTable('contract_status_changes');
    if (!changes?.findColumnByName('reason_code')) {
      await queryRunner.addColumn(
        'contract_status_changes',
        new TableColumn({ name: 'reason_code', type: 'varchar', length: '32', isNullable: true }),
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('contract_status_changes', 'reason_code');
    await queryRunner.dropTable('contract_reasons');
  }
}
