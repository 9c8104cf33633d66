import { CONTRACT_FIELDS } from '../contracts/contract-fields';
import type { CampaignFormModel, StepRow } from './campaign-form';
import { CONSENT_PURPOSES, STEP_KINDS } from './campaign-step.entity';
import { CAMPAIGN_PURPOSES, OVERLAP_POLICIES } from './campaign.entity';
import { MAX_STEPS } from './dto/campaign-input.dto';
import type { CampaignOptions, CampaignView } from './dto/campaign.view';
import { SCRIPT_PLACEHOLDERS } from './script-renderer';
import { timeZoneChoices } from './time-zones';

/**
 * The campaign pages' view models: the detail page and the new / edit form with its
 * workflow rows, each script previewed for browsers without scripts.
 */

const WEEK_DAYS = [1, 2, 3, 4, 5, 6, 7];
/** Empty workflow rows for browsers without scripts (the editor removes them). */
const SPARE_ROWS = 3;

/** A script's text with the sample contact; throws when the script does not compile. */
export type ScriptPreview = (body: string) => string;

/** A workflow row of the form page; spare rows are the empty ones for browsers without scripts. */
interface RowView extends StepRow {
  index: number;
  position: number;
  preview?: { text?: string; error?: string };
  spare?: boolean;
}

/** The server-side preview for browsers without scripts (the editor replaces it live). */
function previewOf(kind: string, body: string, preview: ScriptPreview): RowView['preview'] {
  if (kind !== 'script' || !body.trim()) return undefined;
  try {
    return { text: preview(body) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * What the wrap-up may confirm: the negative statuses (the others need a callback, a cart or
 * an appointment), those reaching no one first (required steps do not apply to them), plus
 * whatever the form already names, so that a refusal shows what was chosen.
 */
function wrapUpChoices(model: CampaignFormModel, options: CampaignOptions) {
  const chosen = Number(model.wrapUpStatusId);
  return options.statuses
    .filter((s) => (s.type === 'N' && !s.archived) || s.id === chosen)
    .sort((a, b) => Number(a.customerReached) - Number(b.customerReached))
    .map((s) => ({ ...s, selected: s.id === chosen }));
}

export function campaignListPage(campaigns: unknown[]) {
  return { title: 'campaigns.title', campaigns };
}

/** The detail page: what the campaign links to, its workflow previewed. */
export function campaignPage(
  campaign: CampaignView,
  options: CampaignOptions,
  contactCount: number,
  canEdit: boolean,
  preview: ScriptPreview,
) {
  const linked = <T extends { id: number }>(rows: T[], ids: number[]) =>
    rows.filter((row) => ids.includes(row.id));
  const wrapUpStatus = options.statuses.find((s) => s.id === campaign.wrapUpStatusId) ?? null;
  return {
    title: 'campaigns.show.title',
    campaign,
    // The status a wrap-up confirms, and after how long (null: no wrap-up).
    wrapUp:
      campaign.wrapUpSeconds !== null && wrapUpStatus
        ? { seconds: campaign.wrapUpSeconds, status: wrapUpStatus }
        : null,
    contactCount,
    canEdit,
    statuses: linked(options.statuses, campaign.statusIds),
    products: linked(options.products, campaign.productIds),
    agents: linked(options.agents, campaign.agentIds),
    operators: linked(options.operators, campaign.operatorIds),
    // Every active operator, ticked when on the campaign: the assignment form.
    operatorChoices: options.operators
      .filter((o) => o.active || campaign.operatorIds.includes(o.id))
      .map((o) => ({ ...o, checked: campaign.operatorIds.includes(o.id) })),
    steps: campaign.steps.map((step) => ({
      ...step,
      preview: previewOf(step.kind, step.body ?? '', preview),
    })),
  };
}

/** The new or edit form's page: `campaign` is the one being edited. */
export function campaignFormPage(
  model: CampaignFormModel,
  options: CampaignOptions,
  preview: ScriptPreview,
  campaign?: CampaignView,
) {
  const rows: RowView[] = model.steps.map((step, index) => ({
    ...step,
    index,
    position: index + 1,
    preview: previewOf(step.kind, step.body, preview),
  }));
  const spare = Math.max(0, Math.min(SPARE_ROWS, MAX_STEPS - rows.length));
  for (let i = 0; i < spare; i++) {
    const index = rows.length;
    const empty = {
      kind: '',
      title: '',
      body: '',
      choicesText: '',
      required: false,
      consentPurpose: '',
      contractField: '',
    };
    rows.push({ ...empty, index, position: index + 1, spare: true });
  }
  return {
    title: campaign ? 'campaigns.edit.title' : 'campaigns.new.title',
    campaign,
    action: campaign ? `/campaigns/${campaign.id}` : '/campaigns',
    previewUrl: campaign
      ? `/api/v1/campaigns/${campaign.id}/script-preview`
      : '/api/v1/campaigns/script-preview',
    model,
    options,
    rows,
    hasOutcome: model.steps.some((step) => step.kind === 'outcome'),
    wrapUpStatuses: wrapUpChoices(model, options),
    timeZones: timeZoneChoices(),
    weekDays: WEEK_DAYS,
    stepKinds: STEP_KINDS,
    consentPurposes: CONSENT_PURPOSES,
    contractFields: CONTRACT_FIELDS,
    overlapPolicies: OVERLAP_POLICIES,
    purposes: CAMPAIGN_PURPOSES,
    placeholders: SCRIPT_PLACEHOLDERS,
  };
}
