import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Instance-independent settings generated once (e.g. the session signing secret). */
@Entity('app_settings')
export class AppSetting {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  key!: string;

  @Column({ type: 'text' })
  value!: string;
}
