import type { Contact, ContactState, PreferredChannel } from '../contact.entity';
import type { OutcomeStatus } from '../../outcome-statuses/outcome-status.entity';

/** The outcome a contact was last given, as lists and exports show it. */
export interface LastStatusView {
  id: number;
  code: string;
  label: string;
  labelEn: string | null;
  type: OutcomeStatus['type'];
  color: string;
}

export interface ContactView {
  id: number;
  campaignId: number;
  firstName: string;
  lastName: string;
  phone: string;
  email: string | null;
  language: string | null;
  city: string | null;
  province: string | null;
  address: string | null;
  postalCode: string | null;
  /** Every number, the main one (`phone`) first. */
  phones: Array<{ number: string; label: string | null }>;
  fields: Record<string, string>;
  /** Why to call, proactive consent and preferred channel (see src/eligibility). */
  callReason: string | null;
  preferredChannel: PreferredChannel | null;
  consent: boolean | null;
  recordingConsent: boolean | null;
  /** The eligibility rule that kept the contact from being called, if one did. */
  ineligibleReason: string | null;
  /** e.g. `call_next:outage`, replaced by `done:outage` when the contact is done. */
  tags: string[];
  state: ContactState;
  attempts: number;
  lastStatus: LastStatusView | null;
  lastOutcomeAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A contact with its campaign (the contact card adds the history: src/contact-card). */
export interface ContactWithCampaign extends ContactView {
  campaign: { id: number; code: string; name: string };
}

/** A row of a search across campaigns. */
export interface ContactSearchRow extends ContactView {
  campaign: { id: number; code: string; name: string } | null;
}

export function toLastStatusView(status: OutcomeStatus): LastStatusView {
  return {
    id: status.id,
    code: status.code,
    label: status.label,
    labelEn: status.labelEn,
    type: status.type,
    color: status.color,
  };
}

export function toContactView(contact: Contact, status: OutcomeStatus | null = null): ContactView {
  return {
    id: contact.id,
    campaignId: contact.campaignId,
    firstName: contact.firstName,
    lastName: contact.lastName,
    phone: contact.phone,
    email: contact.email,
    language: contact.language,
    city: contact.city,
    province: contact.province,
    address: contact.address ?? null,
    postalCode: contact.postalCode ?? null,
    phones: [{ number: contact.phone, label: null }, ...(contact.otherPhones ?? [])],
    fields: contact.fields ?? {},
    callReason: contact.callReason ?? null,
    preferredChannel: contact.preferredChannel ?? null,
    consent: contact.consent ?? null,
    recordingConsent: contact.recordingConsent ?? null,
    ineligibleReason: contact.ineligibleReason ?? null,
    tags: contact.tags ?? [],
    state: contact.state,
    attempts: contact.attempts,
    lastStatus: status ? toLastStatusView(status) : null,
    lastOutcomeAt: contact.lastOutcomeAt?.toISOString() ?? null,
    createdAt: contact.createdAt.toISOString(),
    updatedAt: contact.updatedAt.toISOString(),
  };
}
