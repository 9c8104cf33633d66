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
import { Agent } from '../agents/agent.entity';
import { Campaign } from '../campaigns/campaign.entity';
import { Contact } from '../contacts/contact.entity';
import { User } from '../users/user.entity';

/**
 * booked → done | no_show | cancelled | reschedule. `reschedule`: the agent cannot keep it and
 * the customer is to be called back for a new date (a callback for the operator who booked it).
 */
export const APPOINTMENT_STATES = ['booked', 'done', 'no_show', 'cancelled', 'reschedule'] as const;
export type AppointmentState = (typeof APPOINTMENT_STATES)[number];

/** A visit booked for a field agent (type T outcome). */
@Entity('appointments')
@Index('IDX_appointments_agent_starts', ['agentId', 'startsAt'])
// The agenda page: every agent's appointments of a day or a week.
@Index('IDX_appointments_starts', ['startsAt'])
export class Appointment {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'agent_id', type: 'integer' })
  agentId!: number;

  @ManyToOne(() => Agent, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'agent_id', foreignKeyConstraintName: 'FK_appointments_agent' })
  agent?: Agent;

  @Column({ name: 'campaign_id', type: 'integer' })
  campaignId!: number;

  @ManyToOne(() => Campaign, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'campaign_id', foreignKeyConstraintName: 'FK_appointments_campaign' })
  campaign?: Campaign;

  @Column({ name: 'contact_id', type: 'integer' })
  contactId!: number;

  @ManyToOne(() => Contact, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'contact_id', foreignKeyConstraintName: 'FK_appointments_contact' })
  contact?: Contact;

  @Column({ name: 'operator_id', type: 'integer', nullable: true })
  operatorId!: number | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'operator_id', foreignKeyConstraintName: 'FK_appointments_operator' })
  operator?: User;

  @Column({ name: 'starts_at', type: 'datetime' })
  startsAt!: Date;

  @Column({ name: 'ends_at', type: 'datetime' })
  endsAt!: Date;

  @Column({ type: 'varchar', length: 12, default: 'booked' })
  state!: AppointmentState;

  /** Booked over another appointment of the agent (overlap policy warn or allow). */
  @Column({ type: 'boolean', default: false })
  overlaps!: boolean;

  /** For the agent: product interest, directions. */
  @Column({ type: 'text', nullable: true })
  notes!: string | null;

  /** Why it was cancelled, moved or sent back for rescheduling. */
  @Column({ name: 'state_reason', type: 'varchar', length: 500, nullable: true })
  stateReason!: string | null;

  /** Who last moved it or changed its state (a coordinator or backoffice user). */
  @Column({ name: 'changed_by', type: 'integer', nullable: true })
  changedBy!: number | null;

  /**
   * Bumped on every change of time, agent or state: calendar apps replace an event only
   * when its SEQUENCE grows (RFC 5545).
   */
  @Column({ type: 'integer', default: 0 })
  sequence!: number;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' })
  updatedAt!: Date;
}
