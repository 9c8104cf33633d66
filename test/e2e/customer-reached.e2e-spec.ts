import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { Contact } from '../../src/contacts/contact.entity';
import { Interaction } from '../../src/interactions/interaction.entity';
import { OutcomeStatus } from '../../src/outcome-statuses/outcome-status.entity';
import { createStatus } from '../factories/catalogue.factory';
import { createContact } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { signedInAgent, csrfFrom } from '../support/browser-session';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

/** Invariant 12: required steps only where the customer was reached; no consent otherwise. */
describe('Outcome statuses that reached no customer', () => {
  let app: NestExpressApplication;
  let db: DataSource;
  let admin: string;
  let operator: { id: number; token: string };
  const http = () => request(app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const said = (body: { message?: string | string[] }) =>
    Array.isArray(body.message) ? body.message.join(' | ') : (body.message ?? '');

  beforeAll(async () => {
    app = await createTestApp();
    db = app.get(DataSource);
  });
  beforeEach(async () => {
    await resetDatabase(app);
    admin = await tokenFor(app, await createUser(app, { role: 'admin' }));
    const op = await createUser(app, { role: 'operator' });
    operator = { id: op.id, token: await tokenFor(app, op) };
  });
  afterAll(async () => {
    await app.close();
    removeSqliteData();
  });

  describe('the status setting', () => {
    const create = (body: object) =>
      http()
        .post('/api/v1/outcome-statuses')
        .set(as(admin))
        .send({ label: 'Stato', color: '#9E9E9E', ...body });

    it('defaults to reached, is kept false for an N status and can be changed', async () => {
      const reached = await create({ code: 'NI', type: 'N' }).expect(201);
      expect(reached.body.customerReached).toBe(true);
      const noAnswer = await create({ code: 'NR', type: 'N', customerReached: false }).expect(201);
      expect(noAnswer.body.customerReached).toBe(false);
      const patched = await http()
        .patch(`/api/v1/outcome-statuses/${reached.body.id}`)
        .set(as(admin))
        .send({ customerReached: false })
        .expect(200);
      expect(patched.body.customerReached).toBe(false);
      const stored = await db.getRepository(OutcomeStatus).findOneByOrFail({ id: reached.body.id });
      expect(stored.customerReached).toBe(false);
    });

    it('refuses false for a callback, a sale or an appointment, and null or text', async () => {
      for (const type of ['R', 'C', 'T']) {
        const res = await create({ code: `X${type}`, type, customerReached: false }).expect(400);
        expect(said(res.body)).toMatch(/^customerReached is only allowed for type N/);
      }
      for (const value of [null, 'no', 0]) {
        const res = await create({ code: 'XN', type: 'N', customerReached: value }).expect(400);
        expect(said(res.body)).toMatch(/^customerReached /);
      }
      expect(await db.getRepository(OutcomeStatus).count()).toBe(0);
    });

    it('is edited on the status page: unticked saves false, ticked true', async () => {
      const admin2 = await createUser(app, { role: 'admin' });
      const agent = await signedInAgent(app, admin2);
      const form = await agent.get('/outcome-statuses/new').expect(200);
      expect(form.text).toContain('name="customerReached" value="true" checked');
      await agent
        .post('/outcome-statuses')
        .type('form')
        .send({
          _csrf: csrfFrom(form.text),
          code: 'NR',
          label: 'Non risponde',
          type: 'N',
          color: '#9E9E9E',
        })
        .expect(303);
      const saved = await db.getRepository(OutcomeStatus).findOneByOrFail({ code: 'NR' });
      expect(saved.customerReached).toBe(false);
      const edit = await agent.get(`/outcome-statuses/${saved.id}/edit`).expect(200);
      expect(edit.text).not.toContain('name="customerReached" value="true" checked');
      await agent
        .post(`/outcome-statuses/${saved.id}`)
        .type('form')
        .send({
          _csrf: csrfFrom(edit.text),
          code: 'NR',
          label: 'Non risponde',
          type: 'N',
          color: '#9E9E9E',
          customerReached: 'true',
        })
        .expect(303);
      expect(
        (await db.getRepository(OutcomeStatus).findOneByOrFail({ id: saved.id })).customerReached,
      ).toBe(true);
    });
  });

  describe('confirming an outcome on a campaign with a required consent step', () => {
    let campaign: Campaign;
    let noAnswer: OutcomeStatus;
    let notInterested: OutcomeStatus;
    let consentStepId: number;

    beforeEach(async () => {
      noAnswer = await createStatus(app, {
        code: 'NR',
        label: 'Non risponde',
        type: 'N',
        retryAfterMinutes: 60,
        maxAttempts: 3,
        customerReached: false,
      });
      notInterested = await createStatus(app, { code: 'NI', label: 'Non interessato', type: 'N' });
      const created = await http()
        .post('/api/v1/campaigns')
        .set(as(admin))
        .send({
          code: 'CONSENSO',
          name: 'Con consenso',
          // Open at any hour of any day, holidays too: the test runs whenever CI does.
          callingHours: { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' },
          holidays: null,
          steps: [
            {
              kind: 'consent',
              title: 'Contatti futuri',
              consentPurpose: 'contact',
              required: true,
            },
            { kind: 'outcome', title: 'Esito' },
          ],
          statusIds: [noAnswer.id, notInterested.id],
          operatorIds: [operator.id],
        })
        .expect(201);
      campaign = await db.getRepository(Campaign).findOneByOrFail({ id: created.body.id });
      consentStepId = (created.body.steps as Array<{ id: number; kind: string }>).find(
        (s) => s.kind === 'consent',
      )!.id;
    });

    const take = async () => {
      const contact = await createContact(app, campaign.id);
      await http()
        .post('/api/v1/work/next')
        .set(as(operator.token))
        .send({ campaignId: campaign.id })
        .expect(200);
      return contact;
    };
    const confirm = (contactId: number, body: object) =>
      http().post(`/api/v1/work/${contactId}/outcome`).set(as(operator.token)).send(body);

    it('"no answer" confirms with nothing answered, and writes no consent', async () => {
      const contact = await take();
      const res = await confirm(contact.id, { statusId: noAnswer.id }).expect(201);
      expect(res.body.contactState).toBe('retry');
      const stored = await db.getRepository(Contact).findOneByOrFail({ id: contact.id });
      expect(stored.consent).toBeNull();
    });

    it('"no answer" keeps no consent answer even when one is sent', async () => {
      const contact = await take();
      const res = await confirm(contact.id, {
        statusId: noAnswer.id,
        answers: { [consentStepId]: 'yes' },
      }).expect(201);
      const interaction = await db
        .getRepository(Interaction)
        .findOneByOrFail({ id: res.body.interactionId });
      expect(interaction.answers).toBeNull();
      expect(
        (await db.getRepository(Contact).findOneByOrFail({ id: contact.id })).consent,
      ).toBeNull();
    });

    it('"not interested" still asks for the consent, then stores it', async () => {
      const contact = await take();
      const refused = await confirm(contact.id, { statusId: notInterested.id }).expect(400);
      expect(said(refused.body)).toBe(
        `answers.${consentStepId}: "Contatti futuri" needs an answer`,
      );
      await confirm(contact.id, {
        statusId: notInterested.id,
        answers: { [consentStepId]: 'no' },
      }).expect(201);
      expect((await db.getRepository(Contact).findOneByOrFail({ id: contact.id })).consent).toBe(
        false,
      );
    });
  });
});
