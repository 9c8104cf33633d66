import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { OutcomeStatus } from '../outcome-statuses/outcome-status.entity';

/**
 * The e-mail an outcome status sends after the call, for one contact reason ('' = any
 * reason) in one language: subject and body are handlebars with contact and operator
 * placeholders, checked when saved.
 */
@Entity('follow_up_templates')
@Index('UQ_follow_up_templates_status_reason_language', ['statusId', 'reason', 'language'], {
  unique: true,
})
export class FollowUpTemplate {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'status_id', type: 'integer' })
  statusId!: number;

  @ManyToOne(() => OutcomeStatus, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'status_id', foreignKeyConstraintName: 'FK_follow_up_templates_status' })
  status?: OutcomeStatus;

  /** The contact's call reason this template is for; '' for any reason. */
  @Column({ type: 'varchar', length: 60, default: '' })
  reason!: string;

  @Column({ type: 'varchar', length: 2 })
  language!: string;

  @Column({ type: 'varchar', length: 200 })
  subject!: string;

  @Column({ type: 'text' })
  body!: string;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' })
  updatedAt!: Date;
}
