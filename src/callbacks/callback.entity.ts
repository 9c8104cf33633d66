import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Campaign } from '../campaigns/campaign.entity';
import { Contact } from '../contacts/contact.entity';
import type { CallbackVisibility } from '../outcome-statuses/outcome-status.entity';
import { User } from '../users/user.entity';

export const CALLBACK_STATES = [
  'scheduled',
  'due',
  'in_progress',
  'done',
  'missed',
  'cancelled',
  'expired',
] as const;
export type CallbackState = (typeof CALLBACK_STATES)[number];
/** States of a callback still to be kept (one per contact). */
export const ACTIVE_CALLBACK_STATES: readonly CallbackState[] = ['scheduled', 'due', 'in_progress'];

/** A call agreed with the customer (type R outcome): a promise with a time and an owner. */
@Entity('callbacks')
@Index('IDX_callbacks_campaign_queue', ['campaignId', 'visibility', 'state', 'dueAt'])
@Index('IDX_callbacks_owner_queue_v', ['ownerId', 'visibility', 'state', 'dueAt'])
@Index('IDX_callbacks_contact_state', ['contactId', 'state'])
// The jobs: scheduled ones falling due, active ones expiring, due ones to escalate, across
// campaigns, each one index range in due order.
@Index('IDX_callbacks_state_due', ['state', 'dueAt'])
// One active callback per number across campaigns: two at once cannot both be written.
@Index('UQ_callbacks_active_phone', ['activePhone'], { unique: true })
export class Callback {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'contact_id', type: 'integer' })
  contactId!: number;

  @ManyToOne(() => Contact, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'contact_id', foreignKeyConstraintName: 'FK_callbacks_contact' })
  contact?: Contact;

  @Column({ name: 'campaign_id', type: 'integer' })
  campaignId!: number;

  @ManyToOne(() => Campaign, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'campaign_id', foreignKeyConstraintName: 'FK_callbacks_campaign' })
  campaign?: Campaign;

  /** The operator who agreed it (private callbacks are offered to them alone). */
  @Column({ name: 'owner_id', type: 'integer', nullable: true })
  ownerId!: number | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'owner_id', foreignKeyConstraintName: 'FK_callbacks_owner' })
  owner?: User;

  @Column({ type: 'varchar', length: 8 })
  visibility!: CallbackVisibility;

  @Column({ type: 'varchar', length: 12, default: 'scheduled' })
  state!: CallbackState;

  @Column({ name: 'due_at', type: 'datetime' })
  dueAt!: Date;

  /** The notes of the call that set it, shown when it is dispatched. */
  @Column({ type: 'text', nullable: true })
  notes!: string | null;

  /** Why the customer is to be called (the status label, or an inbound request's reason). */
  @Column({ type: 'varchar', length: 200, nullable: true })
  reason!: string | null;

  /** The answers of the call that set it (by step id), shown with the notes. */
  @Column({ type: 'simple-json', nullable: true })
  answers!: Record<string, string> | null;

  /**
   * When its owner and visibility were last set (the outcome, a merge, a coordinator): the
   * grace before a private one goes public runs from this or its due time, whichever is
   * later, so a coordinator's choice is not undone by the next tick. Null: from the due time.
   */
  @Column({ name: 'assigned_at', type: 'datetime', nullable: true })
  assignedAt!: Date | null;

  /** When the escalation job made it public, and why (audit line too). */
  @Column({ name: 'escalated_at', type: 'datetime', nullable: true })
  escalatedAt!: Date | null;

  @Column({ name: 'escalation_reason', type: 'varchar', length: 100, nullable: true })
  escalationReason!: string | null;

  /** The interaction that set it. */
  @Column({ name: 'interaction_id', type: 'integer', nullable: true })
  interactionId!: number | null;

  @Column({ name: 'closed_at', type: 'datetime', nullable: true })
  closedAt!: Date | null;

  /**
   * The contact's number (E.164) while the callback is active (scheduled, due, in progress),
   * null once it is closed: unique, so a number has one active callback in all campaigns,
   * and a second one written at the same moment conflicts (on a Galera cluster too).
   */
  @Column({ name: 'active_phone', type: 'varchar', length: 20, nullable: true })
  activePhone!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' })
  updatedAt!: Date;
}
