import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Failed sign-ins, counted per username (and per address with a high ceiling). */
@Entity('login_failures')
@Index('IDX_login_failures_username_at', ['username', 'attemptedAt'])
@Index('IDX_login_failures_address_at', ['address', 'attemptedAt'])
export class LoginFailure {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'varchar', length: 64 })
  username!: string;

  @Column({ type: 'varchar', length: 64 })
  address!: string;

  @Column({ name: 'attempted_at', type: 'datetime' })
  attemptedAt!: Date;
}
