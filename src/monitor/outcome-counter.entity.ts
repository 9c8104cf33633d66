import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { OutcomeType } from '../outcome-statuses/outcome-status.entity';

/**
 * Outcomes per day (the campaign's local date, YYYY-MM-DD in its time zone), campaign,
 * operator and type, counted in the outcome's transaction: the wall and the reports read
 * these instead of counting interactions.
 */
@Entity('outcome_counters')
export class OutcomeCounter {
  @PrimaryColumn({ type: 'varchar', length: 10 })
  day!: string;

  @PrimaryColumn({ name: 'campaign_id', type: 'integer' })
  campaignId!: number;

  @PrimaryColumn({ name: 'operator_id', type: 'integer' })
  operatorId!: number;

  @PrimaryColumn({ name: 'status_type', type: 'varchar', length: 1 })
  statusType!: OutcomeType;

  @Column({ type: 'integer', default: 0 })
  count!: number;
}
