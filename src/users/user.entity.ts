import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { Language } from '../config/app.config';
import type { Role } from '../common/access/role';

@Entity('users')
export class User {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Index('UQ_users_username', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  username!: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash!: string;

  @Column({ name: 'display_name', type: 'varchar', length: 120 })
  displayName!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: Role;

  /** Languages the operator speaks with customers (dispatch prefers a match). */
  @Column({ type: 'simple-array', nullable: true })
  languages!: string[] | null;

  /** The operator's team on the coordinators' wall and in the reports (free text). */
  @Column({ type: 'varchar', length: 60, nullable: true })
  team!: string | null;

  /** The operator's phone extension: telephony events for it pop on their page. */
  @Index('UQ_users_extension', { unique: true })
  @Column({ type: 'varchar', length: 32, nullable: true })
  extension!: string | null;

  /** Language of the user interface; null = the configured default. */
  @Column({ name: 'ui_language', type: 'varchar', length: 2, nullable: true })
  uiLanguage!: Language | null;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column({ name: 'last_login_at', type: 'datetime', nullable: true })
  lastLoginAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' })
  updatedAt!: Date;
}
