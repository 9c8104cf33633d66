import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Campaign } from '../campaigns/campaign.entity';
import type { StoredImportEntry } from './dto/import-summary.view';

export const IMPORT_STATES = ['running', 'done', 'failed'] as const;
export type ImportState = (typeof IMPORT_STATES)[number];

/** One CSV import: its progress while it runs (the page polls it) and its summary after. */
@Entity('contact_imports')
@Index('IDX_contact_imports_campaign', ['campaignId'])
export class ContactImport {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  /** Chosen by the page before the upload starts, so it can poll progress meanwhile. */
  @Index('UQ_contact_imports_key', { unique: true })
  @Column({ name: 'import_key', type: 'varchar', length: 64 })
  importKey!: string;

  @Column({ name: 'campaign_id', type: 'integer' })
  campaignId!: number;

  @ManyToOne(() => Campaign, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'campaign_id', foreignKeyConstraintName: 'FK_contact_imports_campaign' })
  campaign?: Campaign;

  /** The list its contacts belong to. */
  @Column({ name: 'list_id', type: 'integer', nullable: true })
  listId!: number | null;

  @Column({ name: 'user_id', type: 'integer', nullable: true })
  userId!: number | null;

  @Column({ name: 'file_name', type: 'varchar', length: 255, nullable: true })
  fileName!: string | null;

  @Column({ type: 'varchar', length: 8, default: 'running' })
  state!: ImportState;

  /** Data lines read so far (the header not counted). */
  @Column({ type: 'integer', default: 0 })
  processed!: number;

  @Column({ type: 'integer', default: 0 })
  imported!: number;

  /** Contacts already in the campaign (same phone) whose data the file updated. */
  @Column({ type: 'integer', default: 0 })
  updated!: number;

  @Column({ type: 'integer', default: 0 })
  skipped!: number;

  @Column({ name: 'skipped_do_not_call', type: 'integer', default: 0 })
  skippedDoNotCall!: number;

  @Column({ name: 'skipped_duplicates', type: 'integer', default: 0 })
  skippedDuplicates!: number;

  /** The first error lines (capped; `errorCount` has them all), then the failure if any. */
  @Column({ type: 'simple-json' })
  errors!: StoredImportEntry[];

  @Column({ name: 'error_count', type: 'integer', default: 0 })
  errorCount!: number;

  /** Why the whole file was refused or stopped (bad encoding, broken quote...). */
  @Column({ type: 'varchar', length: 500, nullable: true })
  failure!: string | null;

  @CreateDateColumn({ name: 'started_at', type: 'datetime' })
  startedAt!: Date;

  @Column({ name: 'finished_at', type: 'datetime', nullable: true })
  finishedAt!: Date | null;
}
