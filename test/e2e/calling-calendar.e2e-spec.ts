import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Callback } from '../../src/callbacks/callback.entity';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { CampaignAgent } from '../../src/campaigns/campaign-agent.entity';
import { Clock } from '../../src/common/time/clock';
import { Contact } from '../../src/contacts/contact.entity';
import type { OutcomeStatus } from '../../src/outcome-statuses/outcome-status.entity';
import { createAgent, createCampaign, createStatus } from '../factories/catalogue.factory';
import { createCallback } from '../factories/callback.factory';
import { createContact } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

/** Mon-Fri 09:00-13:00 and 14:00-18:00, Saturday 09:00-12:00. */
const OFFICE = [
  ...[1, 2, 3, 4, 5].flatMap((day) => [
    { day, start: '09:00', end: '13:00' },
    { day, start: '14:00', end: '18:00' },
  ]),
  { day: 6, start: '09:00', end: '12:00' },
];
const OFFICE_SAID = 'Mon-Fri 09:00-13:00, 14:00-18:00; Sat 09:00-12:00 (Europe/Rome)';

describe('Calling hours per weekday, holidays and closed dates', () => {
  let app: NestExpressApplication;
  let db: DataSource;
  let clock: Clock;
  let admin: string;
  let operator: { id: number; token: string };
  let noAnswer: OutcomeStatus;
  const http = () => request(app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const message = (body: { message: unknown }) =>
    Array.isArray(body.message) ? String(body.message[0]) : String(body.message);

  const campaignBody = (overrides: object = {}) => ({
    code: 'ORARI',
    name: 'Orari',
    steps: [{ kind: 'outcome', title: 'Esito' }],
    statusIds: [noAnswer.id],
    ...overrides,
  });
  const post = (body: object, token = admin) =>
    http().post('/api/v1/campaigns').set(as(token)).send(body);

  beforeAll(async () => {
    app = await createTestApp();
    db = app.get(DataSource);
    clock = app.get(Clock);
  });
  beforeEach(async () => {
    clock.set(null);
    await resetDatabase(app);
    admin = await tokenFor(app, await createUser(app, { role: 'admin' }));
    const op = await createUser(app, { role: 'operator' });
    operator = { id: op.id, token: await tokenFor(app, op) };
    noAnswer = await createStatus(app, {
      code: 'NR',
      label: 'Non risponde',
      type: 'N',
      retryAfterMinutes: 60,
      maxAttempts: 5,
      customerReached: false,
    });
  });
  afterAll(async () => {
    clock.set(null);
    await app.close();
    removeSqliteData();
  });

  describe('the API', () => {
    it('takes the old {days, start, end} as the same window every listed day and answers windows; the Italian holidays on by default', async () => {
      const res = await post(
        campaignBody({ callingHours: { days: [6, 1], start: '09:00', end: '20:00' } }),
      ).expect(201);
      expect(res.body).toMatchObject({
        callingHours: [
          { day: 1, start: '09:00', end: '20:00' },
          { day: 6, start: '09:00', end: '20:00' },
        ],
        holidays: 'IT',
        closedDates: [],
      });
      const fallback = await post(campaignBody({ code: 'DEFAULT' })).expect(201);
      expect(fallback.body.callingHours).toEqual(
        [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '20:00' })),
      );
    });

    it('keeps two windows a day, a short Saturday, no calendar and its own closed dates, through PUT', async () => {
      const created = await post(
        campaignBody({
          callingHours: [...OFFICE].reverse(),
          holidays: null,
          closedDates: ['2026-12-24', '2026-12-07', '2026-12-24'],
        }),
      ).expect(201);
      expect(created.body).toMatchObject({
        callingHours: OFFICE,
        holidays: null,
        closedDates: ['2026-12-07', '2026-12-24'],
      });
      const id = created.body.id as number;
      const replaced = await http()
        .put(`/api/v1/campaigns/${id}`)
        .set(as(admin))
        .send(campaignBody({ callingHours: OFFICE, holidays: 'IT', closedDates: ['2026-12-31'] }))
        .expect(200);
      expect(replaced.body).toMatchObject({ holidays: 'IT', closedDates: ['2026-12-31'] });
      const read = await http().get(`/api/v1/campaigns/${id}`).set(as(admin)).expect(200);
      expect(read.body.callingHours).toEqual(OFFICE);
      // Left out of a PUT: the defaults (a PUT replaces the whole campaign)
      const again = await http()
        .put(`/api/v1/campaigns/${id}`)
        .set(as(admin))
        .send(campaignBody({ callingHours: OFFICE }))
        .expect(200);
      expect(again.body).toMatchObject({ holidays: 'IT', closedDates: [] });
    });

    it.each([
      [
        'an end before its start',
        [{ day: 6, start: '12:00', end: '09:00' }],
        /^callingHours\.0\.end must be after callingHours\.0\.start$/,
      ],
      [
        'three windows on a day',
        [
          { day: 1, start: '08:00', end: '09:00' },
          { day: 1, start: '10:00', end: '11:00' },
          { day: 1, start: '12:00', end: '13:00' },
        ],
        /^callingHours\.2: at most 2 windows on Monday$/,
      ],
      [
        'overlapping windows',
        [
          { day: 2, start: '09:00', end: '13:00' },
          { day: 2, start: '12:00', end: '18:00' },
        ],
        /^callingHours\.1\.start: 12:00-18:00 overlaps 09:00-13:00 on Tuesday$/,
      ],
      [
        'a day 8',
        [{ day: 8, start: '09:00', end: '12:00' }],
        /^callingHours\.0\.day must be a day 1-7/,
      ],
      [
        'a bad time',
        [
          { day: 1, start: '09:00', end: '12:00' },
          { day: 6, start: '9', end: '12:00' },
        ],
        /^callingHours\.1\.start must be a time HH:MM/,
      ],
      [
        'an end past midnight',
        [{ day: 6, start: '09:00', end: '24:30' }],
        /^callingHours\.0\.end must be a time HH:MM between 00:00 and 24:00$/,
      ],
      [
        'an unknown field',
        [{ day: 6, start: '09:00', end: '12:00', lunch: true }],
        /^callingHours\.0\.lunch is not a field$/,
      ],
      ['a window that is not an object', ['09:00-12:00'], /^callingHours\.0 must be a window/],
      ['a text', '9-18', /^callingHours must be a list of windows/],
      ['no window at all', [], /^callingHours must name at least one window$/],
    ])('refuses %s with a 400 naming the window', async (_what, callingHours, expected) => {
      const res = await post(campaignBody({ callingHours })).expect(400);
      expect(message(res.body)).toMatch(expected);
      expect(await db.getRepository(Campaign).count()).toBe(0);
    });

    it('refuses bad closed dates and an unknown calendar, naming the field', async () => {
      const bad = async (body: object, expected: RegExp) =>
        expect(message((await post(campaignBody(body)).expect(400)).body)).toMatch(expected);
      await bad({ closedDates: ['2026-12-07', '2026-02-30'] }, /^closedDates\.1 must be a date/);
      await bad({ closedDates: ['7/12/2026'] }, /^closedDates\.0 must be a date YYYY-MM-DD$/);
      await bad({ closedDates: '2026-12-07' }, /^closedDates must be a list of dates/);
      const many = Array.from({ length: 101 }, (_, i) =>
        new Date(Date.UTC(2027, 0, 1 + i)).toISOString().slice(0, 10),
      );
      await bad({ closedDates: many }, /^closedDates must be at most 100 dates$/);
      await bad({ holidays: 'FR' }, /^holidays must be one of: IT/);
      expect(await db.getRepository(Campaign).count()).toBe(0);
    });

    it('lets only an admin set the calendar', async () => {
      const coordinator = await tokenFor(app, await createUser(app, { role: 'coordinator' }));
      await post(campaignBody({ closedDates: ['2026-12-07'] }), coordinator).expect(403);
      await post(campaignBody({ closedDates: ['2026-12-07'] }), operator.token).expect(403);
      const id = (await post(campaignBody()).expect(201)).body.id as number;
      for (const token of [coordinator, operator.token]) {
        await http()
          .put(`/api/v1/campaigns/${id}`)
          .set(as(token))
          .send(campaignBody({ closedDates: ['2026-12-07'] }))
          .expect(403);
      }
      const read = await http().get(`/api/v1/campaigns/${id}`).set(as(admin)).expect(200);
      expect(read.body.closedDates).toEqual([]);
    });
  });

  describe('dispatch, retries and callbacks', () => {
    let campaign: Campaign;
    beforeEach(async () => {
      campaign = await createCampaign(
        app,
        { callingHours: OFFICE, holidays: 'IT', closedDates: [] },
        { statusIds: [noAnswer.id], operatorIds: [operator.id] },
      );
    });
    const next = () =>
      http().post('/api/v1/work/next').set(as(operator.token)).send({ campaignId: campaign.id });

    it('refuses to dispatch on 8 December, naming the window and the next open moment', async () => {
      await createContact(app, campaign.id);
      clock.set(new Date('2026-12-08T10:00:00+01:00')); // Tuesday, Immacolata
      const closed = await next().expect(400);
      expect(message(closed.body)).toBe(
        `campaignId: campaign ${campaign.code} is outside its calling hours: ${OFFICE_SAID}; next open: Wed 09/12/2026, 09:00`,
      );
      // the lunch break too
      clock.set(new Date('2026-12-09T13:30:00+01:00'));
      expect(message((await next().expect(400)).body)).toMatch(
        /; next open: Wed 09\/12\/2026, 14:00$/,
      );
      clock.set(new Date('2026-12-09T14:00:00+01:00'));
      await next().expect(200);
    });

    it('moves a retry due on a holiday to the next open moment', async () => {
      const c = await createContact(app, campaign.id);
      // Monday 7 December 17:30: +60 minutes is 18:30, closed; Tuesday 8 is a holiday
      clock.set(new Date('2026-12-07T17:30:00+01:00'));
      const leased = await next().expect(200);
      const res = await http()
        .post(`/api/v1/work/${leased.body.contact.id}/outcome`)
        .set(as(operator.token))
        .send({ statusId: noAnswer.id })
        .expect(201);
      expect(res.body).toMatchObject({
        contactState: 'retry',
        nextCallAt: '2026-12-09T08:00:00.000Z',
      });
      expect((await db.getRepository(Contact).findOneByOrFail({ id: c.id })).nextCallAt).toEqual(
        new Date('2026-12-09T08:00:00.000Z'),
      );
    });

    it('offers no public callback slot on a holiday or a closed date', async () => {
      const ivr = await tokenFor(app, await createUser(app, { role: 'integration' }));
      await db.getRepository(Campaign).update(campaign.id, { closedDates: ['2026-12-10'] });
      await http()
        .put(`/api/v1/campaigns/${campaign.id}/callback-offer`)
        .set(as(admin))
        .send({ slotMinutes: 30, leadMinutes: 15, defaultCapacity: 2 })
        .expect(200);
      clock.set(new Date('2026-12-07T08:00:00+01:00'));
      const slots = async (date: string) =>
        (
          await http()
            .get('/api/v1/callback-slots')
            .query({ campaignId: campaign.id, date })
            .set(as(ivr))
            .expect(200)
        ).body as { slots: { window: string }[] };
      expect((await slots('2026-12-08')).slots).toEqual([]);
      expect((await slots('2026-12-10')).slots).toEqual([]);
      const wednesday = (await slots('2026-12-09')).slots.map((s) => s.window);
      expect(wednesday).toContain('09:00-09:30');
      expect(wednesday).toContain('14:00-14:30');
      // the lunch break is no slot
      expect(wednesday).not.toContain('13:00-13:30');
      const refused = await http()
        .post('/api/v1/callback-requests')
        .set(as(ivr))
        .send({ campaignId: campaign.id, phone: '3331234567', slotStart: '2026-12-08T10:00' })
        .expect(400);
      expect(message(refused.body)).toMatch(
        /^slotStart: 2026-12-08 10:00 is outside the opening hours .*; next open: Wed 09\/12\/2026, 09:00$/,
      );
    });

    it("closes the agents' agenda on the campaign's holidays and closed dates", async () => {
      const agent = await createAgent(app);
      await db.getRepository(CampaignAgent).insert({ campaignId: campaign.id, agentId: agent.id });
      await db.getRepository(Campaign).update(campaign.id, { closedDates: ['2026-12-10'] });
      clock.set(new Date('2026-12-07T08:00:00+01:00'));
      const res = await http()
        .get(`/api/v1/agents/${agent.id}/availability`)
        .query({ from: '2026-12-07', to: '2026-12-11', campaignId: campaign.id })
        .set(as(admin))
        .expect(200);
      const days = [...new Set((res.body as { start: string }[]).map((s) => s.start.slice(0, 10)))];
      // Tuesday 8 (Immacolata) and Thursday 10 (the campaign's own) have no slot
      expect(days).toEqual(['2026-12-07', '2026-12-09', '2026-12-11']);
    });

    it('refuses a callback agreed on a holiday, naming the next open moment', async () => {
      const callbackStatus = await createStatus(app, {
        code: 'RC',
        label: 'Richiamare',
        type: 'R',
        callbackVisibility: 'private',
      });
      await http()
        .put(`/api/v1/campaigns/${campaign.id}`)
        .set(as(admin))
        .send({
          code: campaign.code,
          name: campaign.name,
          callingHours: OFFICE,
          steps: [{ kind: 'outcome', title: 'Esito' }],
          statusIds: [noAnswer.id, callbackStatus.id],
          operatorIds: [operator.id],
        })
        .expect(200);
      await createContact(app, campaign.id);
      clock.set(new Date('2026-12-07T10:00:00+01:00'));
      const leased = await next().expect(200);
      const res = await http()
        .post(`/api/v1/work/${leased.body.contact.id}/outcome`)
        .set(as(operator.token))
        .send({ statusId: callbackStatus.id, callback: { at: '2026-12-08T11:00' } })
        .expect(400);
      expect(message(res.body)).toBe(
        `callback.at: 2026-12-08 11:00 is outside the calling hours ${OFFICE_SAID}; next open: Wed 09/12/2026, 09:00`,
      );
    });

    it('moves the callbacks waiting on a date newly closed to the next open moment, and tells their owner in the notes', async () => {
      clock.set(new Date('2026-12-01T10:00:00+01:00'));
      const onClosed = await createCallback(app, campaign.id, {
        ownerId: operator.id,
        visibility: 'private',
        dueAt: new Date('2026-12-11T10:30:00+01:00'),
        notes: 'vuole il preventivo',
      });
      const untouched = await createCallback(app, campaign.id, {
        dueAt: new Date('2026-12-14T10:30:00+01:00'),
      });
      const done = await createCallback(app, campaign.id, {
        state: 'done',
        dueAt: new Date('2026-12-11T11:00:00+01:00'),
      });
      // already due (a Sunday, now past): offered at the next open moment as it is
      const due = await createCallback(app, campaign.id, {
        state: 'due',
        dueAt: new Date('2026-11-29T10:00:00+01:00'),
      });
      await http()
        .put(`/api/v1/campaigns/${campaign.id}`)
        .set(as(admin))
        .send({
          code: campaign.code,
          name: campaign.name,
          callingHours: OFFICE,
          // Friday 11 December: the patron saint
          closedDates: ['2026-12-11'],
          steps: [{ kind: 'outcome', title: 'Esito' }],
          statusIds: [noAnswer.id],
          operatorIds: [operator.id],
        })
        .expect(200);
      const callbacks = db.getRepository(Callback);
      const moved = await callbacks.findOneByOrFail({ id: onClosed.id });
      // Saturday 12 December opens at 09:00
      expect(moved).toMatchObject({
        dueAt: new Date('2026-12-12T09:00:00+01:00'),
        ownerId: operator.id,
        visibility: 'private',
        state: 'scheduled',
      });
      expect(moved.notes).toBe(
        "vuole il preventivo\nSpostata da ven 11/12/2026, 10:30: la campagna è chiusa a quell'ora (moved from Fri 11/12/2026, 10:30: the campaign is closed then).",
      );
      expect((await callbacks.findOneByOrFail({ id: untouched.id })).dueAt).toEqual(
        new Date('2026-12-14T10:30:00+01:00'),
      );
      expect((await callbacks.findOneByOrFail({ id: done.id })).dueAt).toEqual(
        new Date('2026-12-11T11:00:00+01:00'),
      );
      expect(await callbacks.findOneByOrFail({ id: due.id })).toMatchObject({
        state: 'due',
        dueAt: new Date('2026-11-29T10:00:00+01:00'),
      });
    });
  });
});
