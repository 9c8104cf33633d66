import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { CampaignOperator } from '../../src/campaigns/campaign-operator.entity';
import { User } from '../../src/users/user.entity';
import { createCampaign, createStatus } from '../factories/catalogue.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { csrfFrom, signedInAgent } from '../support/browser-session';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

/** Who works a campaign: set by coordinators as well as admins, and on a new operator. */
describe('Operators of a campaign', () => {
  let app: NestExpressApplication;
  let db: DataSource;
  let campaignId: number;
  let statusId: number;
  const http = () => request(app.getHttpServer());
  const said = (body: { message?: string | string[] }) =>
    Array.isArray(body.message) ? body.message.join(' | ') : (body.message ?? '');
  const linked = async () =>
    (await db.getRepository(CampaignOperator).findBy({ campaignId }))
      .map((l) => l.userId)
      .sort((a, b) => a - b);

  beforeAll(async () => {
    app = await createTestApp();
    db = app.get(DataSource);
  });
  beforeEach(async () => {
    await resetDatabase(app);
    statusId = (await createStatus(app, { code: 'NI', type: 'N' })).id;
    campaignId = (await createCampaign(app, {}, { statusIds: [statusId] })).id;
  });
  afterAll(async () => {
    await app.close();
    removeSqliteData();
  });

  it('a coordinator replaces them through the API; operators and backoffice may not', async () => {
    const coordinator = await tokenFor(app, await createUser(app, { role: 'coordinator' }));
    const [anna, bruno] = [await createUser(app), await createUser(app)];
    const put = (token: string, operatorIds: unknown) =>
      http()
        .put(`/api/v1/campaigns/${campaignId}/operators`)
        .set({ Authorization: `Bearer ${token}` })
        .send({ operatorIds });
    const res = await put(coordinator, [anna.id, bruno.id]).expect(200);
    expect(res.body.operatorIds.sort()).toEqual([anna.id, bruno.id].sort());
    expect(await linked()).toEqual([anna.id, bruno.id].sort((a, b) => a - b));
    await put(coordinator, [bruno.id]).expect(200);
    expect(await linked()).toEqual([bruno.id]);

    const backoffice = await createUser(app, { role: 'backoffice' });
    const refused = await put(coordinator, [backoffice.id]).expect(400);
    expect(said(refused.body)).toMatch(/^operatorIds/);
    for (const bad of [null, 'x', [0], [bruno.id, bruno.id]]) {
      expect(said((await put(coordinator, bad).expect(400)).body)).toContain('operatorIds');
    }
    expect(await linked()).toEqual([bruno.id]);
    await put(await tokenFor(app, anna), [anna.id]).expect(403);
    await put(await tokenFor(app, backoffice), []).expect(403);
    await http()
      .put('/api/v1/campaigns/999999/operators')
      .set({ Authorization: `Bearer ${coordinator}` })
      .send({ operatorIds: [] })
      .expect(404);
  });

  it('a coordinator ticks them on the campaign page', async () => {
    const anna = await createUser(app, { displayName: 'Anna Alfa' });
    const agent = await signedInAgent(app, await createUser(app, { role: 'coordinator' }));
    const page = await agent.get(`/campaigns/${campaignId}`).expect(200);
    expect(page.text).toContain(`name="operatorIds" value="${anna.id}"`);
    await agent
      .post(`/campaigns/${campaignId}/operators`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), operatorIds: String(anna.id) })
      .expect(303)
      .expect('Location', `/campaigns/${campaignId}`);
    expect(await linked()).toEqual([anna.id]);
    const again = await agent.get(`/campaigns/${campaignId}`).expect(200);
    expect(again.text).toContain(`name="operatorIds" value="${anna.id}" checked`);
    // Nothing ticked: nobody works it.
    await agent
      .post(`/campaigns/${campaignId}/operators`)
      .type('form')
      .send({ _csrf: csrfFrom(again.text) })
      .expect(303);
    expect(await linked()).toEqual([]);
  });

  it('a new user is an operator unless chosen otherwise, and can be put on campaigns', async () => {
    const adminUser = await createUser(app, { role: 'admin' });
    const admin = { Authorization: `Bearer ${await tokenFor(app, adminUser)}` };
    const created = await http()
      .post('/api/v1/users')
      .set(admin)
      .send({
        username: 'nuovo.op',
        password: 'password-123',
        displayName: 'Nuovo',
        role: 'operator',
        campaignIds: [campaignId],
      })
      .expect(201);
    expect(await linked()).toEqual([created.body.id]);
    const coord = await http()
      .post('/api/v1/users')
      .set(admin)
      .send({
        username: 'nuovo.coord',
        password: 'password-123',
        displayName: 'Coord',
        role: 'coordinator',
        campaignIds: [campaignId],
      })
      .expect(400);
    expect(said(coord.body)).toMatch(/^campaignIds: /);
    const unknown = await http()
      .post('/api/v1/users')
      .set(admin)
      .send({
        username: 'nuovo.op2',
        password: 'password-123',
        displayName: 'Nuovo 2',
        role: 'operator',
        campaignIds: [999_999],
      })
      .expect(400);
    expect(said(unknown.body)).toMatch(/^campaignIds: unknown campaign ids 999999/);
    // Nothing half-made: the refused user does not exist.
    expect(await db.getRepository(User).countBy({ username: 'nuovo.op2' })).toBe(0);

    const form = await (await signedInAgent(app, adminUser)).get('/users/new').expect(200);
    expect(form.text).toContain('<option value="operator" selected>');
    expect(form.text).toContain(`name="campaignIds" value="${campaignId}"`);
  });
});
