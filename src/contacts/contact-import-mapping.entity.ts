import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Campaign } from '../campaigns/campaign.entity';

/** One column of a list and what it becomes: a contact field, another number, custom, nothing. */
export interface MappedColumn {
  /** As the file's header writes it. */
  header: string;
  /** `firstName`..., `phone:<label>`, `custom:<name>` or `ignore`. */
  to: string;
}

/** The mapping a campaign's last list was imported with, offered for the next file. */
@Entity('contact_import_mappings')
export class ContactImportMapping {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Index('UQ_contact_import_mappings_campaign', { unique: true })
  @Column({ name: 'campaign_id', type: 'integer' })
  campaignId!: number;

  @ManyToOne(() => Campaign, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'campaign_id',
    foreignKeyConstraintName: 'FK_contact_import_mappings_campaign',
  })
  campaign?: Campaign;

  @Column({ type: 'simple-json' })
  columns!: MappedColumn[];

  @Column({ name: 'updated_by', type: 'integer', nullable: true })
  updatedBy!: number | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' })
  updatedAt!: Date;
}
