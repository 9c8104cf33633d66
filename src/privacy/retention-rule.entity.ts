import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Campaign } from '../campaigns/campaign.entity';

/**
 * How long a campaign keeps what its contacts said and who they are once nobody works them:
 * past `months` since the last outcome (or the import, for one never called) a job
 * anonymises them as an erasure does, without putting their numbers on the do-not-call list.
 */
@Entity('retention_rules')
export class RetentionRule {
  @PrimaryColumn({ name: 'campaign_id', type: 'integer' })
  campaignId!: number;

  @ManyToOne(() => Campaign, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'campaign_id', foreignKeyConstraintName: 'FK_retention_rules_campaign' })
  campaign?: Campaign;

  @Column({ type: 'integer' })
  months!: number;

  @Column({ name: 'updated_by', type: 'integer', nullable: true })
  updatedBy!: number | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' })
  updatedAt!: Date;
}
