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
import { User } from '../users/user.entity';

export const CTI_EVENT_TYPES = ['call.ringing', 'call.answered', 'call.ended'] as const;
export type CtiEventType = (typeof CTI_EVENT_TYPES)[number];

/**
 * A telephony event for an operator, kept in the database: every app instance streams the
 * new ones to the operators watching it (a call ended starts the lease's wrap-up).
 */
@Entity('cti_events')
@Index('IDX_cti_events_operator', ['operatorId', 'id'])
export class CtiEvent {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'operator_id', type: 'integer' })
  operatorId!: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'operator_id', foreignKeyConstraintName: 'FK_cti_events_operator' })
  operator?: User;

  @Column({ type: 'varchar', length: 16 })
  type!: CtiEventType;

  @Column({ name: 'call_id', type: 'varchar', length: 100 })
  callId!: string;

  /** E.164. */
  @Column({ type: 'varchar', length: 20 })
  phone!: string;

  /** The contact the number matched in the operator's campaigns, if any. */
  @Column({ name: 'contact_id', type: 'integer', nullable: true })
  contactId!: number | null;

  @ManyToOne(() => Contact, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'contact_id', foreignKeyConstraintName: 'FK_cti_events_contact' })
  contact?: Contact;

  @Column({ name: 'campaign_id', type: 'integer', nullable: true })
  campaignId!: number | null;

  @ManyToOne(() => Campaign, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'campaign_id', foreignKeyConstraintName: 'FK_cti_events_campaign' })
  campaign?: Campaign;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;
}
