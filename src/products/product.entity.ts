import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { decimal2Column } from '../common/database/decimal.transformer';

/** An item of the catalogue an operator can put in the cart of an online close. */
@Entity('products')
export class Product {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Index('UQ_products_code', { unique: true })
  @Column({ type: 'varchar', length: 32 })
  code!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  /** Net unit price, e.g. "19.90". */
  @Column({ name: 'unit_price', ...decimal2Column(12) })
  unitPrice!: string;

  /** VAT percentage, e.g. "22.00". */
  @Column({ name: 'vat_rate', ...decimal2Column(5) })
  vatRate!: string;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' })
  updatedAt!: Date;
}
