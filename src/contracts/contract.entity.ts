import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Campaign } from '../campaigns/campaign.entity';
import { decimal2Column } from '../common/database/decimal.transformer';
import { Contact } from '../contacts/contact.entity';
import { User } from '../users/user.entity';
import { ContractLine } from './contract-line.entity';

export const CONTRACT_STATES = ['new', 'verified', 'suspended', 'activated', 'cancelled'] as const;
export type ContractState = (typeof CONTRACT_STATES)[number];

/** The customer as they were when the contract was closed. */
export interface CustomerSnapshot {
  firstName: string;
  lastName: string;
  phone: string;
  email: string | null;
  city: string | null;
  province: string | null;
}

/**
 * The moves of the backoffice workflow; activated and cancelled are final. A suspended
 * contract (a reason from the admins' list) goes back to new or verified, or is cancelled.
 */
export const CONTRACT_TRANSITIONS: Readonly<Record<ContractState, readonly ContractState[]>> = {
  new: ['verified', 'suspended', 'cancelled'],
  verified: ['activated', 'suspended', 'cancelled'],
  suspended: ['new', 'verified', 'cancelled'],
  activated: [],
  cancelled: [],
};

/**
 * An online close (type C outcome): the cart confirmed, with its protocol number.
 * The backoffice list pages newest first by (created_at, id), one index per filter so
 * that a page is an index range however many contracts there are (InnoDB and SQLite both
 * end a secondary index with the primary key, so (operator_id, created_at) already
 * orders by id too).
 */
@Entity('contracts')
@Index('IDX_contracts_created', ['createdAt'])
@Index('IDX_contracts_operator_created', ['operatorId', 'createdAt'])
@Index('IDX_contracts_status_created', ['status', 'createdAt', 'id'])
@Index('IDX_contracts_campaign_created', ['campaignId', 'createdAt', 'id'])
@Index('IDX_contracts_customer_phone', ['customerPhone'])
@Index('IDX_contracts_customer_last_name', ['customerLastName'])
@Index('IDX_contracts_fiscal_code', ['fiscalCode'])
export class Contract {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  /** e.g. 2026/000123: unique, per year consecutive in commit order. */
  @Index('UQ_contracts_protocol_number', { unique: true })
  @Column({ name: 'protocol_number', type: 'varchar', length: 32 })
  protocolNumber!: string;

  @Column({ name: 'contact_id', type: 'integer' })
  contactId!: number;

  @ManyToOne(() => Contact, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'contact_id', foreignKeyConstraintName: 'FK_contracts_contact' })
  contact?: Contact;

  @Column({ name: 'campaign_id', type: 'integer' })
  campaignId!: number;

  @ManyToOne(() => Campaign, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'campaign_id', foreignKeyConstraintName: 'FK_contracts_campaign' })
  campaign?: Campaign;

  @Column({ name: 'operator_id', type: 'integer', nullable: true })
  operatorId!: number | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'operator_id', foreignKeyConstraintName: 'FK_contracts_operator' })
  operator?: User;

  @Column({ type: 'varchar', length: 12, default: 'new' })
  status!: ContractState;

  @Column({ type: 'simple-json' })
  customer!: CustomerSnapshot;

  /** The snapshot's names and phone (E.164) again, as columns the backoffice searches. */
  @Column({ name: 'customer_first_name', type: 'varchar', length: 100, default: '' })
  customerFirstName!: string;

  @Column({ name: 'customer_last_name', type: 'varchar', length: 100, default: '' })
  customerLastName!: string;

  @Column({ name: 'customer_phone', type: 'varchar', length: 20, default: '' })
  customerPhone!: string;

  /**
   * What the call captured into the contract (question steps bound to a contract field),
   * normalised: codes upper case without spaces. Null when the workflow asked nothing.
   */
  @Column({ name: 'fiscal_code', type: 'varchar', length: 16, nullable: true })
  fiscalCode!: string | null;

  @Column({ name: 'vat_number', type: 'varchar', length: 11, nullable: true })
  vatNumber!: string | null;

  @Column({ type: 'varchar', length: 34, nullable: true })
  iban!: string | null;

  @Column({ name: 'supply_address', type: 'varchar', length: 300, nullable: true })
  supplyAddress!: string | null;

  @Column({ type: 'varchar', length: 14, nullable: true })
  pod!: string | null;

  @Column({ type: 'varchar', length: 14, nullable: true })
  pdr!: string | null;

  @Column({ name: 'document_number', type: 'varchar', length: 30, nullable: true })
  documentNumber!: string | null;

  /** `custom:<name>` fields, by name. */
  @Column({ name: 'custom_fields', type: 'simple-json', nullable: true })
  customFields!: Record<string, string> | null;

  /** When the status last changed (the close itself for a new contract). */
  @Column({ name: 'status_changed_at', type: 'datetime', nullable: true })
  statusChangedAt!: Date | null;

  @Column({ name: 'total_net', ...decimal2Column() })
  totalNet!: string;

  @Column({ name: 'total_vat', ...decimal2Column() })
  totalVat!: string;

  /** Net plus VAT. */
  @Column({ name: 'total', ...decimal2Column() })
  total!: string;

  @OneToMany(() => ContractLine, (line) => line.contract)
  lines?: ContractLine[];

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' })
  updatedAt!: Date;
}
