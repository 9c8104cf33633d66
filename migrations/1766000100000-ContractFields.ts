import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

/** What a call captures into its contract, one column a field; custom fields as JSON. */
const COLUMNS: Array<[name: string, type: 'varchar' | 'text', length?: string]> = [
  ['fiscal_code', 'varchar', '16'],
  ['vat_number', 'varchar', '11'],
  ['iban', 'varchar', '34'],
  ['supply_address', 'varchar', '300'],
  ['pod', 'varchar', '14'],
  ['pdr', 'varchar', '14'],
  ['document_number', 'varchar', '30'],
  ['custom_fields', 'text'],
];

/**
 * The contract's fields, and the index the backoffice's search by fiscal code reads.
 * MySQL commits each DDL at once: every step skips what is already there, so a run that
 * died halfway can simply run again.
 */
export class ContractFields1766000100000 implements MigrationInterface {
  name = 'ContractFields1766000100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const [name, type, length] of COLUMNS) {
      const contracts = await queryRunner.getTable('contracts');
      if (contracts?.findColumnByName(name)) continue;
      await queryRunner.addColumn(
        'contracts',
        new TableColumn({ name, type, ...(length ? { length } : {}), isNullable: true }),
      );
    }
    const contracts = await queryRunner.getTable('contracts');
    if (!contracts?.indices.some((index) => index.name === 'IDX_contracts_fiscal_code')) {
      await queryRunner.createIndex(
        'contracts',
        new TableIndex({ name: 'IDX_contracts_fiscal_code', columnNames: ['fiscal_code'] }),
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('contracts', 'IDX_contracts_fiscal_code');
    for (const [name] of [...COLUMNS].reverse()) await queryRunner.dropColumn('contracts', name);
  }
}
