import { Column, Entity, PrimaryColumn } from 'typeorm';

export const TIMED_STATES = ['ready', 'paused', 'on_contact'] as const;
export type TimedState = (typeof TIMED_STATES)[number];

/**
 * Seconds per day (the call centre's local date), operator and state, added when a state
 * ends: the report of operator time reads these. `ready` includes the time on contacts,
 * which are also counted on their own; `pause_reason_id` is 0 outside a pause.
 */
@Entity('operator_state_days')
export class OperatorStateDay {
  @PrimaryColumn({ type: 'varchar', length: 10 })
  day!: string;

  @PrimaryColumn({ name: 'user_id', type: 'integer' })
  userId!: number;

  @PrimaryColumn({ type: 'varchar', length: 12 })
  state!: TimedState;

  @PrimaryColumn({ name: 'pause_reason_id', type: 'integer' })
  pauseReasonId!: number;

  @Column({ type: 'integer', default: 0 })
  seconds!: number;
}
