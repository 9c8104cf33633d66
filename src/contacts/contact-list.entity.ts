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

/**
 * A list of a campaign's contacts: one import (or the contacts the API added with its id).
 * An inactive list's contacts are not dispatched until it is active again.
 */
@Entity('contact_lists')
@Index('IDX_contact_lists_campaign', ['campaignId'])
export class ContactList {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'campaign_id', type: 'integer' })
  campaignId!: number;

  @ManyToOne(() => Campaign, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'campaign_id', foreignKeyConstraintName: 'FK_contact_lists_campaign' })
  campaign?: Campaign;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ name: 'source_file', type: 'varchar', length: 255, nullable: true })
  sourceFile!: string | null;

  @Column({ name: 'created_by', type: 'integer', nullable: true })
  createdBy!: number | null;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;
}

/** A recycle of a list, kept by its request's key so that asking again does it once. */
@Entity('contact_list_recycles')
@Index('UQ_contact_list_recycles_key', ['listId', 'requestKey'], { unique: true })
export class ContactListRecycle {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'list_id', type: 'integer' })
  listId!: number;

  @ManyToOne(() => ContactList, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'list_id', foreignKeyConstraintName: 'FK_contact_list_recycles_list' })
  list?: ContactList;

  @Column({ name: 'request_key', type: 'varchar', length: 64 })
  requestKey!: string;

  @Column({ name: 'status_ids', type: 'simple-json' })
  statusIds!: number[];

  @Column({ type: 'integer' })
  requeued!: number;

  @Column({ name: 'created_by', type: 'integer', nullable: true })
  createdBy!: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;
}
