import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../common/errors/domain-errors';
import { contactAddress } from '../appointments/appointments.service';
import { Callback } from '../callbacks/callback.entity';
import type { CallingHours } from '../campaigns/campaign.entity';
import { CampaignConfigCache } from '../campaigns/campaign-config';
import type { StepKind } from '../campaigns/campaign-step.entity';
import Handlebars from 'handlebars';
import {
  type ScriptContext,
  ScriptRenderer,
  ScriptSyntaxError,
} from '../campaigns/script-renderer';
import { Clock } from '../common/time/clock';
import { AppConfigService } from '../config/app-config.service';
import { ContactCardService, type ContactDetailView } from '../contact-card/contact-card.service';
import { OutcomeStatus } from '../outcome-statuses/outcome-status.entity';
import { User } from '../users/user.entity';
import type { AuthenticatedUser } from '../common/http/request-context';
import type { ContactLease } from './contact-lease.entity';
import { loadOperatorCampaigns, type OperatorCampaignView } from '../campaigns/operator-campaigns';
import { type ChecklistItem, EligibilityService } from '../eligibility/eligibility.service';

export interface WorkStepView {
  id: number;
  kind: StepKind;
  title: string;
  /** What the operator reads aloud (a script, a question's or consent's text) with the contact's data, escaped (HTML). */
  html: string | null;
  choices: string[] | null;
  required: boolean;
  /** Consent steps: "recording" tells the operator to continue by e-mail on a no. */
  consentPurpose: string | null;
  /** Question steps: the contract field the answer fills (checked as it is typed). */
  contractField: string | null;
}

export interface WorkStatusView {
  id: number;
  code: string;
  label: string;
  labelEn: string | null;
  type: OutcomeStatus['type'];
  color: string;
  quick: boolean;
  quickOrder: number | null;
  callbackVisibility: string | null;
  doNotCall: boolean;
  /** Type C: the operator may change a product's price in the cart (recorded per line). */
  allowPriceOverride: boolean;
}

/**
 * What `next` and `take` answer a client that renders the card itself afterwards (the
 * workstation reloads its page): which contact is leased, as what, until when; with
 * `Prefer: return=minimal` (RFC 7240), so the card is read once, by the page.
 */
export interface LeasedItem {
  contact: { id: number; campaignId: number };
  callback: { id: number } | null;
  lease: { startedAt: string; expiresAt: string };
}

/** The lease as a LeasedItem: read from nothing but the lease row. */
export function leasedItem(lease: ContactLease): LeasedItem {
  return {
    contact: { id: lease.contactId, campaignId: lease.campaignId },
    callback: lease.callbackId === null ? null : { id: lease.callbackId },
    lease: { startedAt: lease.startedAt.toISOString(), expiresAt: lease.expiresAt.toISOString() },
  };
}

/** What the operator's page shows for a leased contact. */
export interface WorkItem {
  contact: ContactDetailView;
  /** Where an agent would visit: street, postcode, city, province, as the list gave them. */
  address: string;
  /** The callback this contact came as, with the context of the call that set it. */
  callback: {
    id: number;
    dueAt: string;
    visibility: string;
    notes: string | null;
    reason: string | null;
    ownerName: string | null;
  } | null;
  lease: { startedAt: string; expiresAt: string };
  phoneLink: string;
  /** The contact's other numbers, each with its link to dial (the same scheme). */
  otherPhones: Array<{ number: string; label: string | null; link: string }>;
  campaign: {
    id: number;
    code: string;
    name: string;
    timezone: string;
    callingHours: CallingHours;
    appointmentMinutes: number;
    overlapPolicy: string;
  };
  steps: WorkStepView[];
  /** Quick statuses first in their order (keys 1-9), then the others by label. */
  statuses: WorkStatusView[];
  products: Array<{ id: number; code: string; name: string; unitPrice: string; vatRate: string }>;
  agents: Array<{ id: number; name: string; zones: string[] }>;
  draft: Record<string, unknown> | null;
  /** The campaign's proactive-call rules as a checklist for this contact (null: none). */
  eligibility: ChecklistItem[] | null;
  /**
   * The campaign's wrap-up (null: none): how long after the call ends its status is
   * confirmed, and, once the call has ended, the seconds left.
   */
  wrapUp: { seconds: number; statusId: number; secondsLeft: number | null } | null;
}

@Injectable()
export class WorkItemService {
  private readonly renderer = new ScriptRenderer();

  constructor(
    private readonly dataSource: DataSource,
    private readonly cards: ContactCardService,
    private readonly config: AppConfigService,
    private readonly eligibility: EligibilityService,
    private readonly clock: Clock,
    private readonly configs: CampaignConfigCache,
  ) {}

