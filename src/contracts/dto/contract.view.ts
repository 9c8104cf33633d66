import type { ContractState, CustomerSnapshot } from '../contract.entity';

export interface ContractCampaignView {
  id: number;
  code: string;
  name: string;
}

export interface ContractUserView {
  id: number;
  name: string;
}

/** A row of the backoffice list. Money as decimal strings ("109.55"), times as ISO instants. */
export interface ContractListItem {
  id: number;
  protocolNumber: string;
  status: ContractState;
  createdAt: string;
  campaign: ContractCampaignView | null;
  /** Null once the operator's user is deleted. */
  operator: ContractUserView | null;
  customer: { firstName: string; lastName: string; phone: string };
  totalNet: string;
  totalVat: string;
  total: string;
}

export interface ContractPage {
  items: ContractListItem[];
  /** Cursor for `?after=`, null on the last page. */
  next: string | null;
}

export interface ContractLineView {
  code: string;
  name: string;
  unitPrice: string;
  vatRate: string;
  quantity: number;
  net: string;
  vat: string;
  total: string;
  priceOverridden: boolean;
}

export interface ContractHistoryEntry {
  from: ContractState | null;
  to: ContractState;
  /** The clerk's words. */
  reason: string | null;
  /** The admins' list's reason (a suspension's), with its label as the list says it now. */
  reasonCode: string | null;
  reasonLabel: string | null;
  at: string;
  user: ContractUserView | null;
}

/** The call the contract was closed in. */
export interface ContractSourceCall {
  id: number;
  startedAt: string;
  durationSeconds: number;
  notes: string | null;
}

export interface ContractDetailView extends Omit<ContractListItem, 'customer'> {
  statusChangedAt: string | null;
  contactId: number;
  customer: CustomerSnapshot;
  /** What the call captured (question steps bound to contract fields), in the fields' order. */
  fields: ContractFieldsView;
  lines: ContractLineView[];
  interaction: ContractSourceCall | null;
  /** Oldest first, from the close on. */
  history: ContractHistoryEntry[];
}

/** `[{field: "fiscalCode" | "custom:<name>", value}]`: the fields the call filled. */
export type ContractFieldsView = Array<{ field: string; value: string }>;
