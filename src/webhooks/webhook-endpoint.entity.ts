import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/**
 * A receiver an admin registered: where events go, which ones, and the secret that signs
 * them. `events` is stored as `,type,type,` so that one LIKE picks the endpoints of an event
 * inside the outbox's INSERT ... SELECT. `active` is the admin's switch (inactive: no event
 * is recorded for it); `pausedAt` is the sender's (it kept failing: events still queue, and
 * go out when an admin resumes it).
 */
@Entity('webhook_endpoints')
@Index('IDX_webhook_endpoints_active', ['active'])
export class WebhookEndpoint {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'varchar', length: 2000 })
  url!: string;

  @Column({ type: 'varchar', length: 400 })
  events!: string;

  /** Kept as typed: the sender signs with it. Never shown back but for its last 4 characters. */
  @Column({ type: 'varchar', length: 200 })
  secret!: string;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column({ name: 'paused_at', type: 'datetime', nullable: true })
  pausedAt!: Date | null;

  @Column({ name: 'pause_reason', type: 'varchar', length: 300, nullable: true })
  pauseReason!: string | null;

  /** Failed attempts in a row, across its deliveries; a success sets it back to 0. */
  @Column({ name: 'consecutive_failures', type: 'integer', default: 0 })
  consecutiveFailures!: number;

  /** The first failed attempt of the current run of failures. */
  @Column({ name: 'failing_since', type: 'datetime', nullable: true })
  failingSince!: Date | null;

  @Column({ name: 'created_by', type: 'integer', nullable: true })
  createdBy!: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' })
  updatedAt!: Date;
}
