import { Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { OutcomeStatus } from '../outcome-statuses/outcome-status.entity';
import { Campaign } from './campaign.entity';

/** An outcome status allowed in a campaign (a status in use cannot be deleted, only archived). */
@Entity('campaign_statuses')
export class CampaignStatus {
  @PrimaryColumn({ name: 'campaign_id', type: 'integer' })
  campaignId!: number;

  @PrimaryColumn({ name: 'status_id', type: 'integer' })
  statusId!: number;

  @ManyToOne(() => Campaign, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'campaign_id', foreignKeyConstraintName: 'FK_campaign_statuses_campaign' })
  campaign?: Campaign;

  @ManyToOne(() => OutcomeStatus, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'status_id', foreignKeyConstraintName: 'FK_campaign_statuses_status' })
  status?: OutcomeStatus;
}
