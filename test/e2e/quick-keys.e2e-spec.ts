import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { createCampaign, createStatus } from '../factories/catalogue.factory';
import { createContact } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { signedInAgent } from '../support/browser-session';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

/** A quick status's key is its own digit, unique among quick statuses, in every campaign. */
describe('Quick keys', () => {
  let app: NestExpressApplication;
  let admin: string;
  const http = () => request(app.getHttpServer());
  const create = (code: string, quickOrder: number) =>
    http()
      .post('/api/v1/outcome-statuses')
      .set({ Authorization: `Bearer ${admin}` })
      .send({ code, label: code, type: 'N', color: '#9E9E9E', quick: true, quickOrder });
  const call = (method: 'patch' | 'post', path: string, body: object = {}) =>
    http()
      [method](`/api/v1/outcome-statuses${path}`)
      .set({ Authorization: `Bearer ${admin}` })
      .send(body);

  beforeAll(async () => {
    app = await createTestApp();
  });
  beforeEach(async () => {
    await resetDatabase(app);
    admin = await tokenFor(app, await createUser(app, { role: 'admin' }));
  });
  afterAll(async () => {
    await app.close();
    removeSqliteData();
  });

  it('refuses a key another quick status has, naming it (409), until that one is archived', async () => {
    const noAnswer = (await create('NR', 1).expect(201)).body as { id: number };
    const clash = await create('BUSY', 1).expect(409);
    expect(clash.body.message).toBe('quickOrder: key 1 is already the key of NR "NR"');
    const busy = (await create('BUSY', 2).expect(201)).body as { id: number };
    await call('patch', `/${busy.id}`, { quickOrder: 1 }).expect(409);
    // Not quick, or archived: the key is free.
    await call('patch', `/${busy.id}`, { quick: false, quickOrder: null }).expect(200);
    await call('post', `/${noAnswer.id}/archive`).expect(200);
    await call('patch', `/${busy.id}`, { quick: true, quickOrder: 1 }).expect(200);
    const restored = await call('post', `/${noAnswer.id}/restore`).expect(409);
    expect(restored.body.message).toBe('quickOrder: key 1 is already the key of BUSY "BUSY"');
  });

  it('the workstation uses each status’s own key', async () => {
    const operator = await createUser(app, { role: 'operator' });
    const four = await createStatus(app, { code: 'K4', type: 'N', quick: true, quickOrder: 4 });
    const seven = await createStatus(app, { code: 'K7', type: 'N', quick: true, quickOrder: 7 });
    const campaign = await createCampaign(
      app,
      {},
      { statusIds: [four.id, seven.id], operatorIds: [operator.id] },
    );
    await createContact(app, campaign.id);
    await http()
      .post('/api/v1/work/next')
      .set({ Authorization: `Bearer ${await tokenFor(app, operator)}` })
      .send({})
      .expect(200);
    const page = await (await signedInAgent(app, operator)).get('/work').expect(200);
    expect(page.text).toContain(`data-status-id="${four.id}" data-key="4"`);
    expect(page.text).toContain(`data-status-id="${seven.id}" data-key="7"`);
  });
});
