import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Campaign } from '../campaigns/campaign.entity';

/**
 * A request booked (or moved) through the public page: what its per-address and
 * per-number limits count. Written by the clock, so the limits' windows follow it.
 */
@Entity('callback_web_submissions')
@Index('IDX_callback_web_submissions_ip', ['campaignId', 'clientIp', 'createdAt'])
@Index('IDX_callback_web_submissions_phone', ['campaignId', 'phone', 'createdAt'])
export class CallbackWebSubmission {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'campaign_id', type: 'integer' })
  campaignId!: number;

  @ManyToOne(() => Campaign, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'campaign_id',
    foreignKeyConstraintName: 'FK_callback_web_submissions_campaign',
  })
  campaign?: Campaign;

  @Column({ name: 'client_ip', type: 'varchar', length: 45 })
  clientIp!: string;

  /** E.164. */
  @Column({ type: 'varchar', length: 20 })
  phone!: string;

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;
}
