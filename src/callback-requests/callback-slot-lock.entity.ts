import { Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Campaign } from '../campaigns/campaign.entity';

/**
 * One row per slot that has been asked for: requests for the slot lock it (FOR UPDATE)
 * before counting the seats taken, so concurrent requests take turns and a slot is never
 * overbooked, while requests for other slots go on in parallel.
 */
@Entity('callback_slot_locks')
export class CallbackSlotLock {
  @PrimaryColumn({ name: 'campaign_id', type: 'integer' })
  campaignId!: number;

  @ManyToOne(() => Campaign, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'campaign_id', foreignKeyConstraintName: 'FK_callback_slot_locks_campaign' })
  campaign?: Campaign;

  @PrimaryColumn({ name: 'slot_start', type: 'datetime' })
  slotStart!: Date;
}