  /** The campaigns the operator works, each open or closed now (the workstation's chooser). */
  campaignsOf(userId: number, now: Date): Promise<OperatorCampaignView[]> {
    return loadOperatorCampaigns(this.dataSource.manager, userId, now);
  }

  /** A step's text with the contact's data; one saved before texts were checked shows as typed. */
  private readAloud(body: string, context: ScriptContext): string {
    try {
      return this.renderer.renderHtml(body, context);
    } catch (error) {
      if (!(error instanceof ScriptSyntaxError)) throw error;
      return Handlebars.escapeExpression(body).replace(/\n/g, '<br>');
    }
  }

  async build(lease: ContactLease, user: AuthenticatedUser): Promise<WorkItem> {
    const em = this.dataSource.manager;
    const [contact, config, callback] = await Promise.all([
      this.cards.forLeaseHolder(lease.contactId, user),
      this.configs.campaign(lease.campaignId),
      lease.callbackId === null
        ? null
        : em.getRepository(Callback).findOneBy({ id: lease.callbackId }),
    ]);
    if (!config) throw new NotFoundError('campaign', lease.campaignId);
    const { campaign, steps } = config;
    const statuses = config.statuses.filter((s) => s.archivedAt === null);
    const products = config.products.filter((p) => p.active);
    const agents = config.agents.filter((a) => a.active);
    const owner = callback?.ownerId
      ? await em.getRepository(User).findOneBy({ id: callback.ownerId })
      : null;
    const context = { contact, operator: { name: user.displayName } };
    const scheme = this.config.get('PHONE_LINK_SCHEME');
    return {
      contact,
      address: contactAddress(contact),
      callback: callback
        ? {
            id: callback.id,
            dueAt: callback.dueAt.toISOString(),
            visibility: callback.visibility,
            notes: callback.notes,
            reason: callback.reason,
            ownerName: owner?.displayName ?? null,
          }
        : null,
      lease: { startedAt: lease.startedAt.toISOString(), expiresAt: lease.expiresAt.toISOString() },
      phoneLink: `${scheme}:${contact.phone}`,
      otherPhones: contact.phones
        .slice(1)
        .map((p) => ({ number: p.number, label: p.label, link: `${scheme}:${p.number}` })),
      campaign: {
        id: campaign.id,
        code: campaign.code,
        name: campaign.name,
        timezone: campaign.timezone,
        callingHours: campaign.callingHours,
        appointmentMinutes: campaign.appointmentMinutes,
        overlapPolicy: campaign.overlapPolicy,
      },
      steps: steps.map((step) => ({
        id: step.id,
        kind: step.kind,
        title: step.title,
        html: step.kind !== 'notes' && step.body ? this.readAloud(step.body, context) : null,
        choices: step.choices,
        required: step.required,
        consentPurpose: step.consentPurpose,
        contractField: step.contractField ?? null,
      })),
      statuses: [...statuses]
        .sort(
          (a, b) =>
            Number(b.quick) - Number(a.quick) ||
            (a.quickOrder ?? 99) - (b.quickOrder ?? 99) ||
            a.label.localeCompare(b.label),
        )
        .map((s) => ({
          id: s.id,
          code: s.code,
          label: s.label,
          labelEn: s.labelEn,
          type: s.type,
          color: s.color,
          quick: s.quick,
          quickOrder: s.quickOrder,
          callbackVisibility: s.callbackVisibility,
          doNotCall: s.doNotCall,
          allowPriceOverride: s.type === 'C' && s.allowPriceOverride,
        })),
      products: [...products]
        .sort((a, b) => a.code.localeCompare(b.code))
        .map((p) => ({
          id: p.id,
          code: p.code,
          name: p.name,
          unitPrice: p.unitPrice,
          vatRate: p.vatRate,
        })),
      agents: [...agents]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((a) => ({ id: a.id, name: a.name, zones: a.zones })),
      draft: parseDraft(lease.draft),
      eligibility: await this.eligibility.checklist(campaign, contact, user),
      wrapUp:
        campaign.wrapUpSeconds && campaign.wrapUpStatusId !== null
          ? {
              seconds: campaign.wrapUpSeconds,
              statusId: campaign.wrapUpStatusId,
              secondsLeft:
                lease.wrapUpAt === null
                  ? null
                  : Math.max(
                      0,
                      Math.ceil((lease.wrapUpAt.getTime() - this.clock.now().getTime()) / 1000),
                    ),
            }
          : null,
    };
  }
}

function parseDraft(draft: string | null): Record<string, unknown> | null {
  if (!draft) return null;
  try {
    const value: unknown = JSON.parse(draft);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
