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
import { Callback } from '../callbacks/callback.entity';
import { Campaign } from '../campaigns/campaign.entity';
import { Contact } from '../contacts/contact.entity';
import { User } from '../users/user.entity';

export const CALLBACK_REQUEST_STATES = [
  'booked',
  'retrying',
  'served',
  'not_reached',
  'cancelled',
] as const;
export type CallbackRequestState = (typeof CALLBACK_REQUEST_STATES)[number];
/** Still to be kept: one per number per campaign. */
export const OPEN_REQUEST_STATES: readonly CallbackRequestState[] = ['booked', 'retrying'];
/** States that hold a seat in their slot (a cancelled request gives it back). */
export const SEATED_REQUEST_STATES: readonly CallbackRequestState[] = [
  'booked',
  'retrying',
  'served',
  'not_reached',
];

export const CALLBACK_REQUEST_SOURCES = ['api', 'web'] as const;
export type CallbackRequestSource = (typeof CALLBACK_REQUEST_SOURCES)[number];

/**
 * A caller's "call me back" in a slot: a seat in the slot's capacity and a public callback
 * of the campaign due at the slot's start, carrying what the caller already said.
 */
@Entity('callback_requests')
@Index('IDX_callback_requests_slot', ['campaignId', 'slotStart', 'state'])
@Index('IDX_callback_requests_phone', ['campaignId', 'phone', 'state'])
@Index('IDX_callback_requests_state_end', ['state', 'slotEnd'])
@Index('IDX_callback_requests_contact', ['contactId', 'state'])
@Index('IDX_callback_requests_ip', ['clientIp', 'createdAt'])
@Index('IDX_callback_requests_campaign_created', ['campaignId', 'createdAt'])
export class CallbackRequest {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'campaign_id', type: 'integer' })
  campaignId!: number;

  @ManyToOne(() => Campaign, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'campaign_id', foreignKeyConstraintName: 'FK_callback_requests_campaign' })
  campaign?: Campaign;

  @Column({ name: 'contact_id', type: 'integer' })
  contactId!: number;

  @ManyToOne(() => Contact, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'contact_id', foreignKeyConstraintName: 'FK_callback_requests_contact' })
  contact?: Contact;

  /** The public callback that keeps the promise. */
  @Column({ name: 'callback_id', type: 'integer', nullable: true })
  callbackId!: number | null;

  @ManyToOne(() => Callback, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'callback_id', foreignKeyConstraintName: 'FK_callback_requests_callback' })
  callback?: Callback;

  /** E.164. */
  @Column({ type: 'varchar', length: 20 })
  phone!: string;

  @Column({ type: 'varchar', length: 120, nullable: true })
  name!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  reason!: string | null;

  /** What the caller already said (IVR choices, queue waited...), shown to the operator. */
  @Column({ type: 'simple-json', nullable: true })
  context!: Record<string, unknown> | null;

  @Column({ name: 'slot_start', type: 'datetime' })
  slotStart!: Date;

  @Column({ name: 'slot_end', type: 'datetime' })
  slotEnd!: Date;

  @Column({ type: 'varchar', length: 8 })
  source!: CallbackRequestSource;

  /** The web visitor's address (the public page's per-address limit). */
  @Column({ name: 'client_ip', type: 'varchar', length: 45, nullable: true })
  clientIp!: string | null;

  /** The integration user whose token sent it. */
  @Column({ name: 'requested_by', type: 'integer', nullable: true })
  requestedBy!: number | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'requested_by', foreignKeyConstraintName: 'FK_callback_requests_user' })
  requester?: User;

  @Column({ type: 'varchar', length: 12, default: 'booked' })
  state!: CallbackRequestState;

  /** Calls made to keep it (a no answer with a retry rule tries again). */
  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /** When the first call to keep it started: inside the window or not. */
  @Column({ name: 'first_attempt_at', type: 'datetime', nullable: true })
  firstAttemptAt!: Date | null;

  @Column({ name: 'served_at', type: 'datetime', nullable: true })
  servedAt!: Date | null;

  /** When it was flagged to coordinators: its window ended and nobody had reached the caller. */
  @Column({ name: 'late_at', type: 'datetime', nullable: true })
  lateAt!: Date | null;

  @Column({ name: 'closed_at', type: 'datetime', nullable: true })
  closedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' })
  updatedAt!: Date;
}
