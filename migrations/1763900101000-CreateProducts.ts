import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { booleanColumn, createdAtColumn, idColumn, updatedAtColumn } from './lib/portable';

export class CreateProducts1763900101000 implements MigrationInterface {
  name = 'CreateProducts1763900101000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'products',
        columns: [
          idColumn(),
          { name: 'code', type: 'varchar', length: '32' },
          { name: 'name', type: 'varchar', length: '200' },
          { name: 'unit_price', type: 'decimal', precision: 12, scale: 2 },
          { name: 'vat_rate', type: 'decimal', precision: 5, scale: 2 },
          booleanColumn(queryRunner, 'active', true),
          createdAtColumn(queryRunner),
          updatedAtColumn(queryRunner),
        ],
        indices: [{ name: 'UQ_products_code', columnNames: ['code'], isUnique: true }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('products');
  }
}
