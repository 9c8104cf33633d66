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

export const ELIGIBILITY_RULES = [
  'consent',
  'language',
  'reason',
  'concurrency',
  'channel',
] as const;
export type EligibilityRule = (typeof ELIGIBILITY_RULES)[number];

/** A contact (or an operator, for the concurrency limit) refused at dispatch, and why. */
@Entity('eligibility_refusals')
@Index('IDX_eligibility_refusals_campaign', ['campaignId', 'rule'])
export class EligibilityRefusal {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'campaign_id', type: 'integer' })
  campaignId!: number;

  @ManyToOne(() => Campaign, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'campaign_id', foreignKeyConstraintName: 'FK_eligibility_refusals_campaign' })
  campaign?: Campaign;

  @Column({ name: 'contact_id', type: 'integer', nullable: true })
  contactId!: number | null;

  @ManyToOne(() => Contact, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'contact_id', foreignKeyConstraintName: 'FK_eligibility_refusals_contact' })
  contact?: Contact;

  @Column({ name: 'operator_id', type: 'integer', nullable: true })
  operatorId!: number | null;

  @Column({ type: 'varchar', length: 24 })
  rule!: EligibilityRule;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;
}
