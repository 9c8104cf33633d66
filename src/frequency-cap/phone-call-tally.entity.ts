import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * How often a person was called on one day, whatever the campaign: one row per number and
 * local day, written by the transaction that hands the contact to an operator (the
 * frequency cap reads it instead of scanning the calls). Written only by FrequencyCap.
 */
@Entity('phone_call_tallies')
@Index('IDX_phone_call_tallies_day', ['day'])
export class PhoneCallTally {
  /** E.164, as the contact's number. */
  @PrimaryColumn({ type: 'varchar', length: 20 })
  phone!: string;

  /** The call centre's local date (TIMEZONE), YYYY-MM-DD. */
  @PrimaryColumn({ type: 'varchar', length: 10 })
  day!: string;

  @Column({ type: 'integer', default: 0 })
  calls!: number;

  @Column({ name: 'last_call_at', type: 'datetime', nullable: true })
  lastCallAt!: Date | null;

  /** The campaign of the last call (the gap between campaigns is measured from it). */
  @Column({ name: 'last_campaign_id', type: 'integer', nullable: true })
  lastCampaignId!: number | null;
}
