import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { CampaignStep } from '../../src/campaigns/campaign-step.entity';
import { Clock } from '../../src/common/time/clock';
import { WallService } from '../../src/monitor/wall.service';
import {
  createAgent,
  createCampaign,
  createProduct,
  createStatus,
} from '../factories/catalogue.factory';
import { createContact } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { describeStatements, statementsOf } from '../support/statement-count';
import { createTestApp, isMysqlRun, removeSqliteData, resetDatabase } from '../support/test-app';

/**
 * How many SQL statements each request of an operator's call sends, the way Django's
 * assertNumQueries counts them: transaction control included, after a first call has
 * warmed what an instance keeps (campaign configuration, the operator's state row). A
 * change that needs more raises its budget here, in the same commit, saying why.
 * MySQL sets each transaction's isolation level in a statement of its own; SQLite reads a
 * row back after each INSERT: hence two columns.
 */
const BUDGETS = {
  // As the workstation asks (Prefer: return=minimal): the lease only, the page reads the card.
  next: { mysql: 17, sqlite: 16 },
  // As an API client asks: the lease and the card in one answer.
  'next with the card': { mysql: 23, sqlite: 22 },
  card: { mysql: 8, sqlite: 8 },
  heartbeat: { mysql: 5, sqlite: 5 },
  draft: { mysql: 6, sqlite: 6 },
  // The follow-up templates come from this instance's copy, current as of the stamp the
  // outcome reads anyway (follow-up-queue.ts): one statement less for each type.
  'outcome N': { mysql: 16, sqlite: 16 },
  'outcome R': { mysql: 19, sqlite: 20 },
  'outcome C': { mysql: 25, sqlite: 28 },
  // The agent's agenda is serialised by a write (agent-lock.ts) then read: one more than a
  // locking read, which a Galera cluster would not certify.
  'outcome T': { mysql: 22, sqlite: 23 },
  'wall tick': { mysql: 9, sqlite: 9 },
} satisfies Record<string, { mysql: number; sqlite: number }>;
type Kind = keyof typeof BUDGETS;

