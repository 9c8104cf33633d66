import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { Clock } from '../../src/common/time/clock';
import { zonedLocalToUtc } from '../../src/common/time/local-time';
import { AppConfigService } from '../../src/config/app-config.service';
import { OperatorStateDay } from '../../src/monitor/operator-state-day.entity';
import { OperatorState } from '../../src/monitor/operator-state.entity';
import { PauseReason } from '../../src/monitor/pause-reason.entity';
import { WallService } from '../../src/monitor/wall.service';
import { OutcomeStatus } from '../../src/outcome-statuses/outcome-status.entity';
import { createCampaign, createStatus } from '../factories/catalogue.factory';
import { createContact } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

interface StateBody {
  state: 'logged_out' | 'ready' | 'paused' | 'on_contact';
  since: string;
  pauseReasonId: number | null;
  pauseReasons: Array<{ id: number; code: string; archived: boolean }>;
}

interface ErrorBody {
  statusCode: number;
  message: string | string[];
}

/** The message of an error answer as one string, whatever its shape. */
const said = (body: unknown): string => {
  const { message } = body as ErrorBody;
  return Array.isArray(message) ? message.join(' | ') : message;
};

/** A Monday morning; the tokens of each test are issued then, the clock moves on from it. */
const T0 = new Date('2025-03-10T08:00:00.000Z');
const DAY = '2025-03-10';
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

