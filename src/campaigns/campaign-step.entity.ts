import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { ContractFieldName } from '../contracts/contract-fields';
import { Campaign } from './campaign.entity';

export const STEP_KINDS = ['script', 'question', 'consent', 'notes', 'outcome'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/** What a consent step's yes/no is about: proactive contact, or recording the call. */
export const CONSENT_PURPOSES = ['contact', 'recording'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

/** One step of a campaign's workflow, in order; exactly one is the outcome. */
@Entity('campaign_steps')
@Index('UQ_campaign_steps_campaign_position', ['campaignId', 'position'], { unique: true })
export class CampaignStep {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'campaign_id', type: 'integer' })
  campaignId!: number;

  @ManyToOne(() => Campaign, (campaign) => campaign.steps, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'campaign_id', foreignKeyConstraintName: 'FK_campaign_steps_campaign' })
  campaign?: Campaign;

  @Column({ type: 'integer' })
  position!: number;

  @Column({ type: 'varchar', length: 16 })
  kind!: StepKind;

  @Column({ type: 'varchar', length: 200 })
  title!: string;

  /** Script text (handlebars with {{contact.firstName}}-style placeholders) or the question. */
  @Column({ type: 'text', nullable: true })
  body!: string | null;

  /** For a question: the allowed answers; empty or null = free text. */
  @Column({ type: 'simple-json', nullable: true })
  choices!: string[] | null;

  @Column({ type: 'boolean', default: false })
  required!: boolean;

  /** For a consent step: the answer is stored on the contact (consent / recording consent). */
  @Column({ name: 'consent_purpose', type: 'varchar', length: 12, nullable: true })
  consentPurpose!: ConsentPurpose | null;

  /** For a question: the contract field its answer fills (validated, stored on the contract). */
  @Column({ name: 'contract_field', type: 'varchar', length: 40, nullable: true })
  contractField!: ContractFieldName | null;
}
