import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { decimal2Column } from '../common/database/decimal.transformer';
import { Product } from '../products/product.entity';
import { Contract } from './contract.entity';

/** A product in a contract, its price and VAT snapshotted when the contract was closed. */
@Entity('contract_lines')
@Index('IDX_contract_lines_contract', ['contractId'])
export class ContractLine {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'contract_id', type: 'integer' })
  contractId!: number;

  @ManyToOne(() => Contract, (contract) => contract.lines, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'contract_id', foreignKeyConstraintName: 'FK_contract_lines_contract' })
  contract?: Contract;

  @Column({ name: 'product_id', type: 'integer' })
  productId!: number;

  @ManyToOne(() => Product, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'product_id', foreignKeyConstraintName: 'FK_contract_lines_product' })
  product?: Product;

  @Column({ type: 'varchar', length: 32 })
  code!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ name: 'unit_price', ...decimal2Column(12) })
  unitPrice!: string;

  /** The operator changed the catalogue price (the status allowed it); unitPrice is theirs. */
  @Column({ name: 'price_overridden', type: 'boolean', default: false })
  priceOverridden!: boolean;

  @Column({ name: 'vat_rate', ...decimal2Column(5) })
  vatRate!: string;

  @Column({ type: 'integer' })
  quantity!: number;

  @Column({ name: 'net', ...decimal2Column(12) })
  net!: string;

  @Column({ name: 'vat', ...decimal2Column(12) })
  vat!: string;

  @Column({ name: 'total', ...decimal2Column(12) })
  total!: string;
}
