import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Campaign } from '../campaigns/campaign.entity';

/**
 * One row per slot that has been asked for: requests for the slot lock it with a write
 * (its version goes up, which a Galera cluster certifies where a FOR UPDATE is not) before
 * counting the seats taken, so concurrent requests take turns and a slot is never
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

  /** Goes up with every booking of the slot: the write that serialises them. */
  @Column({ type: 'integer', default: 0 })
  version!: number;
}
