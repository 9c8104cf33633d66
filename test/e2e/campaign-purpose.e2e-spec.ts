import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { CampaignConfigCache } from '../../src/campaigns/campaign-config';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { createStatus } from '../factories/catalogue.factory';
import { mobile } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { csrfFrom, signedInAgent } from '../support/browser-session';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

/** A campaign is marketing (the default) or service: what a do-not-call scope applies to. */
describe('Campaign purpose', () => {
  let app: NestExpressApplication;
  let admin: { username: string; password: string; token: string };
  let statusId: number;
  const http = () => request(app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const body = (extra: object = {}) => ({
    code: 'LUCE',
    name: 'Luce',
    steps: [{ kind: 'outcome', title: 'Esito' }],
    statusIds: [statusId],
    ...extra,
  });

  beforeAll(async () => {
    app = await createTestApp();
  });
  beforeEach(async () => {
    await resetDatabase(app);
    const user = await createUser(app, { role: 'admin' });
    admin = { ...user, token: await tokenFor(app, user) };
    statusId = (await createStatus(app, { type: 'N' })).id;
  });
  afterAll(async () => {
    await app.close();
    removeSqliteData();
  });

  it('is marketing unless told, service when told, and changes with a save', async () => {
    const plain = await http().post('/api/v1/campaigns').set(as(admin.token)).send(body());
    expect(plain.status).toBe(201);
    expect(plain.body.purpose).toBe('marketing');

    const service = await http()
      .post('/api/v1/campaigns')
      .set(as(admin.token))
      .send(body({ code: 'AVVISI', purpose: 'service' }))
      .expect(201);
    expect(service.body.purpose).toBe('service');
    const id = service.body.id as number;
    // Every call reads the campaign from the instance's cache: the purpose is in it.
    const cache = app.get(CampaignConfigCache);
    expect((await cache.campaign(id))?.campaign.purpose).toBe('service');

    const replaced = await http()
      .put(`/api/v1/campaigns/${id}`)
      .set(as(admin.token))
      .send(body({ code: 'AVVISI', purpose: 'marketing' }))
      .expect(200);
    expect(replaced.body.purpose).toBe('marketing');
    expect((await cache.campaign(id))?.campaign.purpose).toBe('marketing');
    const audit = await http()
      .get('/api/v1/audit?action=campaign.updated')
      .set(as(admin.token))
      .expect(200);
    expect(JSON.stringify(audit.body)).toContain('purpose');
  });

  it('refuses an unknown purpose naming the field, and lets only admins set it', async () => {
    const bad = await http()
      .post('/api/v1/campaigns')
      .set(as(admin.token))
      .send(body({ purpose: 'sales' }))
      .expect(400);
    expect(JSON.stringify(bad.body.message)).toMatch(/purpose must be one of: marketing, service/);
    const coordinator = await tokenFor(app, await createUser(app, { role: 'coordinator' }));
    await http()
      .post('/api/v1/campaigns')
      .set(as(coordinator))
      .send(body({ purpose: 'service' }))
      .expect(403);
    expect(await app.get(DataSource).getRepository(Campaign).count()).toBe(0);
  });

  it('is chosen on the campaign form and shown on the campaign page', async () => {
    const browser = await signedInAgent(app, admin);
    const form = await browser.get('/campaigns/new').expect(200);
    expect(form.text).toMatch(/<option value="marketing" selected>/);
    const saved = await browser
      .post('/campaigns')
      .set('Host', 'crm.example')
      .set('Referer', 'http://crm.example/campaigns/new')
      .type('form')
      .send(
        new URLSearchParams([
          ['_csrf', csrfFrom(form.text)],
          ['code', 'AVVISI'],
          ['name', 'Avvisi'],
          ['timezone', 'Europe/Rome'],
          ['week[d1][first][start]', '09:00'],
          ['week[d1][first][end]', '18:00'],
          ['holidays', 'IT'],
          ['purpose', 'service'],
          ['statusIds', String(statusId)],
          ['steps[0][kind]', 'outcome'],
          ['steps[0][title]', 'Esito'],
        ]).toString(),
      )
      .expect(303);
    const campaign = await app
      .get(DataSource)
      .getRepository(Campaign)
      .findOneByOrFail({ code: 'AVVISI' });
    expect(campaign.purpose).toBe('service');
    expect(saved.headers.location).toBe(`/campaigns/${campaign.id}`);
    const page = await browser.get(`/campaigns/${campaign.id}`).expect(200);
    expect(page.text).toContain('Servizio (avvisi di guasto');
    const edit = await browser.get(`/campaigns/${campaign.id}/edit`).expect(200);
    expect(edit.text).toMatch(/<option value="service" selected>/);
  });

  it('an outage notice campaign is a service campaign', async () => {
    const coordinator = await tokenFor(app, await createUser(app, { role: 'coordinator' }));
    const outage = await http()
      .post('/api/v1/outages')
      .set(as(coordinator))
      .send({
        name: 'Guasto Milano nord',
        whatHappened: 'un guasto alla centrale',
        expectedRestore: 'oggi entro le 18:00',
        whatToDo: 'riavviare il modem',
        numbers: mobile(1),
      })
      .expect(201);
    const campaign = await app
      .get(DataSource)
      .getRepository(Campaign)
      .findOneByOrFail({ id: outage.body.id as number });
    expect(campaign.purpose).toBe('service');
  });
});