describe('Statement budgets of an operator’s call', () => {
  let app: NestExpressApplication;
  let token: string;
  let campaignId: number;
  let statuses: Record<'N' | 'R' | 'C' | 'T', number>;
  let productId: number;
  /** A question bound to a contract field: the close writes it in its contract's INSERT. */
  let fiscalCodeStepId: number;
  let agentId: number;
  const http = () => request(app.getHttpServer());
  const as = () => ({ Authorization: `Bearer ${token}` });
  const dialect = isMysqlRun() ? 'mysql' : 'sqlite';

  /** The workstation's `next`: it reloads its page, which renders the card. */
  const next = async (): Promise<number> => {
    const res = await http()
      .post('/api/v1/work/next')
      .set(as())
      .set('Prefer', 'return=minimal')
      .send({ campaignId })
      .expect(200);
    return res.body.contact.id as number;
  };
  /** After a minute and a half on the phone: the time counted is part of the work. */
  const outcome = (contactId: number, body: object) => {
    app.get(Clock).advance(90_000);
    return http().post(`/api/v1/work/${contactId}/outcome`).set(as()).send(body).expect(201);
  };

  /** Runs the request and holds it to its budget, listing what it sent when over. */
  async function withinBudget(kind: Kind, work: () => Promise<unknown>): Promise<void> {
    const { sql } = await statementsOf(app, work);
    const budget = BUDGETS[kind][dialect];
    if (sql.length > budget) {
      throw new Error(
        `${kind} sent ${sql.length} statements, its budget is ${budget}:\n  ${describeStatements(sql)}`,
      );
    }
    expect(sql.length).toBeLessThanOrEqual(budget);
  }

  beforeAll(async () => {
    app = await createTestApp();
    await resetDatabase(app);
    // A Monday morning in Rome, for the callback and the appointment below.
    app.get(Clock).set(new Date('2026-11-30T08:00:00Z'));
    const operator = await createUser(app, { role: 'operator' });
    token = await tokenFor(app, operator);
    statuses = {
      N: (await createStatus(app, { code: 'NI', type: 'N', quick: true, quickOrder: 1 })).id,
      R: (await createStatus(app, { code: 'RC', type: 'R', callbackVisibility: 'private' })).id,
      C: (await createStatus(app, { code: 'OK', type: 'C' })).id,
      T: (await createStatus(app, { code: 'AP', type: 'T' })).id,
    };
    productId = (await createProduct(app)).id;
    agentId = (await createAgent(app)).id;
    const campaign = await createCampaign(
      app,
      {},
      {
        statusIds: Object.values(statuses),
        productIds: [productId],
        agentIds: [agentId],
        operatorIds: [operator.id],
      },
    );
    campaignId = campaign.id;
    await app.get(DataSource).getRepository(CampaignStep).save({
      campaignId,
      position: 3,
      kind: 'question',
      title: 'Comune',
      body: 'Abita ancora a {{contact.city}}?',
      choices: null,
      required: false,
    });
    fiscalCodeStepId = (
      await app.get(DataSource).getRepository(CampaignStep).save({
        campaignId,
        position: 4,
        kind: 'question',
        title: 'Codice fiscale',
        body: null,
        choices: null,
        required: false,
        contractField: 'fiscalCode',
      })
    ).id;
    for (let i = 0; i < 20; i++) await createContact(app, campaignId, { province: 'MI' });
    // The first call of the day: the operator's state row, this instance's copies.
    await outcome(await next(), { statusId: statuses.N });
  });
  afterAll(async () => {
    await app.close();
    removeSqliteData();
  });

  it('next: the lease, as the workstation asks for it', async () => {
    let contactId = 0;
    await withinBudget('next', async () => {
      contactId = await next();
    });
    await outcome(contactId, { statusId: statuses.N });
  });

  it('next: the lease and the card, as an API client asks for it', async () => {
    let contactId = 0;
    await withinBudget('next with the card', async () => {
      const res = await http().post('/api/v1/work/next').set(as()).send({ campaignId }).expect(200);
      contactId = res.body.contact.id as number;
      expect(res.body.contact.interactions).toEqual([]);
    });
    await outcome(contactId, { statusId: statuses.N });
  });

  it('the card of the contact held (the page reloaded)', async () => {
    const contactId = await next();
    await withinBudget('card', () => http().get('/api/v1/work/current').set(as()).expect(200));
    await outcome(contactId, { statusId: statuses.N });
  });

  it('a heartbeat and a draft save while talking', async () => {
    const contactId = await next();
    await withinBudget('heartbeat', () =>
      http().post(`/api/v1/work/${contactId}/heartbeat`).set(as()).expect(200),
    );
    await withinBudget('draft', () =>
      http()
        .put(`/api/v1/work/${contactId}/draft`)
        .set(as())
        .send({ draft: { notes: 'richiamare dopo le 18' } })
        .expect(200),
    );
    await outcome(contactId, { statusId: statuses.N });
  });

  it.each([
    ['outcome N', () => ({ statusId: statuses.N, notes: 'non interessato' })],
    ['outcome R', () => ({ statusId: statuses.R, callback: { at: '2026-12-01T10:00:00+01:00' } })],
    [
      'outcome C',
      () => ({
        statusId: statuses.C,
        cart: [{ productId, quantity: 2 }],
        answers: { [fiscalCodeStepId]: 'rssmra85t10a562s' },
      }),
    ],
    [
      'outcome T',
      () => ({
        statusId: statuses.T,
        appointment: { agentId, startsAt: '2026-12-01T09:00:00+01:00' },
      }),
    ],
  ] as Array<[Kind, () => object]>)('%s', async (kind, body) => {
    const contactId = await next();
    app.get(Clock).advance(90_000);
    await withinBudget(kind, () =>
      http().post(`/api/v1/work/${contactId}/outcome`).set(as()).send(body()).expect(201),
    );
  });

  it("the wall's tick", async () => {
    const wall = app.get(WallService);
    await wall.snapshot(app.get(Clock).now());
    await withinBudget('wall tick', () => wall.snapshot(app.get(Clock).now()));
  });
});
