import { get, IncomingMessage } from 'node:http';
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { Clock } from '../../src/common/time/clock';
import { OperatorStateDay } from '../../src/monitor/operator-state-day.entity';
import { OperatorState } from '../../src/monitor/operator-state.entity';
import { PauseReason } from '../../src/monitor/pause-reason.entity';
import type { WallMessage } from '../../src/monitor/wall-hub.service';
import type { CampaignSummary, WallTile } from '../../src/monitor/wall-assembly';
import { WallService } from '../../src/monitor/wall.service';
import { OutcomeStatus } from '../../src/outcome-statuses/outcome-status.entity';
import { User } from '../../src/users/user.entity';
import { LeasesService } from '../../src/work/leases.service';
import { createCallback } from '../factories/callback.factory';
import { createCampaign, createProduct, createStatus } from '../factories/catalogue.factory';
import { createContact } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { type AppInstance, listeningInstance, startAppWorker } from '../support/app-worker';
import { createTestApp, isMysqlRun, removeSqliteData, resetDatabase } from '../support/test-app';

interface Desk {
  id: number;
  token: string;
}

/** A Server-Sent Events reader: the `wall` messages as they come. */
class WallViewer {
  readonly messages: WallMessage[] = [];
  private response?: IncomingMessage;
  private buffer = '';
  private waiters: Array<() => void> = [];

  static open(baseUrl: string, token: string, query = ''): Promise<WallViewer> {
    const viewer = new WallViewer();
    return new Promise((resolve, reject) => {
      const req = get(
        `${baseUrl}/api/v1/monitor/stream${query}`,
        { headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' } },
        (res) => {
          viewer.response = res;
          if (res.statusCode !== 200) {
            reject(new Error(`stream answered ${res.statusCode}`));
            res.resume();
            return;
          }
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => viewer.receive(chunk));
          resolve(viewer);
        },
      );
      req.on('error', reject);
    });
  }

  /** The tiles as this viewer sees them now (full message, then patches). */
  tiles(): Map<number, WallTile> {
    const tiles = new Map<number, WallTile>();
    for (const message of this.messages) {
      if (message.kind === 'full') tiles.clear();
      for (const id of message.removed) tiles.delete(id);
      for (const tile of message.operators) tiles.set(tile.operatorId, tile);
    }
    return tiles;
  }

  /** Resolves once `test` holds for what was received, or fails after `ms`. */
  async until(test: (viewer: WallViewer) => boolean, ms = 5000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!test(this)) {
      if (Date.now() > deadline) throw new Error('the wall did not show it in time');
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  close(): void {
    this.response?.destroy();
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const lines = block.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
      const data = lines
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice(6))
        .join('\n');
      if (event === 'wall') this.messages.push(JSON.parse(data) as WallMessage);
    }
    for (const wake of this.waiters.splice(0)) wake();
  }
}

