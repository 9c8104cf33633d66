import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  OneToMany,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { AgentAbsence } from './agent-absence.entity';

/** One weekly working window: ISO day (1 = Monday … 7 = Sunday), local "HH:MM" times. */
export interface WorkingHours {
  day: number;
  start: string;
  end: string;
}

/** A field sales agent whose agenda operators book appointments in. */
@Entity('agents')
export class Agent {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'varchar', length: 120 })
  name!: string;

  @Column({ type: 'varchar', length: 254, nullable: true })
  email!: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  phone!: string | null;

  /** Areas covered: provinces ("MI") or postcodes. */
  @Column({ type: 'simple-json' })
  zones!: string[];

  @Column({ name: 'working_hours', type: 'simple-json' })
  workingHours!: WorkingHours[];

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  /** Goes up with every change of the agent's agenda: the write that serialises them (agent-lock.ts). */
  @Column({ name: 'agenda_version', type: 'integer', default: 0, select: false })
  agendaVersion?: number;

  /**
   * The secret in the agent's calendar feed URL (/calendar/<token>.ics); null when no feed
   * is issued. Issuing a new one revokes the old URL.
   */
  @Index('UQ_agents_calendar_token', { unique: true })
  @Column({ name: 'calendar_token', type: 'varchar', length: 64, nullable: true })
  calendarToken!: string | null;

  @OneToMany(() => AgentAbsence, (absence) => absence.agent)
  absences?: AgentAbsence[];

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' })
  updatedAt!: Date;
}
