import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A browser session, shared by every app instance through the database. */
@Entity('web_sessions')
export class WebSession {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Index('IDX_web_sessions_user_id')
  @Column({ name: 'user_id', type: 'integer', nullable: true })
  userId!: number | null;

  @Column({ type: 'text' })
  data!: string;

  @Index('IDX_web_sessions_expires_at')
  @Column({ name: 'expires_at', type: 'datetime' })
  expiresAt!: Date;
}
