import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Where a number on the list came from. */
export const DO_NOT_CALL_SOURCES = ['customer', 'register', 'admin', 'erasure'] as const;
export type DoNotCallSource = (typeof DO_NOT_CALL_SOURCES)[number];

/** What a number on the list blocks: every call, or marketing campaigns' calls only. */
export const DO_NOT_CALL_SCOPES = ['all', 'marketing'] as const;
export type DoNotCallScope = (typeof DO_NOT_CALL_SCOPES)[number];

/**
 * The global do-not-call list: a number here is not imported nor dispatched by a campaign
 * its scope covers (all campaigns, or marketing ones), until it expires.
 */
@Entity('do_not_call_numbers')
export class DoNotCallNumber {
  /** E.164, e.g. +393331234567. */
  @PrimaryColumn({ type: 'varchar', length: 20 })
  phone!: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  reason!: string | null;

  @Column({ name: 'added_by', type: 'integer', nullable: true })
  addedBy!: number | null;

  @Column({ type: 'varchar', length: 12, default: 'customer' })
  source!: DoNotCallSource;

  /** Source register: the date of the register's file the number was last in ('YYYY-MM-DD'). */
  @Column({ name: 'register_date', type: 'varchar', length: 10, nullable: true })
  registerDate!: string | null;

  @Column({ type: 'varchar', length: 12, default: 'all' })
  scope!: DoNotCallScope;

  /** From this instant the entry no longer blocks (it stays listed, shown as expired); null: never. */
  @Column({ name: 'expires_at', type: 'datetime', nullable: true })
  expiresAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;
}
