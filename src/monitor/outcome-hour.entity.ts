import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Outcomes per local hour (the campaign's zone), campaign, operator and status, counted in
 * the outcome's transaction: the reports group these, so they stay fast as months of
 * interactions pile up.
 */
@Entity('outcome_hours')
@Index('IDX_outcome_hours_operator', ['operatorId', 'day'])
export class OutcomeHour {
  @PrimaryColumn({ type: 'varchar', length: 10 })
  day!: string;

  @PrimaryColumn({ type: 'smallint' })
  hour!: number;

  @PrimaryColumn({ name: 'campaign_id', type: 'integer' })
  campaignId!: number;

  @PrimaryColumn({ name: 'operator_id', type: 'integer' })
  operatorId!: number;

  @PrimaryColumn({ name: 'status_id', type: 'integer' })
  statusId!: number;

  @Column({ type: 'integer', default: 0 })
  count!: number;
}
