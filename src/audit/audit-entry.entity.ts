import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Who did what to which record, without the content (e.g. a lease that expired). */
@Entity('audit_log')
@Index('IDX_audit_log_entity', ['entity', 'entityId'])
export class AuditEntry {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @CreateDateColumn({ name: 'at', type: 'datetime' })
  at!: Date;

  @Column({ name: 'user_id', type: 'integer', nullable: true })
  userId!: number | null;

  @Column({ type: 'varchar', length: 40 })
  action!: string;

  @Column({ type: 'varchar', length: 40 })
  entity!: string;

  @Column({ name: 'entity_id', type: 'integer', nullable: true })
  entityId!: number | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  detail!: string | null;
}
