import { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Agent } from '../../src/agents/agent.entity';
import { CampaignStep } from '../../src/campaigns/campaign-step.entity';
import {
  type CallingHours,
  Campaign,
  type LegacyCallingHours,
} from '../../src/campaigns/campaign.entity';
import { windowsOf } from '../../src/campaigns/calling-hours';
import { CampaignAgent } from '../../src/campaigns/campaign-agent.entity';
import { CampaignOperator } from '../../src/campaigns/campaign-operator.entity';
import { CampaignProduct } from '../../src/campaigns/campaign-product.entity';
import { CampaignStatus } from '../../src/campaigns/campaign-status.entity';
import { OutcomeStatus } from '../../src/outcome-statuses/outcome-status.entity';
import { Product } from '../../src/products/product.entity';

/**
 * Rows for tests that need configuration to exist but are not about creating it: written
 * straight to the database. Tests of the configuration itself go through the API.
 */
let sequence = 0;
const next = () => ++sequence;

export async function createStatus(
  app: INestApplication,
  overrides: Partial<OutcomeStatus> = {},
): Promise<OutcomeStatus> {
  const n = next();
  return app
    .get(DataSource)
    .getRepository(OutcomeStatus)
    .save({
      code: `ST${n}`,
      label: `Stato ${n}`,
      labelEn: null,
      type: 'N',
      color: '#888888',
      quick: false,
      quickOrder: null,
      callbackVisibility: null,
      retryAfterMinutes: null,
      maxAttempts: null,
      doNotCall: false,
      archivedAt: null,
      ...overrides,
    });
}

/** What a callback test confirms with: R (a private callback) and a plain N. */
export async function createCallbackStatuses(
  app: INestApplication,
): Promise<Record<'callback' | 'notInterested', OutcomeStatus>> {
  return {
    callback: await createStatus(app, {
      code: 'RC',
      label: 'Richiamare',
      type: 'R',
      callbackVisibility: 'private',
    }),
    notInterested: await createStatus(app, { code: 'NI', label: 'Non interessato', type: 'N' }),
  };
}

export async function createProduct(
  app: INestApplication,
  overrides: Partial<Product> = {},
): Promise<Product> {
  const n = next();
  return app
    .get(DataSource)
    .getRepository(Product)
    .save({
      code: `P${n}`,
      name: `Prodotto ${n}`,
      unitPrice: '19.90',
      vatRate: '22.00',
      active: true,
      ...overrides,
    });
}

export async function createAgent(
  app: INestApplication,
  overrides: Partial<Agent> = {},
): Promise<Agent> {
  const n = next();
  return app
    .get(DataSource)
    .getRepository(Agent)
    .save({
      name: `Agente ${n}`,
      email: null,
      phone: null,
      zones: ['MI'],
      workingHours: [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '18:00' })),
      active: true,
      ...overrides,
    });
}

export interface CampaignSetup {
  statusIds?: number[];
  productIds?: number[];
  agentIds?: number[];
  operatorIds?: number[];
}

/**
 * A campaign with a script and an outcome step, open every day 00:00-24:00, holidays
 * included (no calendar), unless told. Calling hours in either shape.
 */
export async function createCampaign(
  app: INestApplication,
  overrides: Omit<Partial<Campaign>, 'callingHours'> & {
    callingHours?: CallingHours | LegacyCallingHours;
  } = {},
  links: CampaignSetup = {},
): Promise<Campaign> {
  const n = next();
  const dataSource = app.get(DataSource);
  const { callingHours, ...rest } = overrides;
  const campaign = await dataSource.getRepository(Campaign).save({
    code: `C${n}`,
    name: `Campagna ${n}`,
    timezone: 'Europe/Rome',
    holidays: null,
    appointmentMinutes: 60,
    overlapPolicy: 'reject',
    privateCallbackGraceMinutes: 30,
    state: 'active',
    ...rest,
    callingHours: windowsOf(
      callingHours ?? { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' },
    ),
  });
  await dataSource.getRepository(CampaignStep).save([
    {
      campaignId: campaign.id,
      position: 1,
      kind: 'script',
      title: 'Saluto',
      body: 'Buongiorno {{contact.firstName}}',
      choices: null,
      required: false,
    },
    {
      campaignId: campaign.id,
      position: 2,
      kind: 'outcome',
      title: 'Esito',
      body: null,
      choices: null,
      required: true,
    },
  ]);
  const link = async <T extends object>(
    entity: new () => T,
    ids: number[] | undefined,
    key: string,
  ) => {
    if (ids?.length)
      await dataSource
        .getRepository(entity)
        .insert(ids.map((id) => ({ campaignId: campaign.id, [key]: id }) as unknown as T));
  };
  await link(CampaignStatus, links.statusIds, 'statusId');
  await link(CampaignProduct, links.productIds, 'productId');
  await link(CampaignAgent, links.agentIds, 'agentId');
  await link(CampaignOperator, links.operatorIds, 'userId');
  return campaign;
}
