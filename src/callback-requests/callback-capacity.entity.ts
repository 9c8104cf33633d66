import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Campaign } from '../campaigns/campaign.entity';

/** Callbacks the staff can make in a slot starting on this ISO weekday (1 = Monday) and local hour. */
@Entity('callback_capacities')
export class CallbackCapacity {
  @PrimaryColumn({ name: 'campaign_id', type: 'integer' })
  campaignId!: number;

  @ManyToOne(() => Campaign, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'campaign_id', foreignKeyConstraintName: 'FK_callback_capacities_campaign' })
  campaign?: Campaign;

  @PrimaryColumn({ type: 'smallint' })
  day!: number;

  @PrimaryColumn({ type: 'smallint' })
  hour!: number;

  @Column({ type: 'integer' })
  capacity!: number;
}
