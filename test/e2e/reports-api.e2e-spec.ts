import { NestExpressApplication } from '@nestjs/platform-express';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { Clock } from '../../src/common/time/clock';
import { Interaction } from '../../src/interactions/interaction.entity';
import { PauseReasonsService } from '../../src/monitor/pause-reasons.service';
import { OutcomeStatus } from '../../src/outcome-statuses/outcome-status.entity';
import type {
  OperatorTimeReport,
  OutcomeReport,
  ProductionReport,
} from '../../src/reports/dto/report.view';
import { User } from '../../src/users/user.entity';
import type { Role } from '../../src/common/access/role';
import {
  createAgent,
  createCampaign,
  createProduct,
  createStatus,
} from '../factories/catalogue.factory';
import { createContact } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

interface Actor {
  id: number;
  token: string;
}

const MINUTE = 60_000;
/** Monday 30 November 2026, 09:00 in Rome (08:00 in London). */
const MONDAY_9_ROME = new Date('2026-11-30T08:00:00Z');

describe('Reports API (outcomes, operator time, production; JSON and CSV)', () => {
  let app: NestExpressApplication;
  let db: DataSource;
  let clock: Clock;
  let anna: Actor;
  let bruno: Actor;
  let coordinator: Actor;
  let admin: Actor;
  let energia: Campaign;
  let telco: Campaign;
  let agentId: number;
  let productId: number;
  let status: Record<'sale' | 'visit' | 'callback' | 'no', OutcomeStatus>;
  const http = () => request(app.getHttpServer());
  const as = (actor: Actor) => ({ Authorization: `Bearer ${actor.token}` });
  const get = (path: string, query: Record<string, string | number> = {}, actor = coordinator) =>
    http().get(`/api/v1/reports/${path}`).query(query).set(as(actor));
  const csvRows = (text: string): string[][] => parse(text, { bom: true });

  async function actor(role: Role, displayName: string, team?: string): Promise<Actor> {
    const user = await createUser(app, { role, displayName });
    // The team is the user's configuration, set as an admin's edit would.
    if (team) await db.getRepository(User).update(user.id, { team });
    return { id: user.id, token: await tokenFor(app, user) };
  }

  /** One real outcome at `at`: a new contact, leased through work/next, then confirmed. */
  async function outcome(
    op: Actor,
    campaign: Campaign,
    statusKey: keyof typeof status,
    at: Date,
  ): Promise<void> {
    clock.set(at);
    const contact = await createContact(app, campaign.id);
    const next = await http()
      .post('/api/v1/work/next')
      .set(as(op))
      .send({ campaignId: campaign.id })
      .expect(200);
    expect(next.body.contact.id).toBe(contact.id);
    const extra: Record<string, object> = {
      sale: { cart: [{ productId, quantity: 1 }] },
      visit: { appointment: { agentId, startsAt: '2026-12-01T10:00' } },
      callback: { callback: { at: new Date(at.getTime() + 120 * MINUTE).toISOString() } },
      no: {},
    };
    await http()
      .post(`/api/v1/work/${contact.id}/outcome`)
      .set(as(op))
      .send({ statusId: status[statusKey].id, ...extra[statusKey] })
      .expect(201);
  }

  beforeAll(async () => {
    app = await createTestApp();
    db = app.get(DataSource);
    clock = app.get(Clock);
  });
  beforeEach(async () => {
    clock.set(MONDAY_9_ROME);
    await resetDatabase(app);
    anna = await actor('operator', 'Anna Rossi', 'Nord');
    bruno = await actor('operator', 'Bruno Verdi', 'Sud');
    coordinator = await actor('coordinator', 'Carla Coordinatrice');
    admin = await actor('admin', 'Dario Admin');
    status = {
      sale: await createStatus(app, { code: 'OK', label: 'Vendita', type: 'C', color: '#16A34A' }),
      visit: await createStatus(app, {
        code: 'APP',
        label: 'Appuntamento',
        labelEn: 'Appointment',
        type: 'T',
        color: '#7C3AED',
      }),
      callback: await createStatus(app, {
        code: 'RC',
        label: 'Richiamare',
        type: 'R',
        color: '#F59E0B',
        callbackVisibility: 'private',
      }),
      no: await createStatus(app, {
        code: 'NI',
        label: 'Non interessato',
        labelEn: 'Not interested',
        type: 'N',
        color: '#DC2626',
      }),
    };
    productId = (await createProduct(app)).id;
    agentId = (await createAgent(app)).id;
    const links = {
      statusIds: Object.values(status).map((s) => s.id),
      productIds: [productId],
      agentIds: [agentId],
      operatorIds: [anna.id, bruno.id],
    };
    // Appointments may overlap: the agent's agenda is not what these tests are about.
    energia = await createCampaign(
      app,
      { code: 'ENERGIA', name: 'Energia casa', overlapPolicy: 'allow' },
      links,
    );
    telco = await createCampaign(
      app,
      { code: 'TELCO', name: 'Telco mobile', timezone: 'Europe/London', overlapPolicy: 'allow' },
      links,
    );
  });
  afterAll(async () => {
    clock.set(null);
    await app.close();
    removeSqliteData();
  });

  describe('outcomes and production, from real outcomes', () => {
    const at = (iso: string) => new Date(iso);
    /**
     * Sunday (Rome 16:00): Anna NI. Monday: Anna OK, NI at 09:10 and APP at 09:40 (Rome);
     * at 10:05 Anna NI, Bruno OK and RC; then Bruno NI on TELCO at 09:20 London (10:20 Rome).
     */
    beforeEach(async () => {
      await outcome(anna, energia, 'no', at('2026-11-29T15:00:00Z'));
      await outcome(anna, energia, 'sale', at('2026-11-30T08:10:00Z'));
      await outcome(anna, energia, 'no', at('2026-11-30T08:12:00Z'));
      await outcome(anna, energia, 'visit', at('2026-11-30T08:40:00Z'));
      await outcome(anna, energia, 'no', at('2026-11-30T09:05:00Z'));
      await outcome(bruno, energia, 'sale', at('2026-11-30T09:05:00Z'));
      await outcome(bruno, energia, 'callback', at('2026-11-30T09:06:00Z'));
      await outcome(bruno, telco, 'no', at('2026-11-30T09:20:00Z'));
      clock.set(at('2026-11-30T11:00:00Z'));
    });

    it('counts today by operator (the default), per status and type, with the legend', async () => {
      const res = await get('outcomes').expect(200);
      const report = res.body as OutcomeReport;
      expect(report).toMatchObject({ from: '2026-11-30', to: '2026-11-30', groupBy: 'operator' });
      // By type R, N, C, T, then code.
      expect(report.statuses).toEqual([
        { id: status.callback.id, code: 'RC', label: 'Richiamare', type: 'R', color: '#F59E0B' },
        { id: status.no.id, code: 'NI', label: 'Non interessato', type: 'N', color: '#DC2626' },
        { id: status.sale.id, code: 'OK', label: 'Vendita', type: 'C', color: '#16A34A' },
        { id: status.visit.id, code: 'APP', label: 'Appuntamento', type: 'T', color: '#7C3AED' },
      ]);
      expect(report.rows).toEqual([
        {
          key: anna.id,
          label: 'Anna Rossi',
          total: 4,
          byType: { R: 0, N: 2, C: 1, T: 1 },
          byStatus: [
            { statusId: status.no.id, code: 'NI', count: 2 },
            { statusId: status.sale.id, code: 'OK', count: 1 },
            { statusId: status.visit.id, code: 'APP', count: 1 },
          ],
        },
        {
          key: bruno.id,
          label: 'Bruno Verdi',
          total: 3,
          byType: { R: 1, N: 1, C: 1, T: 0 },
          byStatus: [
            { statusId: status.callback.id, code: 'RC', count: 1 },
            { statusId: status.no.id, code: 'NI', count: 1 },
            { statusId: status.sale.id, code: 'OK', count: 1 },
          ],
        },
      ]);
      expect(report.totals).toEqual({
        total: 7,
        byType: { R: 1, N: 3, C: 2, T: 1 },
        byStatus: [
          { statusId: status.callback.id, code: 'RC', count: 1 },
          { statusId: status.no.id, code: 'NI', count: 3 },
          { statusId: status.sale.id, code: 'OK', count: 2 },
          { statusId: status.visit.id, code: 'APP', count: 1 },
        ],
      });
      // The aggregates agree with what was really confirmed.
      expect(await db.getRepository(Interaction).count()).toBe(8);
    });

    it('groups by campaign, status, day and the campaign-local hour', async () => {
      const campaigns = (await get('outcomes', { groupBy: 'campaign' }).expect(200))
        .body as OutcomeReport;
      expect(campaigns.rows.map((r) => [r.key, r.label, r.code, r.total])).toEqual([
        [energia.id, 'Energia casa', 'ENERGIA', 6],
        [telco.id, 'Telco mobile', 'TELCO', 1],
      ]);

      const statuses = (await get('outcomes', { groupBy: 'status' }).expect(200))
        .body as OutcomeReport;
      expect(statuses.rows.map((r) => [r.code, r.label, r.total, r.byType])).toEqual([
        ['RC', 'Richiamare', 1, { R: 1, N: 0, C: 0, T: 0 }],
        ['NI', 'Non interessato', 3, { R: 0, N: 3, C: 0, T: 0 }],
        ['OK', 'Vendita', 2, { R: 0, N: 0, C: 2, T: 0 }],
        ['APP', 'Appuntamento', 1, { R: 0, N: 0, C: 0, T: 1 }],
      ]);

      // Every day of the range, an empty one included.
      const days = (
        await get('outcomes', { groupBy: 'day', from: '2026-11-28', to: '2026-11-30' }).expect(200)
      ).body as OutcomeReport;
      expect(days.rows.map((r) => [r.key, r.total])).toEqual([
        ['2026-11-28', 0],
        ['2026-11-29', 1],
        ['2026-11-30', 7],
      ]);

      // 09:20 London is hour 9 of TELCO although it was 10:20 in Rome.
      const hours = (await get('outcomes', { groupBy: 'hour' }).expect(200)).body as OutcomeReport;
      expect(hours.rows).toEqual([
        {
          key: 9,
          label: '09:00',
          total: 4,
          byType: { R: 0, N: 2, C: 1, T: 1 },
          byStatus: [
            { statusId: status.no.id, code: 'NI', count: 2 },
            { statusId: status.sale.id, code: 'OK', count: 1 },
            { statusId: status.visit.id, code: 'APP', count: 1 },
          ],
        },
        {
          key: 10,
          label: '10:00',
          total: 3,
          byType: { R: 1, N: 1, C: 1, T: 0 },
          byStatus: [
            { statusId: status.callback.id, code: 'RC', count: 1 },
            { statusId: status.no.id, code: 'NI', count: 1 },
            { statusId: status.sale.id, code: 'OK', count: 1 },
          ],
        },
      ]);
    });

    it('filters by campaign, operator and team; labels follow the reader’s language', async () => {
      const byCampaign = (await get('outcomes', { campaignId: telco.id }).expect(200))
        .body as OutcomeReport;
      expect(byCampaign.filters).toEqual({ campaignId: telco.id });
      expect(byCampaign.rows.map((r) => [r.label, r.total])).toEqual([['Bruno Verdi', 1]]);

      const byOperator = (
        await get('outcomes', {
          operatorId: anna.id,
          groupBy: 'status',
          from: '2026-11-29',
        }).expect(200)
      ).body as OutcomeReport;
      expect(byOperator.rows.map((r) => [r.code, r.total])).toEqual([
        ['NI', 3],
        ['OK', 1],
        ['APP', 1],
      ]);

      const south = (await get('outcomes', { team: 'Sud', groupBy: 'campaign' }).expect(200))
        .body as OutcomeReport;
      expect(south.rows.map((r) => [r.code, r.total])).toEqual([
        ['ENERGIA', 2],
        ['TELCO', 1],
      ]);
      const nobody = (await get('outcomes', { team: 'Centro' }).expect(200)).body as OutcomeReport;
      expect(nobody.rows).toEqual([]);
      expect(nobody.totals).toEqual({ total: 0, byType: { R: 0, N: 0, C: 0, T: 0 }, byStatus: [] });

      const eve = await createUser(app, { role: 'coordinator', uiLanguage: 'en' });
      const english = { id: eve.id, token: await tokenFor(app, eve) };
      const translated = (await get('outcomes', { groupBy: 'status' }, english).expect(200))
        .body as OutcomeReport;
      expect(translated.statuses.map((s) => s.label)).toEqual([
        'Richiamare',
        'Not interested',
        'Vendita',
        'Appointment',
      ]);
    });

    it('exports the outcomes as CSV: a column per status code, then per type', async () => {
      const res = await get('outcomes', { format: 'csv', from: '2026-11-29' }).expect(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe(
        'attachment; filename="outcomes-by-operator_2026-11-29_2026-11-30.csv"',
      );
      expect(res.text.startsWith('\uFEFF')).toBe(true);
      expect(csvRows(res.text)).toEqual([
        ['key', 'label', 'RC', 'NI', 'OK', 'APP', 'typeR', 'typeN', 'typeC', 'typeT', 'total'],
        [String(anna.id), 'Anna Rossi', '0', '3', '1', '1', '0', '3', '1', '1', '5'],
        [String(bruno.id), 'Bruno Verdi', '1', '1', '1', '0', '1', '1', '1', '0', '3'],
      ]);
      const hours = await get('outcomes', { format: 'csv', groupBy: 'hour' }).expect(200);
      expect(csvRows(hours.text).slice(1)).toEqual([
        ['9', '09:00', '0', '2', '1', '1', '0', '2', '1', '1', '4'],
        ['10', '10:00', '1', '1', '1', '0', '1', '1', '1', '0', '3'],
      ]);
    });

    it('sums contracts (C) and appointments (T) per operator, with the conversion', async () => {
      const res = await get('production').expect(200);
      const report = res.body as ProductionReport;
      expect(report.rows).toEqual([
        {
          operatorId: anna.id,
          name: 'Anna Rossi',
          team: 'Nord',
          outcomes: 4,
          contracts: 1,
          appointments: 1,
          callbacks: 0,
          negatives: 2,
          conversionRate: 0.5,
        },
        {
          operatorId: bruno.id,
          name: 'Bruno Verdi',
          team: 'Sud',
          outcomes: 3,
          contracts: 1,
          appointments: 0,
          callbacks: 1,
          negatives: 1,
          conversionRate: 0.3333,
        },
      ]);
      expect(report.totals).toEqual({
        outcomes: 7,
        contracts: 2,
        appointments: 1,
        callbacks: 1,
        negatives: 3,
        conversionRate: 0.4286,
      });
      const telcoOnly = (await get('production', { campaignId: telco.id }).expect(200))
        .body as ProductionReport;
      expect(telcoOnly.rows.map((r) => [r.name, r.outcomes, r.conversionRate])).toEqual([
        ['Bruno Verdi', 1, 0],
      ]);
      const north = (await get('production', { team: 'Nord', from: '2026-11-29' }).expect(200))
        .body as ProductionReport;
      expect(north.rows.map((r) => [r.name, r.outcomes, r.negatives])).toEqual([
        ['Anna Rossi', 5, 3],
      ]);

      const csv = await get('production', { format: 'csv' }).expect(200);
      expect(csv.headers['content-disposition']).toBe(
        'attachment; filename="production_2026-11-30_2026-11-30.csv"',
      );
      expect(csvRows(csv.text)).toEqual([
        [
          'operatorId',
          'operator',
          'team',
          'contracts',
          'appointments',
          'callbacks',
          'negatives',
          'outcomes',
          'conversionRate',
        ],
        [String(anna.id), 'Anna Rossi', 'Nord', '1', '1', '0', '2', '4', '0.5000'],
        [String(bruno.id), 'Bruno Verdi', 'Sud', '1', '0', '1', '1', '3', '0.3333'],
      ]);
    });

    it('an admin may read them too', async () => {
      const res = await get('production', {}, admin).expect(200);
      expect((res.body as ProductionReport).totals.outcomes).toBe(7);
    });
  });

  describe('operator time, from states driven on the operators’ own API', () => {
    let pausa: number;
    let training: number;
    const setState = (op: Actor, state: 'ready' | 'paused', pauseReasonId?: number) =>
      http().post('/api/v1/me/state').set(as(op)).send({ state, pauseReasonId }).expect(200);
    /** `minutes` of an open page: the clock moves a minute at a time, the page says it is there. */
    async function stay(op: Actor, minutes: number): Promise<void> {
      for (let i = 0; i < minutes; i++) {
        clock.advance(MINUTE);
        await http().post('/api/v1/me/presence').set(as(op)).expect(200);
      }
    }

    beforeEach(async () => {
      const reasons = app.get(PauseReasonsService);
      pausa = (await reasons.create({ code: 'pausa', label: 'Pausa', labelEn: 'Break' })).id;
      training = (await reasons.create({ code: 'formazione', label: 'Formazione' })).id;
    });

    it('adds up ready, paused per reason and on contact; waiting is ready minus contacts', async () => {
      // Bruno: 5 minutes of training from 09:00, then ready, then his page goes quiet.
      await http().post('/api/v1/me/presence').set(as(bruno)).expect(200);
      await setState(bruno, 'paused', training);
      await stay(bruno, 5);
      await setState(bruno, 'ready');

      // Anna, from 09:00: 20 minutes ready, a 10-minute break, a 4-minute contact, 6 more ready.
      clock.set(MONDAY_9_ROME);
      await http().post('/api/v1/me/presence').set(as(anna)).expect(200);
      await stay(anna, 20);
      await setState(anna, 'paused', pausa);
      await stay(anna, 10);
      await setState(anna, 'ready');
      const contact = await createContact(app, energia.id);
      await http()
        .post('/api/v1/work/next')
        .set(as(anna))
        .send({ campaignId: energia.id })
        .expect(200);
      await stay(anna, 4);
      await http()
        .post(`/api/v1/work/${contact.id}/outcome`)
        .set(as(anna))
        .send({ statusId: status.no.id })
        .expect(201);
      await stay(anna, 6);

      // 09:40. Anna's ready since 09:30 is still going on: counted up to now. Bruno's page
      // was last seen at 09:05: his ready time stops 150 s later.
      const res = await get('operator-time').expect(200);
      const report = res.body as OperatorTimeReport;
      expect(report).toMatchObject({
        from: '2026-11-30',
        to: '2026-11-30',
        timezone: 'Europe/Rome',
        pauseReasons: [
          { id: pausa, code: 'pausa', label: 'Pausa' },
          { id: training, code: 'formazione', label: 'Formazione' },
        ],
      });
      expect(report.rows).toEqual([
        {
          operatorId: anna.id,
          name: 'Anna Rossi',
          team: 'Nord',
          loggedInSeconds: 40 * 60,
          readySeconds: 30 * 60,
          waitingSeconds: 26 * 60,
          onContactSeconds: 4 * 60,
          pausedSeconds: 10 * 60,
          pauses: [{ pauseReasonId: pausa, code: 'pausa', label: 'Pausa', seconds: 600 }],
        },
        {
          operatorId: bruno.id,
          name: 'Bruno Verdi',
          team: 'Sud',
          loggedInSeconds: 450,
          readySeconds: 150,
          waitingSeconds: 150,
          onContactSeconds: 0,
          pausedSeconds: 300,
          pauses: [
            { pauseReasonId: training, code: 'formazione', label: 'Formazione', seconds: 300 },
          ],
        },
      ]);
      expect(report.totals).toMatchObject({
        loggedInSeconds: 2400 + 450,
        waitingSeconds: 1560 + 150,
        onContactSeconds: 240,
        pausedSeconds: 900,
      });

      // A contact being worked counts up to now too: Anna takes one at 09:40, 2 minutes pass.
      await createContact(app, energia.id);
      await http()
        .post('/api/v1/work/next')
        .set(as(anna))
        .send({ campaignId: energia.id })
        .expect(200);
      await stay(anna, 2);
      const working = (await get('operator-time', { team: 'Nord' }).expect(200))
        .body as OperatorTimeReport;
      expect(working.rows).toHaveLength(1);
      expect(working.rows[0]).toMatchObject({
        operatorId: anna.id,
        loggedInSeconds: 42 * 60,
        readySeconds: 32 * 60,
        onContactSeconds: 6 * 60,
        waitingSeconds: 26 * 60,
      });

      // Another day holds none of it.
      const tomorrow = (await get('operator-time', { from: '2026-12-01' }).expect(200))
        .body as OperatorTimeReport;
      expect(tomorrow.rows).toEqual([]);
      const yesterday = (await get('operator-time', { to: '2026-11-29' }).expect(200))
        .body as OperatorTimeReport;
      expect(yesterday.rows).toEqual([]);

      const csv = await get('operator-time', { format: 'csv' }).expect(200);
      expect(csv.headers['content-disposition']).toBe(
        'attachment; filename="operator-time_2026-11-30_2026-11-30.csv"',
      );
      expect(csvRows(csv.text)).toEqual([
        [
          'operatorId',
          'operator',
          'team',
          'loggedInSeconds',
          'waitingSeconds',
          'onContactSeconds',
          'pausedSeconds',
          'paused:pausa',
          'paused:formazione',
        ],
        [String(anna.id), 'Anna Rossi', 'Nord', '2520', '1560', '360', '600', '600', '0'],
        [String(bruno.id), 'Bruno Verdi', 'Sud', '450', '150', '0', '300', '0', '300'],
      ]);
    });

    it('keeps each day apart in the call centre’s zone', async () => {
      // Ready from 23:50 to 00:10 in Rome: 10 minutes on each day.
      clock.set(new Date('2026-11-30T22:50:00Z'));
      await http().post('/api/v1/me/presence').set(as(anna)).expect(200);
      await stay(anna, 20);
      await setState(anna, 'paused', pausa);
      const monday = (
        await get('operator-time', { from: '2026-11-30', to: '2026-11-30' }).expect(200)
      ).body as OperatorTimeReport;
      expect(monday.rows.map((r) => [r.name, r.readySeconds])).toEqual([['Anna Rossi', 600]]);
      const both = (
        await get('operator-time', { from: '2026-11-30', to: '2026-12-01' }).expect(200)
      ).body as OperatorTimeReport;
      expect(both.rows.map((r) => [r.name, r.readySeconds])).toEqual([['Anna Rossi', 1200]]);
    });
  });

  describe('refusals', () => {
    const REPORTS = ['outcomes', 'operator-time', 'production'];
    const message = (body: { message: string | string[] }) =>
      Array.isArray(body.message) ? body.message.join('; ') : body.message;

    it('names the field of every bad filter with a 400, on every report', async () => {
      const cases: Array<[Record<string, string>, RegExp]> = [
        [{ from: '2026-02-30' }, /^from must be a date such as 2026-11-30$/],
        [{ from: '30/11/2026' }, /^from must be a date/],
        [{ to: '2026-13-01' }, /^to must be a date/],
        [{ to: '' }, /^to must be a date/],
        [{ from: '2026-12-01', to: '2026-11-30' }, /^to must not be before from$/],
        [{ from: '2025-01-01', to: '2026-01-02' }, /^to: a report covers at most 366 days/],
        [{ operatorId: 'anna' }, /^operatorId must be a positive integer$/],
        [{ operatorId: '0' }, /^operatorId must be a positive integer$/],
        [{ team: 'x'.repeat(61) }, /^team must be at most 60 characters$/],
        [{ format: 'xlsx' }, /^format must be one of: json, csv$/],
      ];
      for (const path of REPORTS) {
        for (const [query, expected] of cases) {
          const res = await get(path, query);
          expect({ path, query, status: res.status }).toEqual({ path, query, status: 400 });
          expect(message(res.body)).toMatch(expected);
        }
        const twice = await http()
          .get(`/api/v1/reports/${path}?from=2026-11-01&from=2026-11-02`)
          .set(as(coordinator))
          .expect(400);
        expect(message(twice.body)).toBe('from must be given once');
        // 366 days, both ends included, is the most a report covers.
        await get(path, { from: '2025-01-01', to: '2026-01-01' }).expect(200);
      }
      for (const path of ['outcomes', 'production']) {
        const res = await get(path, { campaignId: '1e3' }).expect(400);
        expect(message(res.body)).toBe('campaignId must be a positive integer');
      }
      const group = await get('outcomes', { groupBy: 'week' }).expect(400);
      expect(message(group.body)).toBe(
        'groupBy must be one of: operator, campaign, status, day, hour',
      );
      const perCampaign = await get('operator-time', { campaignId: String(energia.id) }).expect(
        400,
      );
      expect(message(perCampaign.body)).toMatch(
        /^campaignId: operator time is not kept per campaign/,
      );
    });

    it('is for coordinators and admins: 403 for an operator or backoffice, 401 anonymous', async () => {
      const backoffice = await actor('backoffice', 'Franco Backoffice');
      for (const path of REPORTS) {
        await get(path, {}, anna).expect(403);
        await get(path, { format: 'csv' }, backoffice).expect(403);
        await http().get(`/api/v1/reports/${path}`).expect(401);
        await get(path, {}, admin).expect(200);
      }
    });
  });
});
