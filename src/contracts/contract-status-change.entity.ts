import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { User } from '../users/user.entity';
import { Contract, type ContractState } from './contract.entity';

/** One step of a contract's history, from its close (from null to new) on; never edited. */
@Entity('contract_status_changes')
@Index('IDX_contract_status_changes_contract', ['contractId', 'id'])
export class ContractStatusChange {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'contract_id', type: 'integer' })
  contractId!: number;

  @ManyToOne(() => Contract, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'contract_id',
    foreignKeyConstraintName: 'FK_contract_status_changes_contract',
  })
  contract?: Contract;

  /** Null for the close that created the contract. */
  @Column({ name: 'from_status', type: 'varchar', length: 12, nullable: true })
  fromStatus!: ContractState | null;

  @Column({ name: 'to_status', type: 'varchar', length: 12 })
  toStatus!: ContractState;

  /** Why, in words (mandatory for a cancellation; a note when leaving a suspension). */
  @Column({ type: 'varchar', length: 500, nullable: true })
  reason!: string | null;

  /** Why, as a code of the admins' list (contract_reasons; mandatory for a suspension). */
  @Column({ name: 'reason_code', type: 'varchar', length: 32, nullable: true })
  reasonCode!: string | null;

  /** Who: the operator for the close, backoffice staff after; null once the user is deleted. */
  @Column({ name: 'user_id', type: 'integer', nullable: true })
  userId!: number | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_contract_status_changes_user' })
  user?: User;

  @CreateDateColumn({ name: 'at', type: 'datetime' })
  at!: Date;
}
