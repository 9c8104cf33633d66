import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { CallbackRequestsService } from '../../src/callback-requests/callback-requests.service';
import type { Campaign } from '../../src/campaigns/campaign.entity';
import { Clock } from '../../src/common/time/clock';
import type { OutcomeStatus } from '../../src/outcome-statuses/outcome-status.entity';
import { createCampaign, createStatus } from '../factories/catalogue.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { signedInAgent } from '../support/browser-session';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

/** Monday 30 November 2026, 11:00 in Rome. */
const MONDAY = new Date('2026-11-30T10:00:00Z');
const at = (minutes: number) => new Date(MONDAY.getTime() + minutes * 60_000);

interface Row {
  day: string;
  campaignId: number;
  campaignCode: string;
  offered: number;
  accepted: number;
  served: number;
  servedInWindow: number;
  notReached: number;
  late: number;
}

describe('Callback offers report and the coordinators’ late requests', () => {
  let app: NestExpressApplication;
  let clock: Clock;
  let admin: string;
  let ivr: string;
  let coordinator: { username: string; password: string; token: string };
  let operator: { id: number; token: string };
  let noAnswer: OutcomeStatus;
  let done: OutcomeStatus;
  let campaign: Campaign;
  const http = () => request(app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const ask = (phone: string, slotStart?: string) =>
    http()
      .post('/api/v1/callback-requests')
      .set(as(ivr))
      .send({ campaignId: campaign.id, phone, ...(slotStart ? { slotStart } : {}) })
      .expect(201);
  const work = async (statusId: number) => {
    const next = await http()
      .post('/api/v1/work/next')
      .set(as(operator.token))
      .send({ campaignId: campaign.id })
      .expect(200);
    const contactId = (next.body as { contact: { id: number } }).contact.id;
    await http()
      .post(`/api/v1/work/${contactId}/outcome`)
      .set(as(operator.token))
      .send({ statusId })
      .expect(201);
  };
  const report = (query: object, token = coordinator.token) =>
    http().get('/api/v1/reports/callback-requests').query(query).set(as(token));

  beforeAll(async () => {
    app = await createTestApp();
    clock = app.get(Clock);
  });
  beforeEach(async () => {
    clock.set(MONDAY);
    await resetDatabase(app);
    admin = await tokenFor(app, await createUser(app, { role: 'admin' }));
    ivr = await tokenFor(app, await createUser(app, { role: 'integration' }));
    const coord = await createUser(app, { role: 'coordinator' });
    coordinator = { ...coord, token: await tokenFor(app, coord) };
    const op = await createUser(app, { role: 'operator' });
    operator = { id: op.id, token: await tokenFor(app, op) };
    noAnswer = await createStatus(app, {
      code: 'NR',
      type: 'N',
      retryAfterMinutes: 10,
      maxAttempts: 1,
      customerReached: false,
    });
    done = await createStatus(app, { code: 'OK', type: 'N' });
    campaign = await createCampaign(
      app,
      { callingHours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' } },
      { statusIds: [noAnswer.id, done.id], operatorIds: [operator.id] },
    );
    await http()
      .put(`/api/v1/campaigns/${campaign.id}/callback-offer`)
      .set(as(admin))
      .send({ defaultCapacity: 5 })
      .expect(200);
  });
  afterAll(async () => {
    clock.set(null);
    await app.close();
    removeSqliteData();
  });

  it('counts offered, accepted, served within the window, not reached and late by campaign and day', async () => {
    const slots = () =>
      http().get('/api/v1/callback-slots').query({ campaignId: campaign.id }).set(as(ivr));
    await slots().expect(200);
    await slots().expect(200);
    // A closed day shows no slot: nothing was offered.
    await slots().query({ date: '2026-12-05' }).expect(200);
    await ask('3331000001', '2026-11-30T11:30'); // served in its window
    await ask('3331000002', '2026-11-30T11:30'); // not reached
    await ask('3331000003', '2026-11-30T12:00'); // moved below, then late
    await ask('3331000003', '2026-11-30T12:30');
    clock.set(at(35));
    await work(done.id);
    await work(noAnswer.id);
    clock.set(at(120));
    await app.get(CallbackRequestsService).flagLate();

    const body = (await report({ from: '2026-11-30', to: '2026-11-30' }).expect(200)).body as {
      rows: Row[];
      totals: Omit<Row, 'day' | 'campaignId' | 'campaignCode'>;
    };
    expect(body.rows).toEqual([
      expect.objectContaining({
        day: '2026-11-30',
        campaignId: campaign.id,
        campaignCode: campaign.code,
        offered: 2,
        accepted: 4,
        served: 1,
        servedInWindow: 1,
        notReached: 1,
        late: 1,
      }),
    ]);
    expect(body.totals).toMatchObject({ offered: 2, accepted: 4, served: 1, late: 1 });
    // Another campaign's filter, another day: nothing.
    expect((await report({ from: '2026-12-01' }).expect(200)).body).toMatchObject({ rows: [] });

    const csv = await report({ from: '2026-11-30', to: '2026-11-30', format: 'csv' }).expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.text.replace(/^\uFEFF/, '').split(/\r?\n/)[0]).toBe(
      'day,campaignId,campaignCode,campaign,offered,accepted,served,servedInWindow,notReached,late',
    );
    expect(csv.text).toContain(`2026-11-30,${campaign.id},${campaign.code},`);

    // The reports page has the tab, with the same figures and the CSV link.
    const agent = await signedInAgent(app, coordinator);
    const page = await agent
      .get('/reports?view=callbacks&from=2026-11-30&to=2026-11-30')
      .expect(200);
    expect(page.text).toContain('data-tab="callbacks" aria-current="page"');
    expect(page.text).toMatch(new RegExp(`data-day="2026-11-30" data-campaign="${campaign.id}"`));
    expect(page.text).toContain('/api/v1/reports/callback-requests?');
  });

  it('refuses wrong filters naming the field; coordinators and admins only', async () => {
    const message = async (query: object) =>
      ((await report(query).expect(400)).body as { message: string }).message;
    expect(await message({ from: '2026-02-30' })).toMatch(/^from/);
    expect(await message({ from: '2026-12-02', to: '2026-12-01' })).toMatch(/^to/);
    expect(await message({ campaignId: 'x' })).toMatch(/^campaignId/);
    expect(await message({ operatorId: '3' })).toMatch(/^operatorId/);
    expect(await message({ format: 'xml' })).toMatch(/^format/);
    await report({}, operator.token).expect(403);
    await report({}, ivr).expect(403);
    const agent = await signedInAgent(app, coordinator);
    const refused = await agent.get('/reports?view=callbacks&from=nope').expect(400);
    expect(refused.text).toContain('id="from-error"');
  });

  it('shows coordinators the requests past their window first, numbers as click-to-call links', async () => {
    await ask('3331000001', '2026-11-30T11:30');
    await ask('3331000002', '2026-11-30T12:00');
    await ask('3331000003', '2026-11-30T16:00');
    clock.set(at(90));
    expect(await app.get(CallbackRequestsService).flagLate()).toBe(2);
    const agent = await signedInAgent(app, coordinator);
    const page = (await agent.get('/callback-requests').expect(200)).text;
    const late = page.slice(
      page.indexOf('id="late-table"'),
      page.indexOf('id="upcoming-requests"'),
    );
    expect(late.indexOf('+393331000001')).toBeGreaterThan(-1);
    expect(late.indexOf('+393331000001')).toBeLessThan(late.indexOf('+393331000002'));
    expect(late).not.toContain('+393331000003');
    expect(page.slice(page.indexOf('id="upcoming-requests"'))).toContain(
      '<a class="phone-link" href="tel:+393331000003"',
    );
    expect(page).toContain('href="/callback-requests"');
    // Operators do not see it.
    const op = await createUser(app, { role: 'operator' });
    await (await signedInAgent(app, op)).get('/callback-requests').expect(403);
  });
});
