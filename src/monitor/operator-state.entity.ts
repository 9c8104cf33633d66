import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What an operator set on their page; "on a contact" is read from their lease. */
export const STORED_OPERATOR_STATES = ['logged_out', 'ready', 'paused'] as const;
export type StoredOperatorState = (typeof STORED_OPERATOR_STATES)[number];

/** What the wall shows. */
export const OPERATOR_STATES = ['logged_out', 'ready', 'on_contact', 'paused'] as const;
export type OperatorStateName = (typeof OPERATOR_STATES)[number];

/**
 * One row per operator: the state they set and since when, when their page was last seen
 * (a page that stops answering reads as logged out), and their last outcomes, written in
 * the outcome's transaction so the wall reads one row per operator instead of the history.
 */
@Entity('operator_states')
export class OperatorState {
  @PrimaryColumn({ name: 'user_id', type: 'integer' })
  userId!: number;

  @Column({ type: 'varchar', length: 12 })
  state!: StoredOperatorState;

  @Column({ name: 'pause_reason_id', type: 'integer', nullable: true })
  pauseReasonId!: number | null;

  @Column({ type: 'datetime' })
  since!: Date;

  @Column({ name: 'seen_at', type: 'datetime', nullable: true })
  seenAt!: Date | null;

  @Column({ name: 'last_status_id', type: 'integer', nullable: true })
  lastStatusId!: number | null;

  @Column({ name: 'last_campaign_id', type: 'integer', nullable: true })
  lastCampaignId!: number | null;

  @Column({ name: 'last_outcome_at', type: 'datetime', nullable: true })
  lastOutcomeAt!: Date | null;

  /** The outcomes of the last hour, newest last: `statusId:unixMinute` joined by spaces. */
  @Column({ type: 'varchar', length: 1000, nullable: true })
  recent!: string | null;
}
