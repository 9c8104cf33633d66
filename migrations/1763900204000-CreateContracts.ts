import { MigrationInterface, QueryRunner, Table, TableColumnOptions } from 'typeorm';
import { foreignKey } from './lib/foreign-key';
import { createdAtColumn, idColumn, updatedAtColumn } from './lib/portable';

const money = (name: string, precision = 12): TableColumnOptions => ({
  name,
  type: 'decimal',
  precision,
  scale: 2,
});

export class CreateContracts1763900204000 implements MigrationInterface {
  name = 'CreateContracts1763900204000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'protocol_counters',
        columns: [
          { name: 'year', type: 'integer', isPrimary: true },
          { name: 'last_number', type: 'integer' },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'contracts',
        columns: [
          idColumn(),
          { name: 'protocol_number', type: 'varchar', length: '32' },
          { name: 'contact_id', type: 'integer' },
          { name: 'campaign_id', type: 'integer' },
          { name: 'operator_id', type: 'integer', isNullable: true },
          { name: 'status', type: 'varchar', length: '12', default: "'new'" },
          { name: 'customer', type: 'text' },
          money('total_net'),
          money('total_vat'),
          money('total'),
          createdAtColumn(queryRunner),
          updatedAtColumn(queryRunner),
        ],
        indices: [
          {
            name: 'UQ_contracts_protocol_number',
            columnNames: ['protocol_number'],
            isUnique: true,
          },
          { name: 'IDX_contracts_created', columnNames: ['created_at'] },
          { name: 'IDX_contracts_operator_created', columnNames: ['operator_id', 'created_at'] },
        ],
        foreignKeys: [
          foreignKey('FK_contracts_contact', 'contact_id', 'contacts', 'RESTRICT'),
          foreignKey('FK_contracts_campaign', 'campaign_id', 'campaigns', 'RESTRICT'),
          foreignKey('FK_contracts_operator', 'operator_id', 'users', 'SET NULL'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'contract_lines',
        columns: [
          idColumn(),
          { name: 'contract_id', type: 'integer' },
          { name: 'product_id', type: 'integer' },
          { name: 'code', type: 'varchar', length: '32' },
          { name: 'name', type: 'varchar', length: '200' },
          money('unit_price'),
          money('vat_rate', 5),
          { name: 'quantity', type: 'integer' },
          money('net'),
          money('vat'),
          money('total'),
        ],
        indices: [{ name: 'IDX_contract_lines_contract', columnNames: ['contract_id'] }],
        foreignKeys: [
          foreignKey('FK_contract_lines_contract', 'contract_id', 'contracts', 'CASCADE'),
          foreignKey('FK_contract_lines_product', 'product_id', 'products', 'RESTRICT'),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('contract_lines');
    await queryRunner.dropTable('contracts');
    await queryRunner.dropTable('protocol_counters');
  }
}