describe('The coordinators wall (/api/v1/monitor)', () => {
  let app: NestExpressApplication;
  let db: DataSource;
  let clock: Clock;
  let coordinator: Desk;
  let anna: Desk;
  let bruno: Desk;
  let campaign: Campaign;
  let other: Campaign;
  let statuses: Record<'no' | 'callback' | 'sale', OutcomeStatus>;
  let productId: number;
  const http = () => request(app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  // A Tuesday morning in Rome, inside every campaign's hours.
  const TUESDAY = new Date('2026-11-24T09:00:00Z');

  async function desk(role: 'operator' | 'coordinator', team?: string): Promise<Desk> {
    const user = await createUser(app, { role });
    if (team) await db.getRepository(User).update({ id: user.id }, { team });
    return { id: user.id, token: await tokenFor(app, user) };
  }

  /** Takes the next contact of `on` and confirms `status` on it (what a sale or callback needs). */
  async function outcome(who: Desk, status: OutcomeStatus, on = campaign): Promise<void> {
    await createContact(app, on.id);
    const taken = await http()
      .post('/api/v1/work/next')
      .set(as(who.token))
      .send({ campaignId: on.id })
      .expect(200);
    const contactId = (taken.body as { contact: { id: number } }).contact.id;
    const body: Record<string, unknown> = { statusId: status.id };
    if (status.type === 'R') {
      body.callback = { at: new Date(clock.now().getTime() + 2 * 3600_000).toISOString() };
    }
    if (status.type === 'C') body.cart = [{ productId, quantity: 1 }];
    await http()
      .post(`/api/v1/work/${contactId}/outcome`)
      .set(as(who.token))
      .send(body)
      .expect(201);
  }

  const presence = (who: Desk) => http().post('/api/v1/me/presence').set(as(who.token)).expect(200);

  /** What an API path answers once `test` holds (the wall is recomputed at most once a second). */
  async function eventually<T>(
    path: string,
    test: (body: T) => boolean,
    query: Record<string, string | number> = {},
    ms = 3000,
  ): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const res = await http().get(path).query(query).set(as(coordinator.token)).expect(200);
      if (test(res.body as T) || Date.now() > deadline) return res.body as T;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  const wallWhen = (
    test: (tiles: WallTile[]) => boolean,
    query: Record<string, string | number> = {},
  ) => eventually<WallTile[]>('/api/v1/monitor/operators', test, query);
  const tileOf = (tiles: WallTile[], who: Desk) => tiles.find((t) => t.operatorId === who.id)!;

  beforeAll(async () => {
    app = await createTestApp();
    db = app.get(DataSource);
    clock = app.get(Clock);
  });
  beforeEach(async () => {
    clock.set(TUESDAY);
    await resetDatabase(app);
    coordinator = await desk('coordinator');
    anna = await desk('operator', 'Nord');
    bruno = await desk('operator', 'Sud');
    statuses = {
      no: await createStatus(app, {
        code: 'NI',
        label: 'Non interessato',
        type: 'N',
        color: '#d92d20',
      }),
      callback: await createStatus(app, {
        code: 'RC',
        label: 'Richiamare',
        type: 'R',
        color: '#f79009',
        callbackVisibility: 'public',
      }),
      sale: await createStatus(app, {
        code: 'OK',
        label: 'Vendita',
        labelEn: 'Sale',
        type: 'C',
        color: '#12b76a',
      }),
    };
    productId = (await createProduct(app)).id;
    const links = {
      statusIds: Object.values(statuses).map((s) => s.id),
      operatorIds: [anna.id, bruno.id],
      productIds: [productId],
    };
    campaign = await createCampaign(app, {}, links);
    other = await createCampaign(app, {}, { ...links, operatorIds: [anna.id] });
  });
  afterAll(async () => {
    clock.set(null);
    await app.close();
    removeSqliteData();
  });

  it("colours each tile with its operator's last outcome and counts today's outcomes by type", async () => {
    await outcome(anna, statuses.no);
    await outcome(anna, statuses.callback);
    await outcome(anna, statuses.sale);
    clock.advance(60_000);
    await outcome(bruno, statuses.sale);
    await outcome(bruno, statuses.no);

    const tiles = await wallWhen((t) => tileOf(t, bruno)?.counts.N === 1);
    expect(tileOf(tiles, anna)).toMatchObject({
      name: expect.any(String),
      team: 'Nord',
      lastOutcome: { code: 'OK', type: 'C', color: '#12b76a', at: TUESDAY.toISOString() },
      counts: { R: 1, N: 1, C: 1, T: 0 },
    });
    expect(tileOf(tiles, bruno)).toMatchObject({
      lastOutcome: { code: 'NI', type: 'N', color: '#d92d20' },
      counts: { R: 0, N: 1, C: 1, T: 0 },
    });
    // The strip of the last hour: each status once for Anna; Bruno's two in their order.
    expect(tileOf(tiles, anna).recent.map((r) => [r.code, r.count])).toEqual([
      ['NI', 1],
      ['RC', 1],
      ['OK', 1],
    ]);
    // Outcomes older than an hour leave the strip, and yesterday's leave the counts.
    clock.advance(61 * 60_000);
    const later = await wallWhen((t) => tileOf(t, anna)?.recent.length === 0);
    expect(tileOf(later, anna).recent).toEqual([]);
    expect(tileOf(later, anna).counts).toEqual({ R: 1, N: 1, C: 1, T: 0 });
    clock.advance(24 * 3600_000);
    const tomorrow = await wallWhen((t) => tileOf(t, anna)?.counts.C === 0);
    expect(tileOf(tomorrow, anna).counts).toEqual({ R: 0, N: 0, C: 0, T: 0 });
    expect(tileOf(tomorrow, anna).lastOutcome?.code).toBe('OK');
  });

  it('per campaign: counts by type, conversion, contacts left, callbacks due and overdue', async () => {
    await outcome(anna, statuses.sale);
    await outcome(anna, statuses.no);
    await outcome(bruno, statuses.no);
    await outcome(bruno, statuses.no);
    await outcome(anna, statuses.sale, other);
    for (let i = 0; i < 3; i++) await createContact(app, campaign.id);
    // Due 10 minutes ago (grace 30: due, not overdue), and 2 hours ago (overdue), one Bruno's own.
    await createCallback(app, campaign.id, { dueAt: new Date(TUESDAY.getTime() - 10 * 60_000) });
    await createCallback(app, campaign.id, {
      dueAt: new Date(TUESDAY.getTime() - 2 * 3600_000),
      ownerId: bruno.id,
      visibility: 'private',
    });
    await createCallback(app, campaign.id, { dueAt: new Date(TUESDAY.getTime() + 3600_000) });

    const summaries = await eventually<CampaignSummary[]>(
      '/api/v1/monitor/campaigns',
      (list) =>
        list.some((c) => c.id === campaign.id && c.callbacksDue === 2 && c.contactsLeft === 3),
      {},
      // Contacts left are recounted every 10 s (a count over the campaign's whole queue).
      12_000,
    );
    const summary = summaries.find((c) => c.id === campaign.id)!;
    expect(summary).toMatchObject({
      counts: { R: 0, N: 3, C: 1, T: 0 },
      total: 4,
      conversionRate: 0.25,
      contactsLeft: 3,
      callbacksDue: 2,
      callbacksOverdue: 1,
    });
    expect(summaries.find((c) => c.id === other.id)).toMatchObject({
      counts: { C: 1 },
      conversionRate: 1,
    });
    const tiles = await wallWhen((t) => tileOf(t, bruno)?.callbacksOverdue === 1);
    expect(tileOf(tiles, bruno)).toMatchObject({
      callbacksOverdue: 1,
      attention: ['callbacks_overdue'],
    });
    expect(tileOf(tiles, anna).attention).toEqual([]);

    // One campaign: its operators, counted on it alone.
    const filtered = await wallWhen((t) => t.length === 1, { campaignId: other.id });
    expect(filtered.map((t) => t.operatorId)).toEqual([anna.id]);
    expect(filtered[0]!.counts).toEqual({ R: 0, N: 0, C: 1, T: 0 });
    const team = await wallWhen((t) => t.length === 1, { team: 'Sud' });
    expect(team.map((t) => t.operatorId)).toEqual([bruno.id]);
  });

  it('states: logged out, ready, on a contact, paused with its reason, with the time they began', async () => {
    let tiles = await wallWhen((t) => tileOf(t, anna)?.state === 'logged_out');
    expect(tileOf(tiles, anna).state).toBe('logged_out');

    await presence(anna);
    tiles = await wallWhen((t) => tileOf(t, anna).state === 'ready');
    expect(tileOf(tiles, anna)).toMatchObject({ state: 'ready', since: TUESDAY.toISOString() });

    await createContact(app, campaign.id);
    clock.advance(30_000);
    const taken = await http()
      .post('/api/v1/work/next')
      .set(as(anna.token))
      .send({ campaignId: campaign.id })
      .expect(200);
    const contactId = (taken.body as { contact: { id: number } }).contact.id;
    tiles = await wallWhen((t) => tileOf(t, anna).state === 'on_contact');
    expect(tileOf(tiles, anna)).toMatchObject({
      state: 'on_contact',
      since: new Date(TUESDAY.getTime() + 30_000).toISOString(),
      contact: { id: contactId, campaignId: campaign.id },
    });
    // Open too long (the page renewing its lease meanwhile): the tile asks for attention.
    for (const minutes of [4, 4, 3]) {
      clock.advance(minutes * 60_000);
      await http().post(`/api/v1/work/${contactId}/heartbeat`).set(as(anna.token)).expect(200);
      await presence(anna);
    }
    tiles = await wallWhen((t) => tileOf(t, anna).attention.includes('contact_long'));
    expect(tileOf(tiles, anna).attention).toEqual(['contact_long']);
    await http().post(`/api/v1/work/${contactId}/discard`).set(as(anna.token)).expect(204);

    const coffee = await db.getRepository(PauseReason).save({
      code: 'pausa',
      label: 'Pausa',
      labelEn: 'Break',
      maxMinutes: 15,
      position: 1,
      archivedAt: null,
    });
    await http()
      .post('/api/v1/me/state')
      .set(as(anna.token))
      .send({ state: 'paused', pauseReasonId: coffee.id })
      .expect(200);
    tiles = await wallWhen((t) => tileOf(t, anna).state === 'paused');
    expect(tileOf(tiles, anna)).toMatchObject({
      state: 'paused',
      pauseReason: { code: 'pausa', label: 'Pausa', labelEn: 'Break' },
      attention: [],
    });
    // Past the reason's 15 minutes (still on the page): attention.
    for (let minute = 0; minute < 16; minute += 2) {
      clock.advance(2 * 60_000);
      await presence(anna);
    }
    tiles = await wallWhen((t) => tileOf(t, anna).attention.includes('pause_long'));
    expect(tileOf(tiles, anna).attention).toEqual(['pause_long']);

    // A page that stops saying it is there reads as logged out, from when it was last seen.
    const seenAt = clock.now();
    clock.advance(3 * 60_000);
    tiles = await wallWhen((t) => tileOf(t, anna).state === 'logged_out');
    expect(tileOf(tiles, anna)).toMatchObject({ state: 'logged_out', since: seenAt.toISOString() });
    const row = await db.getRepository(OperatorState).findOneByOrFail({ userId: anna.id });
    expect(row.state).toBe('paused');
  });

  it('the time ready restarts when a call ends (outcome, discard, expiry), on the wall and the own bar', async () => {
    const at = (seconds: number) => new Date(TUESDAY.getTime() + seconds * 1000).toISOString();
    const readySince = async (since: string) => {
      const tiles = await wallWhen(
        (t) => tileOf(t, anna)?.state === 'ready' && tileOf(t, anna).since === since,
      );
      expect(tileOf(tiles, anna)).toMatchObject({ state: 'ready', since });
      expect((await presence(anna)).body).toMatchObject({ state: 'ready', since });
    };
    const take = async () => {
      await createContact(app, campaign.id);
      const taken = await http()
        .post('/api/v1/work/next')
        .set(as(anna.token))
        .send({ campaignId: campaign.id })
        .expect(200);
      return (taken.body as { contact: { id: number } }).contact.id;
    };
    await presence(anna);
    await readySince(at(0));

    clock.advance(60_000);
    let contactId = await take();
    clock.advance(90_000);
    await http()
      .post(`/api/v1/work/${contactId}/outcome`)
      .set(as(anna.token))
      .send({ statusId: statuses.no.id })
      .expect(201);
    await readySince(at(150));

    clock.advance(60_000);
    contactId = await take();
    clock.advance(30_000);
    await http().post(`/api/v1/work/${contactId}/discard`).set(as(anna.token)).expect(204);
    await readySince(at(240));

    // A lease left to expire while the page stays open: ready again from when it ran out.
    contactId = await take();
    for (let minute = 0; minute < 6; minute += 2) {
      clock.advance(2 * 60_000);
      await presence(anna);
    }
    expect(await app.get(LeasesService).releaseExpired()).toBe(1);
    await readySince(at(240 + 5 * 60));

    // The seconds per state add up as before: ready all along, the calls inside it.
    const days = await db.getRepository(OperatorStateDay).findBy({ userId: anna.id });
    const seconds = (state: string) =>
      days.filter((d) => d.state === state).reduce((sum, d) => sum + d.seconds, 0);
    expect(seconds('ready')).toBe(240 + 5 * 60);
    expect(seconds('on_contact')).toBe(90 + 30 + 5 * 60);
  });

  it('signing in on the login page makes an operator ready, signing out logged out', async () => {
    const user = await createUser(app, { role: 'operator' });
    const agent = request.agent(app.getHttpServer());
    const page = await agent.get('/login').expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
    await agent
      .post('/login')
      .type('form')
      .send({ username: user.username, password: user.password, _csrf: csrf })
      .expect(303);
    let tiles = await wallWhen((t) =>
      t.some((x) => x.operatorId === user.id && x.state === 'ready'),
    );
    expect(tiles.find((t) => t.operatorId === user.id)?.state).toBe('ready');
    const home = await agent.get('/').expect(200);
    const token = /name="_csrf" value="([^"]+)"/.exec(home.text)?.[1];
    await agent.post('/logout').type('form').send({ _csrf: token }).expect(303);
    tiles = await wallWhen((t) =>
      t.some((x) => x.operatorId === user.id && x.state === 'logged_out'),
    );
    expect(tiles.find((t) => t.operatorId === user.id)?.state).toBe('logged_out');
  });

  it('refuses bad filters by name, operators (403) and strangers (401)', async () => {
    for (const [query, field] of [
      [{ campaignId: 'abc' }, 'campaignId'],
      [{ campaignId: '0' }, 'campaignId'],
      [{ campaignId: ['1', '2'] }, 'campaignId'],
      [{ team: 'x'.repeat(61) }, 'team'],
    ] as const) {
      const res = await http()
        .get('/api/v1/monitor/operators')
        .query(query)
        .set(as(coordinator.token))
        .expect(400);
      expect(JSON.stringify(res.body)).toContain(field);
    }
    await http().get('/api/v1/monitor/operators').set(as(anna.token)).expect(403);
    await http().get('/api/v1/monitor/stream').set(as(anna.token)).expect(403);
    await http().get('/api/v1/monitor/operators').expect(401);
    await http().get('/monitor').set(as(anna.token)).expect(403);
  });

  describe('live, over Server-Sent Events', () => {
    let instance: AppInstance;
    beforeAll(async () => {
      instance = await listeningInstance(app);
    });

    it('a viewer gets the whole wall, then the tile of an operator who confirms an outcome, within 2 s', async () => {
      const viewer = await WallViewer.open(instance.baseUrl, coordinator.token);
      await viewer.until((v) => v.messages.length > 0);
      expect(viewer.messages[0]!.kind).toBe('full');
      expect([...viewer.tiles().keys()].sort()).toEqual([anna.id, bruno.id].sort());

      const confirmedAt = Date.now();
      await outcome(anna, statuses.sale);
      await viewer.until((v) => v.tiles().get(anna.id)?.lastOutcome?.code === 'OK', 2000);
      expect(Date.now() - confirmedAt).toBeLessThan(2000);
      const patch = viewer.messages.find((m) =>
        m.operators.some((t) => t.lastOutcome?.code === 'OK'),
      )!;
      expect(patch.kind).toBe('patch');
      // Only what changed travels: Bruno's tile is not sent again.
      expect(patch.operators.map((t) => t.operatorId)).toEqual([anna.id]);
      viewer.close();
    });

    it('the database does the same work for one viewer or twenty: one aggregation per tick', async () => {
      const wall = app.get(WallService);
      const snapshot = jest.spyOn(wall, 'snapshot');
      const runner = db.createQueryRunner();
      const queries = jest.spyOn(
        Object.getPrototypeOf(runner) as { query: () => unknown },
        'query',
      );
      await runner.release();
      const measure = async (viewers: WallViewer[]) => {
        await Promise.all(viewers.map((v) => v.until((x) => x.messages.length > 0)));
        snapshot.mockClear();
        queries.mockClear();
        const messages = viewers.map((v) => v.messages.length);
        await new Promise((resolve) => setTimeout(resolve, 3200));
        const received = viewers.map((v, i) => v.messages.length - messages[i]!);
        return { ticks: snapshot.mock.calls.length, queries: queries.mock.calls.length, received };
      };
      try {
        // What one computation of the wall asks the database, with nobody watching yet.
        await wall.snapshot(clock.now());
        const perTick = queries.mock.calls.length;
        expect(perTick).toBeGreaterThan(0);
        const one = [await WallViewer.open(instance.baseUrl, coordinator.token)];
        const alone = await measure(one);
        const crowd = [
          ...one,
          ...(await Promise.all(
            Array.from({ length: 19 }, (_, i) =>
              WallViewer.open(instance.baseUrl, coordinator.token, i % 2 ? `?team=Nord` : ''),
            ),
          )),
        ];
        const many = await measure(crowd);
        for (const v of crowd) v.close();

        // About three ticks in 3.2 s either way, each that many queries (a tick already
        // under way when the window opened may add its tail).
        for (const window of [alone, many]) {
          expect(window.ticks).toBeGreaterThanOrEqual(2);
          expect(window.ticks).toBeLessThanOrEqual(4);
          expect(window.queries).toBeGreaterThanOrEqual((window.ticks - 1) * perTick);
          expect(window.queries).toBeLessThanOrEqual((window.ticks + 1) * perTick);
        }
        // Every one of the twenty viewers got the ticks.
        for (const n of many.received) expect(n).toBeGreaterThanOrEqual(2);
      } finally {
        snapshot.mockRestore();
        queries.mockRestore();
      }
      // With nobody watching (once the server has seen the viewers go), no more ticks.
      await new Promise((resolve) => setTimeout(resolve, 1200));
      const idle = jest.spyOn(wall, 'snapshot');
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(idle).not.toHaveBeenCalled();
      idle.mockRestore();
    });

    (isMysqlRun() ? it : it.skip)(
      'several instances: a viewer on one sees an outcome confirmed on another',
      async () => {
        const second = await startAppWorker();
        let viewer: WallViewer | undefined;
        try {
          await second.setClock(TUESDAY);
          viewer = await WallViewer.open(second.baseUrl, coordinator.token);
          await viewer.until((v) => v.messages.length > 0);
          await outcome(bruno, statuses.callback);
          await viewer.until((v) => v.tiles().get(bruno.id)?.lastOutcome?.code === 'RC', 2500);
          expect(viewer.tiles().get(bruno.id)?.counts).toEqual({ R: 1, N: 0, C: 0, T: 0 });
        } finally {
          viewer?.close();
          await second.close();
        }
      },
      // Booting the second instance's thread (ts-node) is most of it.
      120_000,
    );
  });
});
