import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Clock } from '../../src/common/time/clock';
import { PauseReason } from '../../src/monitor/pause-reason.entity';
import { createCampaign, createProduct, createStatus } from '../factories/catalogue.factory';
import { createContact } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

/** Monday 30 November 2026, 11:00 in Rome. */
const T0 = new Date('2026-11-30T10:00:00Z');

/** The operator's own figures for today, from the counters the wall keeps. */
describe('GET /work/stats', () => {
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

  it('counts today’s calls by type, sales with their total, and the time paused', async () => {
    const user = await createUser(app, { role: 'operator' });
    const other = await createUser(app, { role: 'operator' });
    const as = { Authorization: `Bearer ${await tokenFor(app, user)}` };
    const noAnswer = await createStatus(app, { code: 'NR', type: 'N' });
    const sale = await createStatus(app, { code: 'OK', type: 'C' });
    const fibra = await createProduct(app, { code: 'F', unitPrice: '19.90', vatRate: '22.00' });
    const campaign = await createCampaign(
      app,
      {},
      {
        statusIds: [noAnswer.id, sale.id],
        productIds: [fibra.id],
        operatorIds: [user.id, other.id],
      },
    );
    const empty = await http().get('/api/v1/work/stats').set(as).expect(200);
    expect(empty.body).toEqual({
      day: '2026-11-30',
      calls: 0,
      outcomes: { R: 0, N: 0, C: 0, T: 0 },
      sales: { count: 0, total: '0.00' },
      appointments: 0,
      pausedSeconds: 0,
    });

    const work = async (body: object) => {
      const contact = await createContact(app, campaign.id);
      await http().post('/api/v1/work/next').set(as).send({}).expect(200);
      await http().post(`/api/v1/work/${contact.id}/outcome`).set(as).send(body).expect(201);
    };
    await work({ statusId: noAnswer.id });
    await work({ statusId: noAnswer.id });
    await work({ statusId: sale.id, cart: [{ productId: fibra.id, quantity: 2 }] });
    await work({ statusId: sale.id, cart: [{ productId: fibra.id, quantity: 1 }] });
    // A pause of 90 seconds, ended, and one going on for 30.
    const reason = await app.get(DataSource).getRepository(PauseReason).save({
      code: 'PAUSA',
      label: 'Pausa',
      labelEn: null,
      maxMinutes: 15,
      position: 1,
      archivedAt: null,
    });
    const setState = (body: object) =>
      http().post('/api/v1/me/state').set(as).send(body).expect(200);
    await setState({ state: 'paused', pauseReasonId: reason.id });
    clock.set(new Date(T0.getTime() + 90_000));
    await setState({ state: 'ready' });
    await setState({ state: 'paused', pauseReasonId: reason.id });
    clock.set(new Date(T0.getTime() + 120_000));

    const figures = await http().get('/api/v1/work/stats').set(as).expect(200);
    expect(figures.body).toEqual({
      day: '2026-11-30',
      calls: 4,
      outcomes: { R: 0, N: 2, C: 2, T: 0 },
      // 3 × 19.90 + 22% VAT, line by line: 48.56 + 24.28
      sales: { count: 2, total: '72.84' },
      appointments: 0,
      pausedSeconds: 120,
    });
    // A colleague's day is theirs.
    const theirs = await http()
      .get('/api/v1/work/stats')
      .set({ Authorization: `Bearer ${await tokenFor(app, other)}` })
      .expect(200);
    expect(theirs.body.calls).toBe(0);
  });

  it('is the operator’s own: other roles get 403', async () => {
    const coordinator = await createUser(app, { role: 'coordinator' });
    await http()
      .get('/api/v1/work/stats')
      .set({ Authorization: `Bearer ${await tokenFor(app, coordinator)}` })
      .expect(403);
  });
});
