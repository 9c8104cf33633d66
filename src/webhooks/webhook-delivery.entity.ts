import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { WebhookEndpoint } from './webhook-endpoint.entity';

export const WEBHOOK_DELIVERY_STATES = ['queued', 'sending', 'delivered', 'failed'] as const;
export type WebhookDeliveryState = (typeof WEBHOOK_DELIVERY_STATES)[number];

/**
 * One event for one endpoint, written in the transaction that caused the event. The sender
 * claims it (`sending`, with a token and a deadline), posts it and records `delivered`, or
 * puts it back in the queue with a growing back-off, or after its last attempt `failed`.
 * The unique (endpoint, event) pair: one attempt sequence per event per endpoint.
 */
@Entity('webhook_deliveries')
@Index('UQ_webhook_deliveries_endpoint_event', ['endpointId', 'eventId'], { unique: true })
@Index('IDX_webhook_deliveries_queue', ['state', 'nextAttemptAt'])
@Index('IDX_webhook_deliveries_claim', ['state', 'claimUntil'])
export class WebhookDelivery {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'endpoint_id', type: 'integer' })
  endpointId!: number;

  @ManyToOne(() => WebhookEndpoint, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'endpoint_id', foreignKeyConstraintName: 'FK_webhook_deliveries_endpoint' })
  endpoint?: WebhookEndpoint;

  /** The event's uuid (the body's `id`), the same for every endpoint it goes to. */
  @Column({ name: 'event_id', type: 'varchar', length: 36 })
  eventId!: string;

  @Column({ name: 'event_type', type: 'varchar', length: 40 })
  eventType!: string;

  /** The body exactly as it is posted and signed. */
  @Column({ type: 'text' })
  payload!: string;

  @Column({ type: 'varchar', length: 10, default: 'queued' })
  state!: WebhookDeliveryState;

  /** Attempts so far (a claim counts as one). */
  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'datetime' })
  nextAttemptAt!: Date;

  @Column({ name: 'claimed_by', type: 'varchar', length: 40, nullable: true })
  claimedBy!: string | null;

  /** A `sending` claim past this belongs to a sender that died: it is tried again. */
  @Column({ name: 'claim_until', type: 'datetime', nullable: true })
  claimUntil!: Date | null;

  @Column({ name: 'last_status_code', type: 'integer', nullable: true })
  lastStatusCode!: number | null;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError!: string | null;

  @Column({ name: 'last_attempt_at', type: 'datetime', nullable: true })
  lastAttemptAt!: Date | null;

  @Column({ name: 'delivered_at', type: 'datetime', nullable: true })
  deliveredAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;
}
