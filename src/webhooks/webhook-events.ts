import { randomUUID } from 'node:crypto';

/** The events an endpoint may subscribe to. */
export const WEBHOOK_EVENT_TYPES = [
  'outcome.confirmed',
  'contract.created',
  'contract.status_changed',
  'appointment.booked',
  'appointment.cancelled',
  'callback.scheduled',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/**
 * One event as it is posted: `{id, type, occurredAt, data}`. `data` carries ids and the
 * facts (campaign code, status code, protocol number and total, appointment time and
 * agent, callback time), never an operator's notes or the contact's personal data.
 */
export interface WebhookEvent {
  id: string;
  type: WebhookEventType;
  occurredAt: string;
  data: Record<string, unknown>;
}

export function webhookEvent(
  type: WebhookEventType,
  at: Date,
  data: Record<string, unknown>,
): WebhookEvent {
  return { id: randomUUID(), type, occurredAt: at.toISOString(), data };
}

/** What an outcome's transaction wrote, as its events say it. */
export interface OutcomeFacts {
  at: Date;
  interactionId: number;
  campaign: { id: number; code: string };
  contactId: number;
  operatorId: number;
  status: { id: number; code: string; type: string };
  customerReached: boolean;
  contactState: string;
  callback?: { id: number; dueAt: string; visibility: string };
  contract?: { id: number; protocolNumber: string; totalNet: string; total: string };
  appointment?: {
    id: number;
    agentId: number;
    agentName: string;
    startsAt: string;
    endsAt: string;
  };
}

/**
 * An outcome's events: `outcome.confirmed` always, and the callback, contract or
 * appointment it created, each with the campaign and contact they belong to.
 */
export function outcomeEvents(facts: OutcomeFacts): WebhookEvent[] {
  const about = {
    campaignId: facts.campaign.id,
    campaignCode: facts.campaign.code,
    contactId: facts.contactId,
    interactionId: facts.interactionId,
  };
  const callback = facts.callback && {
    id: facts.callback.id,
    dueAt: facts.callback.dueAt,
    visibility: facts.callback.visibility,
  };
  const contract = facts.contract && {
    id: facts.contract.id,
    protocolNumber: facts.contract.protocolNumber,
    totalNet: facts.contract.totalNet,
    total: facts.contract.total,
  };
  const appointment = facts.appointment && {
    id: facts.appointment.id,
    startsAt: facts.appointment.startsAt,
    endsAt: facts.appointment.endsAt,
    agentId: facts.appointment.agentId,
    agentName: facts.appointment.agentName,
  };
  const events = [
    webhookEvent('outcome.confirmed', facts.at, {
      ...about,
      operatorId: facts.operatorId,
      status: facts.status,
      customerReached: facts.customerReached,
      contactState: facts.contactState,
      callback: callback ?? null,
      contract: contract ?? null,
      appointment: appointment ?? null,
    }),
  ];
  if (callback) {
    events.push(webhookEvent('callback.scheduled', facts.at, { ...about, callback }));
  }
  if (contract) {
    events.push(
      webhookEvent('contract.created', facts.at, {
        ...about,
        contract: { ...contract, status: 'new' },
      }),
    );
  }
  if (appointment) {
    events.push(webhookEvent('appointment.booked', facts.at, { ...about, appointment }));
  }
  return events;
}
