import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { Campaign } from '../../src/campaigns/campaign.entity';
import type { Role } from '../../src/common/access/role';
import { createAppointment } from '../factories/appointment.factory';
import { createCallback } from '../factories/callback.factory';
import {
  createAgent,
  createCampaign,
  createProduct,
  createStatus,
} from '../factories/catalogue.factory';
import { createContact } from '../factories/contact.factory';
import { createUser, type TestUser, tokenFor } from '../factories/user.factory';

/**
 * Texts that exist only in one operator's private work or in a foreign campaign: a
 * response that contains one has shown someone what they may not see.
 */
export const MARK = {
  /** Operator B's private callback notes on a contact of the shared campaign. */
  bCallbackNote: 'zzq-bnote-private-callback',
  /** The surname of the contact on which B closed a sale (its protocol is learnt later). */
  bSaleSurname: 'Zzqvendita',
  /** A contact of campaign 2 (operator C's), and its appointment's notes. */
  foreignSurname: 'Zzqforestiero',
  foreignAppointmentNote: 'zzq-foreign-appointment-note',
  /** C's private callback in campaign 2. */
  cCallbackNote: 'zzq-cnote-private-callback',
} as const;

export interface Desk extends TestUser {
  token: string;
}

/**
 * Two campaigns: operators A and B work campaign 1, operator C campaign 2. B has booked a
 * private callback (notes MARK.bCallbackNote) and closed a sale there, through the real
 * workstation API; campaign 2 has a contact, an appointment and C's private callback.
 * Plus a coordinator, an admin, a backoffice user and an integration.
 */
export interface ScopeWorld {
  campaign1: Campaign;
  campaign2: Campaign;
  users: Record<'a' | 'b' | 'c' | 'coordinator' | 'admin' | 'backoffice' | 'integration', Desk>;
  /** B's private callback's contact, and the callback. */
  bCallbackContactId: number;
  bCallbackId: number;
  /** B's sale: its contact and contract. */
  bSaleContactId: number;
  bContractId: number;
  bProtocol: string;
  /** Campaign 2's contact, appointment and C's callback. */
  foreignContactId: number;
  foreignAppointmentId: number;
  cCallbackId: number;
  /** An appointment of campaign 1, which A may see. */
  ownAppointmentId: number;
  agentId: number;
  statusIds: { callback: number; sale: number; visit: number; noAnswer: number };
  productId: number;
}

