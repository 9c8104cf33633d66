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

/**
 * What an outage notification campaign tells its customers: read on the call (the
 * campaign's script is made from it) and e-mailed to those who cannot be called.
 */
@Entity('outages')
export class Outage {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Index('UQ_outages_campaign', { unique: true })
  @Column({ name: 'campaign_id', type: 'integer' })
  campaignId!: number;

  @ManyToOne(() => Campaign, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'campaign_id', foreignKeyConstraintName: 'FK_outages_campaign' })
  campaign?: Campaign;

  @Column({ name: 'what_happened', type: 'text' })
  whatHappened!: string;

  @Column({ name: 'expected_restore', type: 'varchar', length: 200 })
  expectedRestore!: string;

  @Column({ name: 'what_to_do', type: 'text' })
  whatToDo!: string;

  /** The language the script and the e-mail are written in. */
  @Column({ type: 'varchar', length: 2 })
  language!: string;

  /** The e-mail sent instead of a call: templates with contact placeholders. */
  @Column({ name: 'email_subject', type: 'varchar', length: 300 })
  emailSubject!: string;

  @Column({ name: 'email_body', type: 'text' })
  emailBody!: string;

  /** The outcome status an e-mailed contact is given (and its e-mail is filed under). */
  @Column({ name: 'emailed_status_id', type: 'integer' })
  emailedStatusId!: number;

  @Column({ name: 'created_by', type: 'integer', nullable: true })
  createdBy!: number | null;

  /** Closed: the campaign is paused and the final report is available. */
  @Column({ name: 'closed_at', type: 'datetime', nullable: true })
  closedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;
}
