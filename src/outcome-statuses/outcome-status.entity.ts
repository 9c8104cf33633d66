import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export const OUTCOME_TYPES = ['R', 'N', 'C', 'T'] as const;
/** R callback (Richiamare), N negative, C online close, T appointment. */
export type OutcomeType = (typeof OUTCOME_TYPES)[number];

export const CALLBACK_VISIBILITIES = ['private', 'public'] as const;
export type CallbackVisibility = (typeof CALLBACK_VISIBILITIES)[number];

/** A "stato contatto": what an operator can record as the outcome of a call. */
@Entity('outcome_statuses')
export class OutcomeStatus {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Index('UQ_outcome_statuses_code', { unique: true })
  @Column({ type: 'varchar', length: 32 })
  code!: string;

  /** Italian label (the default language). */
  @Column({ type: 'varchar', length: 120 })
  label!: string;

  @Column({ name: 'label_en', type: 'varchar', length: 120, nullable: true })
  labelEn!: string | null;

  @Column({ type: 'varchar', length: 1 })
  type!: OutcomeType;

  /** #RRGGBB: the colour of the tile on the live wall. */
  @Column({ type: 'varchar', length: 7 })
  color!: string;

  @Column({ type: 'boolean', default: false })
  quick!: boolean;

  /** The quick button's position and hotkey (1-9). */
  @Column({ name: 'quick_order', type: 'integer', nullable: true })
  quickOrder!: number | null;

  /** For R statuses: whether a new callback is private to the operator or public. */
  @Column({ name: 'callback_visibility', type: 'varchar', length: 8, nullable: true })
  callbackVisibility!: CallbackVisibility | null;

  /** Retry rule (N statuses such as no answer or busy): re-queue after this delay... */
  @Column({ name: 'retry_after_minutes', type: 'integer', nullable: true })
  retryAfterMinutes!: number | null;

  /** ...up to this many attempts, then the contact is final. */
  @Column({ name: 'max_attempts', type: 'integer', nullable: true })
  maxAttempts!: number | null;

  @Column({ name: 'do_not_call', type: 'boolean', default: false })
  doNotCall!: boolean;

  /**
   * Whether the operator spoke to the customer. False only for type N statuses such as no
   * answer, busy or voicemail: their outcome asks for no required step and writes no
   * consent onto the contact (invariant 12).
   */
  @Column({ name: 'customer_reached', type: 'boolean', default: true })
  customerReached!: boolean;

  /** For C statuses: the operator may change a product's price in the cart. */
  @Column({ name: 'allow_price_override', type: 'boolean', default: false })
  allowPriceOverride!: boolean;

  /** Archived statuses keep their history but are no longer offered. */
  @Column({ name: 'archived_at', type: 'datetime', nullable: true })
  archivedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' })
  updatedAt!: Date;
}
