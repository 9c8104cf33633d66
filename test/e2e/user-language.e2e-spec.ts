import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { Clock } from '../../src/common/time/clock';
import { User } from '../../src/users/user.entity';
import { createCampaign, createProduct, createStatus } from '../factories/catalogue.factory';
import { createContact } from '../factories/contact.factory';
import { createUser, TestUser, tokenFor } from '../factories/user.factory';
import { signedInAgent } from '../support/browser-session';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

/** Monday 30 November 2026, 11:00 in Rome. */
const T0 = new Date('2026-11-30T10:00:00Z');
const NBSP = '\u00a0';

function metaToken(html: string): string {
  const match = /<meta name="csrf-token" content="([^"]+)">/.exec(html);
  if (!match?.[1]) throw new Error('no CSRF meta tag');
  return match[1];
}

/**
 * Everything in the user's language: a refusal answered to a signed-in browser says itself in
 * the user's language beside the API's English (`said`), a token's answer is as it always
 * was, and pages write numbers, money and dates as the user's language does.
 */
describe('the user’s language', () => {
  let app: NestExpressApplication;
  let clock: Clock;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createTestApp();
    clock = app.get(Clock);
  });
  beforeEach(async () => {
    clock.set(T0);
    await resetDatabase(app);
  });
  afterAll(async () => {
    clock.set(null);
    await app.close();
    removeSqliteData();
  });

  describe('an outcome refused for a required answer', () => {
    /** A campaign whose consent step must be answered, with the operator on it. */
    async function world(operators: TestUser[]) {
      const admin = await createUser(app, { role: 'admin' });
      const interested = await createStatus(app, {
        code: 'NI',
        label: 'Non interessato',
        type: 'N',
      });
      const created = await http()
        .post('/api/v1/campaigns')
        .set('Authorization', `Bearer ${await tokenFor(app, admin)}`)
        .send({
          code: 'LINGUA',
          name: 'Lingua',
          callingHours: { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' },
          steps: [
            {
              kind: 'consent',
              title: 'Contatti futuri',
              consentPurpose: 'contact',
              required: true,
            },
            { kind: 'outcome', title: 'Esito' },
          ],
          statusIds: [interested.id],
          operatorIds: operators.map((o) => o.id),
        })
        .expect(201);
      const stepId = (created.body.steps as Array<{ id: number; kind: string }>).find(
        (s) => s.kind === 'consent',
      )!.id;
      return { campaignId: created.body.id as number, statusId: interested.id, stepId };
    }

    /** The operator signed in as a browser, holding a contact of the campaign. */
    async function holding(operator: TestUser, campaignId: number) {
      const agent = await signedInAgent(app, operator);
      const token = metaToken((await agent.get('/work').expect(200)).text);
      const contact = await createContact(app, campaignId);
      await agent
        .post('/api/v1/work/next')
        .set('X-CSRF-Token', token)
        .send({ campaignId })
        .expect(200);
      return { agent, token, contactId: contact.id };
    }

    const refuse = (agent: TestAgent, token: string, contactId: number, statusId: number) =>
      agent
        .post(`/api/v1/work/${contactId}/outcome`)
        .set('X-CSRF-Token', token)
        .send({ statusId })
        .expect(400);

    it('says it in Italian to an Italian operator, naming the field, beside the English', async () => {
      const operator = await createUser(app, { role: 'operator', uiLanguage: 'it' });
      const { campaignId, statusId, stepId } = await world([operator]);
      const { agent, token, contactId } = await holding(operator, campaignId);

      const refused = await refuse(agent, token, contactId, statusId);
      expect(refused.body).toEqual({
        statusCode: 400,
        message: `answers.${stepId}: "Contatti futuri" needs an answer`,
        said: [{ field: `answers.${stepId}`, text: '«Contatti futuri» richiede una risposta.' }],
      });
    });

    it('the dial check says its refusals in Italian too', async () => {
      const operator = await createUser(app, { role: 'operator', uiLanguage: 'it' });
      const { campaignId } = await world([operator]);
      const { agent, token, contactId } = await holding(operator, campaignId);

      const notTheirs = await agent
        .post(`/api/v1/work/${contactId}/dial`)
        .set('X-CSRF-Token', token)
        .send({ phone: '+390299999999' })
        .expect(400);
      expect(notTheirs.body.said).toEqual([
        { field: 'phone', text: 'Il numero chiamato deve essere uno dei numeri del contatto.' },
      ]);
      const other = await createContact(app, campaignId);
      const notLeased = await agent
        .post(`/api/v1/work/${other.id}/dial`)
        .set('X-CSRF-Token', token)
        .send({ phone: other.phone })
        .expect(403);
      expect(notLeased.body.said).toEqual([
        {
          field: 'contactId',
          text: 'Questo contatto non è più assegnato a te: ricarica la pagina.',
        },
      ]);
    });

    it('says it in English to an English operator', async () => {
      const operator = await createUser(app, { role: 'operator', uiLanguage: 'en' });
      const { campaignId, statusId, stepId } = await world([operator]);
      const { agent, token, contactId } = await holding(operator, campaignId);

      const refused = await refuse(agent, token, contactId, statusId);
      expect(refused.body.said).toEqual([
        { field: `answers.${stepId}`, text: '"Contatti futuri" needs an answer.' },
      ]);
    });

    it('answers an API token with the English message alone, as integrations know it', async () => {
      const operator = await createUser(app, { role: 'operator', uiLanguage: 'it' });
      const { campaignId, statusId, stepId } = await world([operator]);
      const as = { Authorization: `Bearer ${await tokenFor(app, operator)}` };
      const contact = await createContact(app, campaignId);
      await http().post('/api/v1/work/next').set(as).send({ campaignId }).expect(200);

      const refused = await http()
        .post(`/api/v1/work/${contact.id}/outcome`)
        .set(as)
        .send({ statusId })
        .expect(400);
      expect(refused.body).toEqual({
        statusCode: 400,
        message: `answers.${stepId}: "Contatti futuri" needs an answer`,
      });
    });

    it('says a refused DTO field by its rule, and a consent answer that is neither yes nor no', async () => {
      const operator = await createUser(app, { role: 'operator', uiLanguage: 'it' });
      const { campaignId, statusId, stepId } = await world([operator]);
      const { agent, token, contactId } = await holding(operator, campaignId);

      const wrongType = await agent
        .post(`/api/v1/work/${contactId}/outcome`)
        .set('X-CSRF-Token', token)
        .send({ statusId: 'uno' })
        .expect(400);
      expect(wrongType.body.said).toEqual([
        { field: 'statusId', text: 'Deve essere un numero intero.' },
      ]);
      const maybe = await agent
        .post(`/api/v1/work/${contactId}/outcome`)
        .set('X-CSRF-Token', token)
        .send({ statusId, answers: { [stepId]: 'forse' } })
        .expect(400);
      expect(maybe.body.said).toEqual([{ field: `answers.${stepId}`, text: 'Rispondi sì o no.' }]);
    });
  });

  describe('an extension already taken', () => {
    it('is said in Italian beside the field of the admin’s form, and in the JSON said', async () => {
      const admin = await createUser(app, { role: 'admin', uiLanguage: 'it' });
      const operatore = await createUser(app, { role: 'operator', username: 'operatore' });
      const other = await createUser(app, { role: 'operator' });
      await app.get(DataSource).getRepository(User).update(operatore.id, { extension: '201' });
      const agent = await signedInAgent(app, admin);

      const edit = await agent.get(`/users/${other.id}/edit`).expect(200);
      const form = /name="_csrf" value="([^"]+)"/.exec(edit.text)![1]!;
      await agent
        .post(`/users/${other.id}`)
        .type('form')
        .send({
          _csrf: form,
          displayName: 'Altro',
          role: 'operator',
          extension: '201',
        })
        .expect(303);
      const again = await agent.get(`/users/${other.id}/edit`).expect(200);
      expect(again.text).toContain('L&#x27;interno 201 è già assegnato a operatore.');
      expect(again.text).not.toContain('already taken');

      const json = await agent
        .patch(`/api/v1/users/${other.id}`)
        .set('X-CSRF-Token', metaToken(edit.text))
        .send({ extension: '201' })
        .expect(409);
      expect(json.body).toEqual({
        statusCode: 409,
        message: 'extension 201 is already taken by operatore',
        said: [{ field: 'extension', text: "L'interno 201 è già assegnato a operatore." }],
      });
    });
  });

  describe('pages write numbers and money in the user’s language', () => {
    async function sold(uiLanguage: 'it' | 'en') {
      const operator = await createUser(app, { role: 'operator', uiLanguage });
      const as = { Authorization: `Bearer ${await tokenFor(app, operator)}` };
      const sale = await createStatus(app, { code: 'OK', type: 'C' });
      const none = await createStatus(app, { code: 'NR', type: 'N' });
      const product = await createProduct(app, {
        code: 'F',
        unitPrice: '1000.00',
        vatRate: '22.00',
      });
      const campaign = await createCampaign(
        app,
        {},
        { statusIds: [sale.id, none.id], productIds: [product.id], operatorIds: [operator.id] },
      );
      const work = async (body: object) => {
        const contact = await createContact(app, campaign.id);
        await http().post('/api/v1/work/next').set(as).send({}).expect(200);
        await http().post(`/api/v1/work/${contact.id}/outcome`).set(as).send(body).expect(201);
      };
      await work({ statusId: sale.id, cart: [{ productId: product.id, quantity: 1 }] });
      await work({ statusId: none.id });
      await work({ statusId: none.id });
      return campaign;
    }

    it('an Italian coordinator reads 33,3 % and the day on the reports', async () => {
      const campaign = await sold('it');
      const coordinator = await createUser(app, { role: 'coordinator', uiLanguage: 'it' });
      const agent = await signedInAgent(app, coordinator);
      const page = await agent
        .get(`/reports?view=production&from=2026-11-30&to=2026-11-30&campaignId=${campaign.id}`)
        .expect(200);
      expect(page.text).toContain(`33,3${NBSP}%`);
      expect(page.text).toContain('lun 30/11/2026');
    });

    it('an English backoffice reads €1,220.00 and the one date and time format on contracts', async () => {
      await sold('en');
      const backoffice = await createUser(app, { role: 'backoffice', uiLanguage: 'en' });
      const agent = await signedInAgent(app, backoffice);
      const page = await agent.get('/contracts').expect(200);
      expect(page.text).toContain('€1,220.00');
      // The contract's time (the database's clock) in the one date-and-time format.
      expect(page.text).toMatch(
        /<td class="ctr-nowrap">(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{2}\/\d{2}\/\d{4}, \d{2}:\d{2}<\/td>/,
      );
    });
  });
});
