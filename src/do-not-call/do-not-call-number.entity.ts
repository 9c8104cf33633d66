import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** The global do-not-call list: a number here is never imported or dispatched. */
@Entity('do_not_call_numbers')
export class DoNotCallNumber {
  /** E.164, e.g. +393331234567. */
  @PrimaryColumn({ type: 'varchar', length: 20 })
  phone!: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  reason!: string | null;

  @Column({ name: 'added_by', type: 'integer', nullable: true })
  addedBy!: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;
}
