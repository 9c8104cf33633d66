import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Campaign } from '../campaigns/campaign.entity';
import { Contact } from '../contacts/contact.entity';
import { OutcomeStatus, type OutcomeType } from '../outcome-statuses/outcome-status.entity';
import { User } from '../users/user.entity';

/** One field a call corrected on its contact: a text, or the list of extra phones. */
export interface FieldChange {
  before: string | Array<{ number: string; label: string }> | null;
  after: string | Array<{ number: string; label: string }> | null;
}

/** One worked call and its confirmed outcome (esito): written once, never edited. */
@Entity('interactions')
@Index('IDX_interactions_contact', ['contactId', 'id'])
@Index('IDX_interactions_operator_created', ['operatorId', 'createdAt'])
@Index('IDX_interactions_campaign_created', ['campaignId', 'createdAt'])
export class Interaction {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'contact_id', type: 'integer' })
  contactId!: number;

  @ManyToOne(() => Contact, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'contact_id', foreignKeyConstraintName: 'FK_interactions_contact' })
  contact?: Contact;

  @Column({ name: 'campaign_id', type: 'integer' })
  campaignId!: number;

  @ManyToOne(() => Campaign, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'campaign_id', foreignKeyConstraintName: 'FK_interactions_campaign' })
  campaign?: Campaign;

  @Column({ name: 'operator_id', type: 'integer', nullable: true })
  operatorId!: number | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'operator_id', foreignKeyConstraintName: 'FK_interactions_operator' })
  operator?: User;

  @Column({ name: 'status_id', type: 'integer' })
  statusId!: number;

  @ManyToOne(() => OutcomeStatus, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'status_id', foreignKeyConstraintName: 'FK_interactions_status' })
  status?: OutcomeStatus;

  /** The status's type when confirmed (a status's type never changes once used). */
  @Column({ name: 'status_type', type: 'varchar', length: 1 })
  statusType!: OutcomeType;

  @Column({ type: 'text', nullable: true })
  notes!: string | null;

  /** Answers to the workflow's question and consent steps, by step id. */
  @Column({ type: 'simple-json', nullable: true })
  answers!: Record<string, string> | null;

  @Column({ name: 'started_at', type: 'datetime' })
  startedAt!: Date;

  @Column({ name: 'duration_seconds', type: 'integer' })
  durationSeconds!: number;

  @Column({ name: 'callback_id', type: 'integer', nullable: true })
  callbackId!: number | null;

  @Column({ name: 'contract_id', type: 'integer', nullable: true })
  contractId!: number | null;

  /** What the call corrected on the contact: each field's value before and after. */
  @Column({ name: 'contact_changes', type: 'simple-json', nullable: true })
  contactChanges!: Record<string, FieldChange> | null;

  /** The number the operator dialled (E.164), when the contact has more than one. */
  @Column({ name: 'dialled_phone', type: 'varchar', length: 20, nullable: true })
  dialledPhone!: string | null;

  @Column({ name: 'appointment_id', type: 'integer', nullable: true })
  appointmentId!: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;
}
