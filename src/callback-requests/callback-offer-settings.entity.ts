import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Campaign } from '../campaigns/campaign.entity';

/**
 * How a campaign offers callbacks to callers (IVR, queue, web site). A campaign without a
 * row offers nothing: no capacity, no promise.
 */
@Entity('callback_offer_settings')
export class CallbackOfferSettings {
  @PrimaryColumn({ name: 'campaign_id', type: 'integer' })
  campaignId!: number;

  @ManyToOne(() => Campaign, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'campaign_id',
    foreignKeyConstraintName: 'FK_callback_offer_settings_campaign',
  })
  campaign?: Campaign;

  /** Length of a callback window; slots start at the opening time and every this many minutes. */
  @Column({ name: 'slot_minutes', type: 'integer', default: 30 })
  slotMinutes!: number;

  /** Slots starting sooner than this are not offered: staff need time to plan the call. */
  @Column({ name: 'lead_minutes', type: 'integer', default: 15 })
  leadMinutes!: number;

  /** Callbacks a slot takes when its weekday and hour have no capacity of their own. */
  @Column({ name: 'default_capacity', type: 'integer', default: 0 })
  defaultCapacity!: number;

  /** How many days ahead slots are offered (today counts as the first). */
  @Column({ name: 'days_ahead', type: 'integer', default: 7 })
  daysAhead!: number;

  /** Whether the public booking page of the campaign is open. */
  @Column({ name: 'public_page', type: 'boolean', default: false })
  publicPage!: boolean;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' })
  updatedAt!: Date;
}
