import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Contact } from '../contacts/contact.entity';

export const FOLLOW_UP_STATES = ['queued', 'sending', 'sent', 'failed'] as const;
export type FollowUpState = (typeof FOLLOW_UP_STATES)[number];

/**
 * One follow-up e-mail in the outbox, rendered when the outcome was confirmed (in the same
 * transaction). The sender claims it (`sending` with a claim token and deadline), sends it
 * and records `sent` or, after its retries, `failed`; a claim whose instance died expires.
 */
@Entity('follow_up_emails')
@Index('IDX_follow_up_emails_queue', ['state', 'nextAttemptAt'])
@Index('IDX_follow_up_emails_claim', ['state', 'claimUntil'])
@Index('IDX_follow_up_emails_contact', ['contactId'])
export class FollowUpEmail {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'contact_id', type: 'integer' })
  contactId!: number;

  @ManyToOne(() => Contact, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'contact_id', foreignKeyConstraintName: 'FK_follow_up_emails_contact' })
  contact?: Contact;

  @Column({ name: 'campaign_id', type: 'integer' })
  campaignId!: number;

  @Column({ name: 'interaction_id', type: 'integer', nullable: true })
  interactionId!: number | null;

  @Column({ name: 'template_id', type: 'integer', nullable: true })
  templateId!: number | null;

  @Column({ name: 'status_id', type: 'integer' })
  statusId!: number;

  @Column({ name: 'to_address', type: 'varchar', length: 254 })
  toAddress!: string;

  @Column({ type: 'varchar', length: 300 })
  subject!: string;

  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'varchar', length: 8, default: 'queued' })
  state!: FollowUpState;

  /** Sending attempts so far (a claim counts as one). */
  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /** When a queued e-mail may be tried (again): the back-off after a failure. */
  @Column({ name: 'next_attempt_at', type: 'datetime' })
  nextAttemptAt!: Date;

  /** The claim's token: only the claimer may record the result. */
  @Column({ name: 'claimed_by', type: 'varchar', length: 40, nullable: true })
  claimedBy!: string | null;

  /** A `sending` claim past this belongs to a sender that died: it is tried again. */
  @Column({ name: 'claim_until', type: 'datetime', nullable: true })
  claimUntil!: Date | null;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError!: string | null;

  /** The SMTP server's answer on acceptance (or our Message-ID). */
  @Column({ name: 'message_id', type: 'varchar', length: 250, nullable: true })
  messageId!: string | null;

  @Column({ name: 'sent_at', type: 'datetime', nullable: true })
  sentAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;
}
