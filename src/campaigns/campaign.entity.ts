import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { OutcomeStatus } from '../outcome-statuses/outcome-status.entity';
import { CampaignStep } from './campaign-step.entity';
import { windowsOf } from './calling-hours';
import type { HolidayCalendar } from './holiday-calendar';

export const OVERLAP_POLICIES = ['reject', 'warn', 'allow'] as const;
export type OverlapPolicy = (typeof OVERLAP_POLICIES)[number];

export const CAMPAIGN_STATES = ['active', 'paused'] as const;

/**
 * What a campaign calls people for: `marketing` (selling, the default) or `service` (an
 * outage notice, a reminder of the customer's own contract). A do-not-call entry with
 * scope `marketing` blocks only marketing campaigns.
 */
export const CAMPAIGN_PURPOSES = ['marketing', 'service'] as const;
export type CampaignPurpose = (typeof CAMPAIGN_PURPOSES)[number];
export type CampaignState = (typeof CAMPAIGN_STATES)[number];

/** One calling window: an ISO day (1 = Monday) and local "HH:MM" in the campaign's zone. */
export interface DayWindow {
  day: number;
  start: string;
  end: string;
}

/** When contacts may be called: up to two windows a weekday (a lunch break, a short Saturday). */
export type CallingHours = DayWindow[];

/** The first shape: one window, the same every listed day (old rows, old API callers). */
export interface LegacyCallingHours {
  days: number[];
  start: string;
  end: string;
}

/** Rules a contact must pass to be called proactively (see src/eligibility). */
export interface EligibilityRules {
  /** The contact gave consent (contacts.consent true). */
  requireConsent: boolean;
  /** The operator speaks the contact's language (a contact without one passes). */
  matchLanguage: boolean;
  /** Contact reasons that may be called; null: any. */
  allowedReasons: string[] | null;
  /** The operator's active contacts plus reported active chats must stay below this. */
  maxConcurrent: number | null;
  /** A contact who prefers chat or e-mail is not called. */
  respectPreferredChannel: boolean;
}

/** A calling job: a contact list, a workflow, its outcome statuses, products, agents, rules. */
@Entity('campaigns')
export class Campaign {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Index('UQ_campaigns_code', { unique: true })
  @Column({ type: 'varchar', length: 32 })
  code!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  /** IANA time zone the calling hours and appointments are read in. */
  @Column({ type: 'varchar', length: 64 })
  timezone!: string;

  // Rows written before per-weekday windows hold {days, start, end}: read as the same windows.
  @Column({
    name: 'calling_hours',
    type: 'simple-json',
    transformer: {
      from: (stored: CallingHours | LegacyCallingHours | null) => windowsOf(stored),
      to: (value: CallingHours | LegacyCallingHours | undefined) =>
        value === undefined ? value : windowsOf(value),
    },
  })
  callingHours!: CallingHours;

  /** The national calendar whose public holidays close the campaign (null: none). */
  @Column({ type: 'varchar', length: 8, nullable: true, default: 'IT' })
  holidays!: HolidayCalendar | null;

  /** The campaign's own closed days, local "YYYY-MM-DD", sorted (a patron saint's day). */
  @Column({
    name: 'closed_dates',
    type: 'simple-json',
    nullable: true,
    transformer: {
      from: (stored: string[] | null) => stored ?? [],
      to: (value: string[] | undefined) => value,
    },
  })
  closedDates!: string[];

  @Column({ name: 'appointment_minutes', type: 'integer', default: 60 })
  appointmentMinutes!: number;

  /** Minutes kept free between an agent's visits for travelling: slots closer are taken. */
  @Column({ name: 'travel_buffer_minutes', type: 'integer', default: 0 })
  travelBufferMinutes!: number;

  @Column({ name: 'overlap_policy', type: 'varchar', length: 8, default: 'reject' })
  overlapPolicy!: OverlapPolicy;

  @Column({ name: 'private_callback_grace_minutes', type: 'integer', default: 30 })
  privateCallbackGraceMinutes!: number;

  @Column({ type: 'varchar', length: 8, default: 'active' })
  state!: CampaignState;

  /** Marketing or service: what a do-not-call scope applies to (see CAMPAIGN_PURPOSES). */
  @Column({ type: 'varchar', length: 12, default: 'marketing' })
  purpose!: CampaignPurpose;

  /** Proactive-call rules checked at dispatch (null: none, the campaign calls everyone). */
  @Column({ type: 'simple-json', nullable: true })
  eligibility!: EligibilityRules | null;

  /**
   * Seconds after a call ends (the PBX's call.ended or the operator's "fine chiamata") before
   * the wrap-up status is confirmed for an operator who has not confirmed one; null: never.
   */
  @Column({ name: 'wrap_up_seconds', type: 'integer', nullable: true })
  wrapUpSeconds!: number | null;

  /** The status the wrap-up confirms: one of the campaign's that needs no answer or sub-form. */
  @Column({ name: 'wrap_up_status_id', type: 'integer', nullable: true })
  wrapUpStatusId!: number | null;

  @ManyToOne(() => OutcomeStatus, { onDelete: 'SET NULL' })
  @JoinColumn({
    name: 'wrap_up_status_id',
    foreignKeyConstraintName: 'FK_campaigns_wrap_up_status',
  })
  wrapUpStatus?: OutcomeStatus;

  @OneToMany(() => CampaignStep, (step) => step.campaign)
  steps?: CampaignStep[];

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' })
  updatedAt!: Date;
}
