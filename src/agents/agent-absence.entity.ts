import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Agent } from './agent.entity';

/** Holidays, sick days, time off: no appointment may fall inside one. */
@Entity('agent_absences')
@Index('IDX_agent_absences_agent_starts', ['agentId', 'startsAt'])
export class AgentAbsence {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'agent_id', type: 'integer' })
  agentId!: number;

  @ManyToOne(() => Agent, (agent) => agent.absences, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'agent_id', foreignKeyConstraintName: 'FK_agent_absences_agent' })
  agent?: Agent;

  /** UTC instants; the end is exclusive. */
  @Column({ name: 'starts_at', type: 'datetime' })
  startsAt!: Date;

  @Column({ name: 'ends_at', type: 'datetime' })
  endsAt!: Date;

  @Column({ type: 'varchar', length: 200, nullable: true })
  reason!: string | null;
}
