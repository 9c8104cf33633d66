import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Why a contract is suspended (documents missing, customer unreachable...), from a list the
 * admins keep; an inactive reason is no longer offered and stays in the histories that use it.
 */
@Entity('contract_reasons')
export class ContractReason {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Index('UQ_contract_reasons_code', { unique: true })
  @Column({ type: 'varchar', length: 32 })
  code!: string;

  @Column({ type: 'varchar', length: 80 })
  label!: string;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;
}