export async function buildScopeWorld(app: NestExpressApplication): Promise<ScopeWorld> {
  const http = () => request(app.getHttpServer());
  const desk = async (role: Role, displayName: string): Promise<Desk> => {
    const user = await createUser(app, { role, displayName });
    return { ...user, token: await tokenFor(app, user) };
  };
  const users = {
    a: await desk('operator', 'Anna Alfa'),
    b: await desk('operator', 'Bruno Beta'),
    c: await desk('operator', 'Carla Gamma'),
    coordinator: await desk('coordinator', 'Dario Coord'),
    admin: await desk('admin', 'Elena Admin'),
    backoffice: await desk('backoffice', 'Franco Back'),
    integration: await desk('integration', 'Centralino'),
  };
  const callback = await createStatus(app, {
    code: 'RIC',
    label: 'Richiamare',
    type: 'R',
    callbackVisibility: 'private',
  });
  const sale = await createStatus(app, { code: 'OK', label: 'Vendita', type: 'C' });
  const visit = await createStatus(app, { code: 'APP', label: 'Appuntamento', type: 'T' });
  const noAnswer = await createStatus(app, { code: 'NR', label: 'Non risponde', type: 'N' });
  const product = await createProduct(app, { code: 'FIBRA', unitPrice: '19.90', vatRate: '22.00' });
  const agent = await createAgent(app, { name: 'Luigi Agente' });
  const statusIds = [callback.id, sale.id, visit.id, noAnswer.id];
  const campaign1 = await createCampaign(
    app,
    { code: 'UNO', name: 'Campagna uno' },
    {
      statusIds,
      productIds: [product.id],
      agentIds: [agent.id],
      operatorIds: [users.a.id, users.b.id],
    },
  );
  const campaign2 = await createCampaign(
    app,
    { code: 'DUE', name: 'Campagna due' },
    {
      statusIds,
      productIds: [product.id],
      agentIds: [agent.id],
      operatorIds: [users.c.id],
    },
  );
  const as = (desk: Desk) => ({ Authorization: `Bearer ${desk.token}` });

  // B's private callback, through the workstation like a real call.
  const bCallbackContact = await createContact(app, campaign1.id, { lastName: 'Rossi' });
  await http()
    .post('/api/v1/work/next')
    .set(as(users.b))
    .send({ campaignId: campaign1.id })
    .expect(200);
  const dueAt = new Date(Date.now() + 3 * 24 * 3600_000).toISOString();
  const booked = await http()
    .post(`/api/v1/work/${bCallbackContact.id}/outcome`)
    .set(as(users.b))
    .send({
      statusId: callback.id,
      notes: MARK.bCallbackNote,
      callback: { at: dueAt, visibility: 'private' },
    })
    .expect(201);

  // B's sale.
  const bSaleContact = await createContact(app, campaign1.id, { lastName: MARK.bSaleSurname });
  await http()
    .post('/api/v1/work/next')
    .set(as(users.b))
    .send({ campaignId: campaign1.id })
    .expect(200);
  const closed = await http()
    .post(`/api/v1/work/${bSaleContact.id}/outcome`)
    .set(as(users.b))
    .send({ statusId: sale.id, cart: [{ productId: product.id, quantity: 1 }] })
    .expect(201);

  // Campaign 2: a contact with an appointment, and C's private callback on another.
  const foreign = await createContact(app, campaign2.id, {
    firstName: 'Zelda',
    lastName: MARK.foreignSurname,
    state: 'done',
  });
  const start = new Date(Date.now() + 2 * 24 * 3600_000);
  start.setUTCHours(9, 0, 0, 0);
  const foreignAppointment = await createAppointment(app, {
    agentId: agent.id,
    campaignId: campaign2.id,
    contactId: foreign.id,
    startsAt: start.toISOString(),
    operatorId: users.c.id,
    notes: MARK.foreignAppointmentNote,
  });
  const cCallback = await createCallback(app, campaign2.id, {
    ownerId: users.c.id,
    visibility: 'private',
    notes: MARK.cCallbackNote,
    dueAt: new Date(Date.now() + 3600_000),
  });
  const ownContact = await createContact(app, campaign1.id, { state: 'done' });
  const ownAppointment = await createAppointment(app, {
    agentId: agent.id,
    campaignId: campaign1.id,
    contactId: ownContact.id,
    startsAt: new Date(start.getTime() + 2 * 3600_000).toISOString(),
    operatorId: users.a.id,
  });

  const contract = closed.body.contract as { id: number; protocolNumber: string };
  const callbackId = (booked.body.callback as { id: number }).id;
  return {
    campaign1,
    campaign2,
    users,
    bCallbackContactId: bCallbackContact.id,
    bCallbackId: callbackId,
    bSaleContactId: bSaleContact.id,
    bContractId: contract.id,
    bProtocol: contract.protocolNumber,
    foreignContactId: foreign.id,
    foreignAppointmentId: foreignAppointment.id,
    cCallbackId: cCallback.id,
    ownAppointmentId: ownAppointment.id,
    agentId: agent.id,
    statusIds: {
      callback: callback.id,
      sale: sale.id,
      visit: visit.id,
      noAnswer: noAnswer.id,
    },
    productId: product.id,
  };
}

/** Every marker of what `viewer` may not see, for a body search. */
export function forbiddenTexts(world: ScopeWorld, viewer: 'a' | 'c' | 'backoffice'): string[] {
  switch (viewer) {
    case 'a':
      return [
        MARK.bCallbackNote,
        world.bProtocol,
        MARK.foreignSurname,
        MARK.foreignAppointmentNote,
        MARK.cCallbackNote,
      ];
    case 'c':
      return [MARK.bCallbackNote, world.bProtocol, MARK.bSaleSurname];
    case 'backoffice':
      return [MARK.bCallbackNote, MARK.cCallbackNote];
  }
}

/**
 * A route's path with real ids of the world in its parameters, chosen by the resource the
 * parameter follows (`/campaigns/:id` → campaign 1); `foreign` picks campaign 2's and the
 * other operators' rows instead, to ask for what the caller may not see.
 */
export function fillPath(path: string, world: ScopeWorld, foreign = false): string {
  const ids: Record<string, number | string> = {
    campaigns: foreign ? world.campaign2.id : world.campaign1.id,
    contacts: foreign ? world.foreignContactId : world.bCallbackContactId,
    work: foreign ? world.foreignContactId : world.bSaleContactId,
    callbacks: foreign ? world.cCallbackId : world.bCallbackId,
    appointments: foreign ? world.foreignAppointmentId : world.ownAppointmentId,
    agenda: foreign ? world.foreignAppointmentId : world.ownAppointmentId,
    contracts: world.bContractId,
    agents: world.agentId,
    products: world.productId,
    'outcome-statuses': world.statusIds.sale,
    statuses: world.statusIds.sale,
    operators: world.users.b.id,
    users: world.users.b.id,
  };
  const segments = path.split('/');
  return segments
    .map((segment, i) => {
      if (!segment.startsWith(':')) return segment;
      const owner = segments[i - 1] ?? '';
      if (segment === ':code') return foreign ? world.campaign2.code : world.campaign1.code;
      return String(ids[owner] ?? 1);
    })
    .join('/');
}
