import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Why an operator is paused (break, training, meeting...), configured by the admins. */
@Entity('pause_reasons')
export class PauseReason {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Index('UQ_pause_reasons_code', { unique: true })
  @Column({ type: 'varchar', length: 32 })
  code!: string;

  @Column({ type: 'varchar', length: 80 })
  label!: string;

  @Column({ name: 'label_en', type: 'varchar', length: 80, nullable: true })
  labelEn!: string | null;

  /** Past this the operator's tile asks for attention; null: never. */
  @Column({ name: 'max_minutes', type: 'integer', nullable: true })
  maxMinutes!: number | null;

  @Column({ type: 'integer', default: 0 })
  position!: number;

  @Column({ name: 'archived_at', type: 'datetime', nullable: true })
  archivedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;
}
