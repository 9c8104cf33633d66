import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { CampaignConfigCache } from '../../src/campaigns/campaign-config';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { OutcomeStatus } from '../../src/outcome-statuses/outcome-status.entity';
import { createCampaign, createStatus } from '../factories/catalogue.factory';
import { createContact } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { type AppInstance, startAppWorker } from '../support/app-worker';
import { createTestApp, isMysqlRun, removeSqliteData, resetDatabase } from '../support/test-app';

/**
 * Campaign configuration is kept in each instance's memory (campaign-config.ts): an
 * admin's change must still reach every card and every outcome, at once on the instance
 * that made it, within a second on the others, and never be missed by an outcome's rule.
 */
describe('Campaign configuration kept per instance', () => {
  let app: NestExpressApplication;
  let admin: string;
  let operator: string;
  let campaignId: number;
  let kept: OutcomeStatus;
  let dropped: OutcomeStatus;
  const http = () => request(app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const statusLabels = (body: { statuses: Array<{ label: string }> }) =>
    body.statuses.map((s) => s.label).sort();

  beforeAll(async () => {
    app = await createTestApp();
  });
  beforeEach(async () => {
    await resetDatabase(app);
    admin = await tokenFor(app, await createUser(app, { role: 'admin' }));
    const op = await createUser(app, { role: 'operator' });
    operator = await tokenFor(app, op);
    kept = await createStatus(app, { code: 'NI', label: 'Non interessato' });
    dropped = await createStatus(app, { code: 'NR', label: 'Non risponde' });
    campaignId = (
      await createCampaign(app, {}, { statusIds: [kept.id, dropped.id], operatorIds: [op.id] })
    ).id;
    for (let i = 0; i < 3; i++) await createContact(app, campaignId);
  });
  afterAll(async () => {
    await app.close();
    removeSqliteData();
  });

  const next = (base: string | NestExpressApplication['getHttpServer'] = '') =>
    (typeof base === 'string' && base ? request(base) : http())
      .post('/api/v1/work/next')
      .set(as(operator))
      .send({ campaignId })
      .expect(200);

  it('shows an admin’s change on the next card at once, and refuses an archived status', async () => {
    const first = await next();
    expect(statusLabels(first.body)).toEqual(['Non interessato', 'Non risponde']);
    await http()
      .patch(`/api/v1/outcome-statuses/${kept.id}`)
      .set(as(admin))
      .send({ label: 'Non interessa' })
      .expect(200);
    await http().post(`/api/v1/outcome-statuses/${dropped.id}/archive`).set(as(admin)).expect(200);
    const card = await http().get('/api/v1/work/current').set(as(operator)).expect(200);
    expect(statusLabels(card.body)).toEqual(['Non interessa']);
    const refused = await http()
      .post(`/api/v1/work/${first.body.contact.id}/outcome`)
      .set(as(operator))
      .send({ statusId: dropped.id })
      .expect(400);
    expect(refused.body.message).toBe(
      `statusId: status ${dropped.id} is not an outcome of this campaign`,
    );
  });

  it('sees a change written straight to the database by the ORM (a job, the demo)', async () => {
    await next();
    await app
      .get(DataSource)
      .getRepository(Campaign)
      .update({ id: campaignId }, { name: 'Estate' });
    const card = await http().get('/api/v1/work/current').set(as(operator)).expect(200);
    expect(card.body.campaign.name).toBe('Estate');
  });

  it('hands out copies no request can change for the others', async () => {
    await next();
    const config = (await app.get(CampaignConfigCache).campaign(campaignId))!;
    expect(() => {
      (config.campaign as { name: string }).name = 'changed';
    }).toThrow(TypeError);
    expect(() => (config.statuses as unknown as OutcomeStatus[]).pop()).toThrow(TypeError);
  });

  (isMysqlRun() ? describe : describe.skip)('two instances on one database', () => {
    let other: AppInstance;
    beforeAll(async () => {
      other = await startAppWorker();
    });
    afterAll(async () => {
      await other.close();
    });

    it('an outcome on the other instance applies the rule as changed, at once; its cards follow within a second', async () => {
      // The other instance has read the campaign (its copy is warm).
      const leased = await next(other.baseUrl);
      expect(statusLabels(leased.body)).toEqual(['Non interessato', 'Non risponde']);
      await http()
        .post(`/api/v1/outcome-statuses/${dropped.id}/archive`)
        .set(as(admin))
        .expect(200);
      const refused = await request(other.baseUrl)
        .post(`/api/v1/work/${leased.body.contact.id}/outcome`)
        .set(as(operator))
        .send({ statusId: dropped.id })
        .expect(400);
      expect(refused.body.message).toMatch(/^statusId: /);
      // Its cards: the change shows once its copy is checked (every half second).
      let labels: string[] = [];
      for (let i = 0; i < 40 && labels.length !== 1; i++) {
        const card = await request(other.baseUrl)
          .get('/api/v1/work/current')
          .set(as(operator))
          .expect(200);
        labels = statusLabels(card.body);
        if (labels.length !== 1) await new Promise((r) => setTimeout(r, 100));
      }
      expect(labels).toEqual(['Non interessato']);
    });
  });
});
