import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One row: a stamp that changes with every write of campaign configuration (campaigns,
 * their steps and links, outcome statuses, products, agents). Each instance keeps that
 * configuration in memory and compares this stamp to know when to read it again.
 */
@Entity('config_versions')
export class ConfigVersion {
  @PrimaryColumn({ type: 'integer' })
  id!: number;

  /** Random per write (never a counter: a test's emptied table cannot bring an old one back). */
  @Column({ type: 'varchar', length: 36 })
  stamp!: string;
}
