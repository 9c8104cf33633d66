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
import { Campaign } from '../campaigns/campaign.entity';
import { ContactList } from './contact-list.entity';

export const CONTACT_STATES = ['new', 'in_progress', 'callback', 'retry', 'done', 'final'] as const;
export type ContactState = (typeof CONTACT_STATES)[number];

/** Another channel the contact chose instead of being called proactively. */
export const PREFERRED_CHANNELS = ['chat', 'email'] as const;
export type PreferredChannel = (typeof PREFERRED_CHANNELS)[number];

/**
 * Tags stored as ",call_next:outage,vip," (null: none), so that one LIKE '%,tag,%' finds
 * a tag whatever its place.
 */
export const tagsColumn = {
  to: (tags: string[] | null | undefined): string | null =>
    tags && tags.length > 0 ? `,${tags.join(',')},` : null,
  from: (stored: string | null): string[] =>
    stored ? stored.split(',').filter((tag) => tag !== '') : [],
};

/** A number of a contact with what it is ("cellulare", "ufficio"). */
export interface LabelledPhone {
  number: string;
  label: string;
}

/** A person to call in a campaign; a phone appears once per campaign. */
@Entity('contacts')
@Index('UQ_contacts_campaign_phone', ['campaignId', 'phone'], { unique: true })
@Index('IDX_contacts_campaign_state', ['campaignId', 'state'])
@Index('IDX_contacts_campaign_last_name', ['campaignId', 'lastName'])
@Index('IDX_contacts_phone', ['phone'])
// Dispatch: retries by due time, new contacts by language then id (the primary key
// completes both indexes, so each next-contact query reads one index range in order).
@Index('IDX_contacts_queue_due', ['campaignId', 'state', 'nextCallAt'])
@Index('IDX_contacts_queue_language', ['campaignId', 'state', 'language'])
@Index('IDX_contacts_list_state', ['listId', 'state'])
export class Contact {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'campaign_id', type: 'integer' })
  campaignId!: number;

  @ManyToOne(() => Campaign, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'campaign_id', foreignKeyConstraintName: 'FK_contacts_campaign' })
  campaign?: Campaign;

  /** The list it came with (an import, or the API's listId); null before lists existed. */
  @Column({ name: 'list_id', type: 'integer', nullable: true })
  listId!: number | null;

  @ManyToOne(() => ContactList, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'list_id', foreignKeyConstraintName: 'FK_contacts_list' })
  list?: ContactList;

  @Column({ name: 'first_name', type: 'varchar', length: 100 })
  firstName!: string;

  @Column({ name: 'last_name', type: 'varchar', length: 100 })
  lastName!: string;

  /** E.164, normalised on the way in. */
  @Column({ type: 'varchar', length: 20 })
  phone!: string;

  @Column({ type: 'varchar', length: 254, nullable: true })
  email!: string | null;

  /** Language the contact speaks (two letters), for dispatch to an operator who speaks it. */
  @Column({ type: 'varchar', length: 2, nullable: true })
  language!: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  city!: string | null;

  @Column({ type: 'varchar', length: 8, nullable: true })
  province!: string | null;

  /** Street and number, as the customer says it (corrected in the call). */
  @Column({ type: 'varchar', length: 200, nullable: true })
  address!: string | null;

  @Column({ name: 'postal_code', type: 'varchar', length: 10, nullable: true })
  postalCode!: string | null;

  /** More numbers of the contact, labelled (E.164); `phone` is the main one. */
  @Column({ name: 'other_phones', type: 'simple-json', nullable: true })
  otherPhones!: LabelledPhone[] | null;

  /** Any extra columns of the imported list, kept as they came. */
  @Column({ type: 'simple-json', nullable: true })
  fields!: Record<string, string> | null;

  /** Why to call (e.g. "voicemail", "access-help"): picks the follow-up e-mail, checked by eligibility. */
  @Column({ name: 'call_reason', type: 'varchar', length: 60, nullable: true })
  callReason!: string | null;

  /** Set by import or API: the contact prefers chat or e-mail to a proactive call. */
  @Column({ name: 'preferred_channel', type: 'varchar', length: 8, nullable: true })
  preferredChannel!: PreferredChannel | null;

  /** Consent to proactive calls: null unknown; the workflow's consent step records it. */
  @Column({ type: 'boolean', nullable: true })
  consent!: boolean | null;

  /** The answer to a "recording" consent step: false = continue by e-mail. */
  @Column({ name: 'recording_consent', type: 'boolean', nullable: true })
  recordingConsent!: boolean | null;

  /** The eligibility rule that stopped the contact from being dispatched (state final). */
  @Column({ name: 'ineligible_reason', type: 'varchar', length: 24, nullable: true })
  ineligibleReason!: string | null;

  /** Labels such as `call_next:outage` (replaced by `done:outage` when the contact is done). */
  @Column({ type: 'varchar', length: 500, nullable: true, transformer: tagsColumn })
  tags!: string[];

  @Column({ type: 'varchar', length: 16, default: 'new' })
  state!: ContactState;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'last_status_id', type: 'integer', nullable: true })
  lastStatusId!: number | null;

  @Column({ name: 'last_outcome_at', type: 'datetime', nullable: true })
  lastOutcomeAt!: Date | null;

  /** When a contact waiting for a retry may be called again. */
  @Column({ name: 'next_call_at', type: 'datetime', nullable: true })
  nextCallAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' })
  updatedAt!: Date;
}
