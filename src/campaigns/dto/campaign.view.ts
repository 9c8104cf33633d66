import type { ContractFieldName } from '../../contracts/contract-fields';
import type { CampaignStep, ConsentPurpose, StepKind } from '../campaign-step.entity';
import type {
  CallingHours,
  Campaign,
  CampaignPurpose,
  CampaignState,
  OverlapPolicy,
} from '../campaign.entity';
import type { HolidayCalendar } from '../holiday-calendar';

export interface CampaignStepView {
  id: number;
  position: number;
  kind: StepKind;
  title: string;
  body: string | null;
  choices: string[] | null;
  required: boolean;
  /** Consent steps: what the yes/no is stored as on the contact. */
  consentPurpose: ConsentPurpose | null;
  /** Question steps: the contract field the answer fills, or null. */
  contractField: ContractFieldName | null;
}

/** A campaign as the API answers it: settings, the ordered workflow and the linked ids. */
export interface CampaignView {
  id: number;
  code: string;
  name: string;
  timezone: string;
  /** Windows {day, start, end}, sorted: the answer's shape whatever shape was sent. */
  callingHours: CallingHours;
  holidays: HolidayCalendar | null;
  closedDates: string[];
  appointmentMinutes: number;
  travelBufferMinutes: number;
  overlapPolicy: OverlapPolicy;
  privateCallbackGraceMinutes: number;
  /** Seconds after a call ends before wrapUpStatusId is confirmed (null: no wrap-up). */
  wrapUpSeconds: number | null;
  wrapUpStatusId: number | null;
  state: CampaignState;
  /** Marketing or service: what a do-not-call scope applies to. */
  purpose: CampaignPurpose;
  steps: CampaignStepView[];
  statusIds: number[];
  productIds: number[];
  agentIds: number[];
  operatorIds: number[];
  createdAt: string;
  updatedAt: string;
}

export interface CampaignLinks {
  statusIds: number[];
  productIds: number[];
  agentIds: number[];
  operatorIds: number[];
}

export function toStepView(step: CampaignStep): CampaignStepView {
  return {
    id: step.id,
    position: step.position,
    kind: step.kind,
    title: step.title,
    body: step.body,
    choices: step.choices,
    required: step.required,
    consentPurpose: step.consentPurpose ?? null,
    contractField: step.contractField ?? null,
  };
}

export function toCampaignView(
  campaign: Campaign,
  steps: CampaignStep[],
  links: CampaignLinks,
): CampaignView {
  return {
    id: campaign.id,
    code: campaign.code,
    name: campaign.name,
    timezone: campaign.timezone,
    callingHours: campaign.callingHours,
    holidays: campaign.holidays,
    closedDates: campaign.closedDates,
    appointmentMinutes: campaign.appointmentMinutes,
    travelBufferMinutes: campaign.travelBufferMinutes,
    overlapPolicy: campaign.overlapPolicy,
    privateCallbackGraceMinutes: campaign.privateCallbackGraceMinutes,
    wrapUpSeconds: campaign.wrapUpSeconds,
    wrapUpStatusId: campaign.wrapUpStatusId,
    state: campaign.state,
    purpose: campaign.purpose,
    steps: [...steps].sort((a, b) => a.position - b.position).map(toStepView),
    statusIds: [...links.statusIds].sort((a, b) => a - b),
    productIds: [...links.productIds].sort((a, b) => a - b),
    agentIds: [...links.agentIds].sort((a, b) => a - b),
    operatorIds: [...links.operatorIds].sort((a, b) => a - b),
    createdAt: campaign.createdAt.toISOString(),
    updatedAt: campaign.updatedAt.toISOString(),
  };
}

/** A row of the campaigns page. */
export interface CampaignSummary {
  id: number;
  code: string;
  name: string;
  state: CampaignState;
  purpose: CampaignPurpose;
  statusCount: number;
  operatorCount: number;
  contactCount: number;
}

/** What the detail and form pages show of the linked rows. */
export interface StatusOption {
  id: number;
  code: string;
  label: string;
  labelEn: string | null;
  type: string;
  color: string;
  quick: boolean;
  quickOrder: number | null;
  archived: boolean;
  /** False for a status that reaches no one (no answer, busy): required steps do not apply. */
  customerReached: boolean;
}
export interface ProductOption {
  id: number;
  code: string;
  name: string;
  active: boolean;
}
export interface AgentOption {
  id: number;
  name: string;
  zones: string[];
  active: boolean;
}
export interface OperatorOption {
  id: number;
  username: string;
  displayName: string;
  active: boolean;
}

export interface CampaignOptions {
  statuses: StatusOption[];
  products: ProductOption[];
  agents: AgentOption[];
  operators: OperatorOption[];
}
