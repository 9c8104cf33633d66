import {
  Column,
  CreateDateColumn,
  Entity,
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

  @OneToMany(() => AgentAbsence, (absence) => absence.agent)
  absences?: AgentAbsence[];

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' })
  updatedAt!: Date;
}
