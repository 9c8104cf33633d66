import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { Contact } from '../../src/contacts/contact.entity';
import { OutcomeStatus } from '../../src/outcome-statuses/outcome-status.entity';
import { createCampaign, createStatus } from '../factories/catalogue.factory';
import { mobile } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { signedInAgent } from '../support/browser-session';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

describe('Contact tags: set, filtered, replaced when the contact is done', () => {
  let app: NestExpressApplication;
  let db: DataSource;
  let coordinator: string;
  let operator: { id: number; token: string };
  let campaign: Campaign;
  let done: OutcomeStatus;
  let retry: OutcomeStatus;
  let callback: OutcomeStatus;
  const http = () => request(app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const add = (n: number, tags: string[]) =>
    http()
      .post(`/api/v1/campaigns/${campaign.id}/contacts`)
      .set(as(coordinator))
      .send({ firstName: 'Anna', lastName: `Neri${n}`, phone: mobile(n), tags })
      .expect(201)
      .then((r) => r.body as { id: number; tags: string[] });
  const tagsOf = async (id: number) =>
    (await db.getRepository(Contact).findOneByOrFail({ id })).tags;
  const work = async (statusId: number, extra: object = {}) => {
    const lease = await http()
      .post('/api/v1/work/next')
      .set(as(operator.token))
      .send({ campaignId: campaign.id })
      .expect(200);
    const id = lease.body.contact.id as number;
    await http()
      .post(`/api/v1/work/${id}/outcome`)
      .set(as(operator.token))
      .send({ statusId, ...extra })
      .expect(201);
    return id;
  };

  beforeAll(async () => {
    app = await createTestApp();
    db = app.get(DataSource);
  });
  beforeEach(async () => {
    await resetDatabase(app);
    coordinator = await tokenFor(app, await createUser(app, { role: 'coordinator' }));
    const op = await createUser(app, { role: 'operator' });
    operator = { id: op.id, token: await tokenFor(app, op) };
    done = await createStatus(app, { code: 'OK', label: 'Fatto', type: 'N' });
    retry = await createStatus(app, {
      code: 'NORISP',
      label: 'Non risponde',
      type: 'N',
      retryAfterMinutes: 30,
      maxAttempts: 3,
    });
    callback = await createStatus(app, { code: 'RICH', label: 'Richiamare', type: 'R' });
    campaign = await createCampaign(
      app,
      {},
      { statusIds: [done.id, retry.id, callback.id], operatorIds: [op.id] },
    );
  });
  afterAll(async () => {
    await app.close();
    removeSqliteData();
  });

  it('lists contacts by tag, refusing a malformed one', async () => {
    const a = await add(1, ['call_next:outage', 'VIP']);
    await add(2, ['vip']);
    await add(3, []);
    expect(a.tags).toEqual(['call_next:outage', 'vip']);
    const page = (tag: string) =>
      http()
        .get(`/api/v1/campaigns/${campaign.id}/contacts?tag=${encodeURIComponent(tag)}`)
        .set(as(coordinator));
    const names = async (tag: string) =>
      ((await page(tag).expect(200)).body.contacts as Array<{ lastName: string }>).map(
        (c) => c.lastName,
      );
    expect(await names('vip')).toEqual(['Neri1', 'Neri2']);
    expect(await names('call_next:outage')).toEqual(['Neri1']);
    // "_" is a LIKE wildcard: it must match itself only
    expect(await names('call_nex_:outage')).toEqual([]);
    expect(await names('outage')).toEqual([]);
    const bad = await page('bad tag!').expect(400);
    expect(JSON.stringify(bad.body.message)).toContain('tag');

    const agent = await signedInAgent(app, await createUser(app, { role: 'coordinator' }));
    const list = await agent.get(`/campaigns/${campaign.id}/contacts?tag=vip`).expect(200);
    expect(list.text.match(/<a href="\/contacts\/\d+">/g)).toHaveLength(2);
    const show = await agent.get(`/contacts/${a.id}`).expect(200);
    expect(show.text).toContain(`/campaigns/${campaign.id}/contacts?tag=call_next:outage`);
  });

  it('replaces call_next by done when the contact is done, not on a retry or callback', async () => {
    const a = await add(1, ['call_next:outage', 'vip']);
    const b = await add(2, ['call_next:outage']);
    const c = await add(3, ['call_next:billing']);
    expect(await work(retry.id)).toBe(a.id);
    expect(await tagsOf(a.id)).toEqual(['call_next:outage', 'vip']);
    expect(await work(callback.id, { callback: { at: '2099-06-10T10:00:00Z' } })).toBe(b.id);
    expect(await tagsOf(b.id)).toEqual(['call_next:outage']);
    expect(await work(done.id)).toBe(c.id);
    expect(await tagsOf(c.id)).toEqual(['done:billing']);
  });

  it('the same outcome confirmed twice at once replaces the tag once', async () => {
    const a = await add(1, ['call_next:outage', 'done:outage']);
    const lease = await http()
      .post('/api/v1/work/next')
      .set(as(operator.token))
      .send({ campaignId: campaign.id })
      .expect(200);
    expect(lease.body.contact.id).toBe(a.id);
    const answers = await Promise.all(
      [1, 2].map(() =>
        http()
          .post(`/api/v1/work/${a.id}/outcome`)
          .set(as(operator.token))
          .send({ statusId: done.id }),
      ),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await tagsOf(a.id)).toEqual(['done:outage']);
  });
});
