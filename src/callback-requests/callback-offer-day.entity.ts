import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Campaign } from '../campaigns/campaign.entity';
import type { CallbackRequestSource } from './callback-request.entity';

/**
 * Per campaign, local day and source: how many times callers were shown free slots
 * (offered) and how many requests were booked or moved (accepted). Counted as it happens
 * (addToCounter), so the report never scans the API's traffic.
 */
@Entity('callback_offer_days')
export class CallbackOfferDay {
  @PrimaryColumn({ name: 'campaign_id', type: 'integer' })
  campaignId!: number;

  @ManyToOne(() => Campaign, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'campaign_id', foreignKeyConstraintName: 'FK_callback_offer_days_campaign' })
  campaign?: Campaign;

  /** The campaign's local day, "YYYY-MM-DD". */
  @PrimaryColumn({ type: 'varchar', length: 10 })
  day!: string;

  @PrimaryColumn({ type: 'varchar', length: 8 })
  source!: CallbackRequestSource;

  @Column({ type: 'integer', default: 0 })
  offered!: number;

  @Column({ type: 'integer', default: 0 })
  accepted!: number;
}