describe('Operator state API and the seconds per state per day', () => {
  let app: NestExpressApplication;
  let db: DataSource;
  let clock: Clock;
  let operator: { id: number; token: string };
  let reasons: { pausa: PauseReason; mensa: PauseReason };
  let status: OutcomeStatus;
  let campaign: Campaign;
  const http = () => request(app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  const getState = (token = operator.token) => http().get('/api/v1/me/state').set(as(token));
  const setState = (body: object, token = operator.token) =>
    http().post('/api/v1/me/state').set(as(token)).send(body);
  const presence = (token = operator.token) =>
    http().post('/api/v1/me/presence').set(as(token)).send({});
  const ready = async (token = operator.token) =>
    (await setState({ state: 'ready' }, token).expect(200)).body as StateBody;
  const pause = async (reason: PauseReason, token = operator.token) =>
    (await setState({ state: 'paused', pauseReasonId: reason.id }, token).expect(200))
      .body as StateBody;
  const next = (token = operator.token) =>
    http().post('/api/v1/work/next').set(as(token)).send({ campaignId: campaign.id });
  const row = (userId = operator.id) => db.getRepository(OperatorState).findOneBy({ userId });

  /** operator_state_days of one operator as `day state reasonId` → seconds. */
  async function seconds(userId = operator.id): Promise<Record<string, number>> {
    const rows = await db.getRepository(OperatorStateDay).findBy({ userId });
    return Object.fromEntries(
      rows.map((r) => [`${r.day} ${r.state} ${r.pauseReasonId}`, Number(r.seconds)]),
    );
  }
  const total = (counted: Record<string, number>, state?: string) =>
    Object.entries(counted)
      .filter(([key]) => state === undefined || key.split(' ')[1] === state)
      .reduce((sum, [, value]) => sum + value, 0);

  async function newOperator() {
    const user = await createUser(app, { role: 'operator' });
    return { id: user.id, token: await tokenFor(app, user) };
  }
  async function createReason(code: string, position: number, archived = false) {
    return db.getRepository(PauseReason).save({
      code,
      label: code,
      labelEn: null,
      maxMinutes: 15,
      position,
      archivedAt: archived ? T0 : null,
    });
  }

  beforeAll(async () => {
    app = await createTestApp();
    db = app.get(DataSource);
    clock = app.get(Clock);
  });
  beforeEach(async () => {
    clock.set(T0);
    await resetDatabase(app);
    reasons = { pausa: await createReason('pausa', 1), mensa: await createReason('mensa', 2) };
    operator = await newOperator();
    status = await createStatus(app, { code: 'NI', label: 'Non interessato', type: 'N' });
    campaign = await createCampaign(
      app,
      {},
      { statusIds: [status.id], operatorIds: [operator.id] },
    );
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });
  afterAll(async () => {
    clock.set(null);
    await app.close();
    removeSqliteData();
  });

  describe('the state through the API', () => {
    it('starts logged out, then ready and paused with a reason; the reasons in use are offered', async () => {
      await createReason('vecchio', 0, true);
      const first = (await getState().expect(200)).body as StateBody;
      expect(first).toMatchObject({
        state: 'logged_out',
        since: T0.toISOString(),
        pauseReasonId: null,
      });
      expect(first.pauseReasons.map((r) => r.code)).toEqual(['pausa', 'mensa']);

      expect(await ready()).toMatchObject({
        state: 'ready',
        since: T0.toISOString(),
        pauseReasonId: null,
      });
      clock.set(at(60));
      expect(await pause(reasons.pausa)).toMatchObject({
        state: 'paused',
        since: at(60).toISOString(),
        pauseReasonId: reasons.pausa.id,
      });
      clock.set(at(100));
      expect((await getState().expect(200)).body).toMatchObject({
        state: 'paused',
        since: at(60).toISOString(),
        pauseReasonId: reasons.pausa.id,
      });
      // Another reason is another pause: the first one's time is counted under it.
      expect(await pause(reasons.mensa)).toMatchObject({ pauseReasonId: reasons.mensa.id });
      clock.set(at(220));
      // A reason sent with "ready" is not kept.
      const back = await setState({ state: 'ready', pauseReasonId: reasons.pausa.id }).expect(200);
      expect(back.body).toMatchObject({ state: 'ready', pauseReasonId: null });

      expect(await seconds()).toEqual({
        [`${DAY} ready 0`]: 60,
        [`${DAY} paused ${reasons.pausa.id}`]: 40,
        [`${DAY} paused ${reasons.mensa.id}`]: 120,
      });
      expect(await row()).toMatchObject({
        state: 'ready',
        pauseReasonId: null,
        since: at(220),
        seenAt: at(220),
      });
    });

    it('refuses a pause without a valid reason in use: 400 naming pauseReasonId, state unchanged', async () => {
      const archived = await createReason('vecchio', 3, true);
      await ready();
      clock.set(at(30));
      for (const body of [
        { state: 'paused' },
        { state: 'paused', pauseReasonId: null },
        { state: 'paused', pauseReasonId: 999999 },
        { state: 'paused', pauseReasonId: archived.id },
        { state: 'paused', pauseReasonId: 'pausa' },
        { state: 'paused', pauseReasonId: 0 },
        { state: 'paused', pauseReasonId: 1.5 },
        { state: 'paused', pauseReasonId: 2 ** 31 },
      ]) {
        const res = await setState(body).expect(400);
        expect(said(res.body)).toContain('pauseReasonId');
      }
      expect(await row()).toMatchObject({ state: 'ready', since: T0, pauseReasonId: null });
      expect(await seconds()).toEqual({});
    });

    it('keeps an operator paused with a reason archived meanwhile, counted under it', async () => {
      await pause(reasons.pausa);
      await http()
        .post(`/api/v1/pause-reasons/${reasons.pausa.id}/archive`)
        .set(as(await tokenFor(app, await createUser(app, { role: 'admin' }))))
        .expect(200);
      clock.set(at(90));
      const now = (await getState().expect(200)).body as StateBody;
      expect(now).toMatchObject({ state: 'paused', pauseReasonId: reasons.pausa.id });
      expect(now.pauseReasons.map((r) => r.code)).toEqual(['mensa']);
      await ready();
      expect(await seconds()).toEqual({ [`${DAY} paused ${reasons.pausa.id}`]: 90 });
    });

    it('refuses a pause while holding a contact (409 naming state); ready again once it is discarded', async () => {
      const contact = await createContact(app, campaign.id);
      await ready();
      await next().expect(200);
      const res = await setState({ state: 'paused', pauseReasonId: reasons.pausa.id }).expect(409);
      expect(res.body).toMatchObject({ statusCode: 409 });
      expect(said(res.body)).toMatch(/^state: /);
      expect(said(res.body)).toContain(String(contact.id));
      expect((await getState().expect(200)).body).toMatchObject({ state: 'on_contact' });
      expect((await row())?.state).toBe('ready');

      await http().post(`/api/v1/work/${contact.id}/discard`).set(as(operator.token)).expect(204);
      expect(await pause(reasons.pausa)).toMatchObject({ state: 'paused' });
    });

    it('makes a paused operator ready when they ask for the next contact', async () => {
      await createContact(app, campaign.id);
      await pause(reasons.pausa);
      clock.set(at(120));
      await next().expect(200);
      expect((await row())?.state).toBe('ready');
      expect((await getState().expect(200)).body).toMatchObject({ state: 'on_contact' });
      expect(await seconds()).toEqual({ [`${DAY} paused ${reasons.pausa.id}`]: 120 });

      // Also when there is nothing to work: the pause is over all the same.
      const other = await newOperator();
      const empty = await createCampaign(
        app,
        {},
        { statusIds: [status.id], operatorIds: [other.id] },
      );
      await pause(reasons.mensa, other.token);
      clock.set(at(150));
      await http()
        .post('/api/v1/work/next')
        .set(as(other.token))
        .send({ campaignId: empty.id })
        .expect(204);
      expect(await row(other.id)).toMatchObject({ state: 'ready', since: at(150) });
      expect(await seconds(other.id)).toEqual({ [`${DAY} paused ${reasons.mensa.id}`]: 30 });
    });

    it('brings a page back from the presence timeout as ready, counting only up to the timeout', async () => {
      const wallState = async () =>
        (await app.get(WallService).snapshot(clock.now())).operators.find(
          (o) => o.operatorId === operator.id,
        )?.state;
      await ready();
      clock.set(at(100));
      // Within the 150 s: the page keeps the state and its start.
      expect((await presence().expect(200)).body).toMatchObject({
        state: 'ready',
        since: T0.toISOString(),
      });
      expect(await wallState()).toBe('ready');
      expect(await seconds()).toEqual({});

      clock.set(at(100 + 150 + 1));
      expect(await wallState()).toBe('logged_out');
      clock.set(at(400));
      const back = (await presence().expect(200)).body as StateBody;
      expect(back).toMatchObject({ state: 'ready', since: at(400).toISOString() });
      expect(await wallState()).toBe('ready');
      // Ready from T0 until the page was last seen (100 s) and the timeout after it.
      expect(await seconds()).toEqual({ [`${DAY} ready 0`]: 250 });

      // A pause whose page goes quiet ends the same way: back as ready.
      await pause(reasons.pausa);
      clock.set(at(1000));
      expect((await presence().expect(200)).body).toMatchObject({
        state: 'ready',
        since: at(1000).toISOString(),
        pauseReasonId: null,
      });
      expect(await seconds()).toEqual({
        [`${DAY} ready 0`]: 250,
        [`${DAY} paused ${reasons.pausa.id}`]: 150,
      });
    });

    it('brings an operator who never had a state in as ready on the first presence', async () => {
      expect((await presence().expect(200)).body).toMatchObject({
        state: 'ready',
        since: T0.toISOString(),
      });
      expect(await row()).toMatchObject({ state: 'ready', seenAt: T0 });
    });

    it('brings 30 operators in at once, each on a row of its own (no deadlock on the new rows)', async () => {
      const desks = await Promise.all(Array.from({ length: 30 }, () => newOperator()));
      const answers = await Promise.all(desks.map((d) => presence(d.token)));
      expect(answers.map((a) => a.status)).toEqual(desks.map(() => 200));
      for (const d of desks) expect(await row(d.id)).toMatchObject({ state: 'ready' });
    });
  });

  describe('seconds per state per day', () => {
    it('counts the time on contacts confirmed or discarded, inside the ready time', async () => {
      const [first, second] = [
        await createContact(app, campaign.id),
        await createContact(app, campaign.id),
      ];
      await ready();
      clock.set(at(10));
      expect(((await next().expect(200)).body as { contact: { id: number } }).contact.id).toBe(
        first.id,
      );
      clock.set(at(100));
      await http()
        .post(`/api/v1/work/${first.id}/outcome`)
        .set(as(operator.token))
        .send({ statusId: status.id })
        .expect(201);
      clock.set(at(110));
      await next().expect(200);
      clock.set(at(150));
      await http().post(`/api/v1/work/${second.id}/discard`).set(as(operator.token)).expect(204);
      clock.set(at(160));
      await pause(reasons.pausa);
      clock.set(at(220));
      await ready();

      expect(await seconds()).toEqual({
        [`${DAY} ready 0`]: 160,
        [`${DAY} on_contact 0`]: 90 + 40,
        [`${DAY} paused ${reasons.pausa.id}`]: 60,
      });
    });

    it("splits an interval across the call centre's local midnight into two days", async () => {
      const zone = app.get(AppConfigService).get('TIMEZONE');
      const midnight = zonedLocalToUtc('2025-03-11T00:00', zone)!;
      const around = (s: number) => new Date(midnight.getTime() + s * 1000);
      const contact = await createContact(app, campaign.id);

      clock.set(around(-600));
      await ready();
      // The page says it is there every minute, as it does every 30 s.
      for (let s = -540; s <= -60; s += 60) {
        clock.set(around(s));
        await presence().expect(200);
      }
      await next().expect(200);
      clock.set(around(60));
      await presence().expect(200);
      clock.set(around(120));
      await http()
        .post(`/api/v1/work/${contact.id}/outcome`)
        .set(as(operator.token))
        .send({ statusId: status.id })
        .expect(201);
      for (let s = 180; s <= 1200; s += 60) {
        clock.set(around(s));
        await presence().expect(200);
      }
      await pause(reasons.pausa);

      expect(await seconds()).toEqual({
        '2025-03-10 ready 0': 600,
        '2025-03-11 ready 0': 1200,
        '2025-03-10 on_contact 0': 60,
        '2025-03-11 on_contact 0': 120,
      });
    });

    it('leaves one consistent row when ready and paused race 10 times each, counted once', async () => {
      // Racing from the very first state: the row is created once.
      const sends = () =>
        Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            i % 2 === 0
              ? setState({ state: 'ready' })
              : setState({ state: 'paused', pauseReasonId: reasons.pausa.id }),
          ),
        );
      for (const res of await sends()) expect(res.status).toBe(200);
      expect(await db.getRepository(OperatorState).countBy({ userId: operator.id })).toBe(1);
      expect(await seconds()).toEqual({}); // all at the same instant: nothing to count yet

      clock.set(at(100));
      const answers = await sends();
      for (const res of answers) expect(res.status).toBe(200);
      const stored = (await row())!;
      const current = (await getState().expect(200)).body as StateBody;
      expect(current).toMatchObject({
        state: stored.state,
        pauseReasonId: stored.pauseReasonId,
        since: at(100).toISOString(),
      });
      expect(stored.pauseReasonId).toBe(stored.state === 'paused' ? reasons.pausa.id : null);
      // The 100 s before the race are counted once, by whichever change came first.
      expect(total(await seconds())).toBe(100);

      clock.set(at(130));
      await ready();
      const counted = await seconds();
      expect(total(counted)).toBe(130);
      expect(
        counted[`${DAY} ${stored.state} ${stored.state === 'paused' ? reasons.pausa.id : 0}`],
      ).toBeGreaterThanOrEqual(30);
    });

    it('counts every second once while the clock runs during the race', async () => {
      await ready();
      const start = (await row())!.since;
      // Every reading of the clock moves it on by a second: a change that read the time
      // before waiting for the operator's row would start before the one it waited for ended.
      const read = clock.now.bind(clock);
      jest.spyOn(clock, 'now').mockImplementation(() => {
        clock.advance(1000);
        return read();
      });
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          i % 2 === 0
            ? setState({ state: 'ready' })
            : setState({ state: 'paused', pauseReasonId: reasons.pausa.id }),
        ),
      );
      for (const res of answers) expect(res.status).toBe(200);
      jest.restoreAllMocks();
      const end = (await row())!;
      const elapsed = (end.since.getTime() - start.getTime()) / 1000;
      // No change was further apart than the presence timeout, which would cut the count.
      expect(elapsed).toBeGreaterThan(0);
      expect(elapsed).toBeLessThan(150);
      expect(total(await seconds())).toBe(elapsed);
      expect(end.pauseReasonId).toBe(end.state === 'paused' ? reasons.pausa.id : null);
    });
  });

  describe('bad input and roles', () => {
    it.each([
      [{}, 'state'],
      [{ state: 'busy' }, 'state'],
      [{ state: 'on_contact' }, 'state'],
      [{ state: 'logged_out' }, 'state'],
      [{ state: 42 }, 'state'],
      [{ state: 'ready', mood: 'good' }, 'mood'],
    ])('refuses %j with a 400 naming %s', async (body, field) => {
      const res = await setState(body).expect(400);
      expect(said(res.body)).toContain(field);
      expect(await row()).toBeNull();
    });

    it('refuses a body that is not an object', async () => {
      const res = await http()
        .post('/api/v1/me/state')
        .set(as(operator.token))
        .set('Content-Type', 'application/json')
        .send('"ready"')
        .expect(400);
      expect(said(res.body)).toContain('body');
    });

    it('is for operators: 403 for the other roles, 401 without a token', async () => {
      for (const role of ['admin', 'coordinator', 'backoffice'] as const) {
        const token = await tokenFor(app, await createUser(app, { role }));
        await getState(token).expect(403);
        await setState({ state: 'ready' }, token).expect(403);
        await presence(token).expect(403);
      }
      await http().get('/api/v1/me/state').expect(401);
      await http().post('/api/v1/me/state').send({ state: 'ready' }).expect(401);
      await http().post('/api/v1/me/presence').expect(401);
      expect(await db.getRepository(OperatorState).count()).toBe(0);
    });
  });
});
