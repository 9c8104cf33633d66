import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { Clock } from '../../src/common/time/clock';
import { FollowUpEmail } from '../../src/follow-ups/follow-up-email.entity';
import { WebhookDelivery } from '../../src/webhooks/webhook-delivery.entity';
import { WebhookEndpoint } from '../../src/webhooks/webhook-endpoint.entity';
import { WEBHOOK_EVENT_TYPES } from '../../src/webhooks/webhook-events';
import { WebhookSender } from '../../src/webhooks/webhook-sender.service';
import {
  createAgent,
  createCampaign,
  createProduct,
  createStatus,
} from '../factories/catalogue.factory';
import { createContact } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import type { AppInstance } from '../support/app-worker';
import { statementsOf } from '../support/statement-count';

interface Hit {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** What the receiver answered: a status, or nothing (it hung). */
  answered: number | 'hang';
  at: number;
}

interface PostedEvent {
  id: string;
  type: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

/** What the tests read of an outcome's answer. */
interface OutcomeAnswer {
  interactionId: number;
  callback: { id: number };
  contract: { id: number; protocolNumber: string };
  appointment: { id: number };
}

/**
 * A real HTTP receiver on 127.0.0.1: it records every attempt in order and answers what
 * `answer` says for it (a status, or 'hang': it never answers).
 */
class Receiver {
  readonly hits: Hit[] = [];
  answer: (path: string, n: number) => number | 'hang' = () => 200;
  private server: Server | null = null;
  private readonly hanging: ServerResponse[] = [];
  port = 0;

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const path = req.url ?? '';
        const answered = this.answer(path, this.hits.filter((h) => h.path === path).length + 1);
        this.hits.push({
          path,
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          answered,
          at: Date.now(),
        });
        if (answered === 'hang') return void this.hanging.push(res);
        res.writeHead(answered, { 'Content-Type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging.splice(0)) res.destroy();
    const server = this.server;
    this.server = null;
    server?.closeAllConnections();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /**
   * The events answered 2xx, parsed, in the order they were written (delivery ids): up to
   * four go at once, so the order they came in is not theirs.
   */
  delivered(path?: string): PostedEvent[] {
    const id = (h: Hit) => Number(h.headers['x-esito-delivery']);
    return this.hits
      .filter((h) => typeof h.answered === 'number' && h.answered < 300)
      .filter((h) => path === undefined || h.path === path)
      .sort((a, b) => id(a) - id(b))
      .map((h) => JSON.parse(h.body) as PostedEvent);
  }
}

/** What a receiver does: HMAC-SHA256 of `<timestamp>.<raw body>` with the secret, compared in constant time. */
function signatureValid(hit: Hit, secret: string): boolean {
  const timestamp = String(hit.headers['x-esito-timestamp']);
  const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${hit.body}`).digest('hex')}`;
  const given = String(hit.headers['x-esito-signature']);
  return (
    given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected))
  );
}

describe('Webhooks: outbox in the transaction, signed deliveries, retries, pauses', () => {
  const receiver = new Receiver();
  let app: NestExpressApplication;
  let db: DataSource;
  let clock: Clock;
  let sender: WebhookSender;
  let admin: string;
  let backoffice: string;
  let operator: { id: number; token: string };
  let campaignId: number;
  let campaignCode: string;
  let statuses: Record<'N' | 'R' | 'C' | 'T', number>;
  let productId: number;
  let agentId: number;
  let removeSqliteData: () => void;
  let resetDatabase: (app: NestExpressApplication) => Promise<void>;
  const http = () => request(app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  // A Monday morning in Rome: the callback and the appointment below are in the future.
  const NOW = new Date('2026-11-30T08:00:00Z');
  const SECRET = 'whsec-0123456789-abcdefghij';
  const TIMEOUT_MS = 1000;
  // test/support/env.ts has chosen this file's database already.
  const MYSQL = process.env.DATABASE_URL !== undefined;

  beforeAll(async () => {
    await receiver.start();
    // The receiver is on loopback: allowed here (webhooks-api.e2e-spec.ts tests the refusal).
    process.env.WEBHOOKS_ALLOW_PRIVATE = 'true';
    process.env.WEBHOOK_TIMEOUT_MS = String(TIMEOUT_MS);
    process.env.WEBHOOK_MAX_ATTEMPTS = '40';
    const support = await import('../support/test-app');
    removeSqliteData = support.removeSqliteData;
    resetDatabase = support.resetDatabase;
    app = await support.createTestApp();
    db = app.get(DataSource);
    clock = app.get(Clock);
    sender = app.get(WebhookSender);
  });
  beforeEach(async () => {
    clock.set(NOW);
    receiver.hits.length = 0;
    receiver.answer = () => 200;
    await resetDatabase(app);
    admin = await tokenFor(app, await createUser(app, { role: 'admin' }));
    backoffice = await tokenFor(app, await createUser(app, { role: 'backoffice' }));
    const op = await createUser(app, { role: 'operator', displayName: 'Giulia Verdi' });
    operator = { id: op.id, token: await tokenFor(app, op) };
    statuses = {
      N: (await createStatus(app, { code: 'NI', type: 'N' })).id,
      R: (await createStatus(app, { code: 'RC', type: 'R', callbackVisibility: 'private' })).id,
      C: (await createStatus(app, { code: 'OK', type: 'C' })).id,
      T: (await createStatus(app, { code: 'AP', type: 'T' })).id,
    };
    productId = (await createProduct(app, { unitPrice: '10.00', vatRate: '22.00' })).id;
    agentId = (await createAgent(app, { name: 'Marco Neri' })).id;
    const campaign = await createCampaign(
      app,
      {},
      {
        statusIds: Object.values(statuses),
        productIds: [productId],
        agentIds: [agentId],
        operatorIds: [operator.id],
      },
    );
    campaignId = campaign.id;
    campaignCode = campaign.code;
  });
  afterAll(async () => {
    await app.close();
    await receiver.stop();
    removeSqliteData();
  });

  const register = async (path: string, events: readonly string[] = WEBHOOK_EVENT_TYPES) => {
    const res = await http()
      .post('/api/v1/webhooks')
      .set(as(admin))
      .send({ url: receiver.url(path), events, secret: SECRET })
      .expect(201);
    return res.body.id as number;
  };
  const BODIES = {
    N: () => ({ statusId: statuses.N, notes: 'nota riservata del cliente' }),
    R: () => ({ statusId: statuses.R, callback: { at: '2026-12-01T10:00:00+01:00' } }),
    C: () => ({ statusId: statuses.C, cart: [{ productId, quantity: 2 }] }),
    T: () => ({
      statusId: statuses.T,
      appointment: { agentId, startsAt: '2026-12-01T09:00:00+01:00' },
    }),
  };
  /** A contact taken and its outcome confirmed; the outcome's answer. */
  const call = async (type: keyof typeof BODIES, contact: object = {}) => {
    await createContact(app, campaignId, { province: 'MI', ...contact });
    const next = await http()
      .post('/api/v1/work/next')
      .set(as(operator.token))
      .send({ campaignId })
      .expect(200);
    const res = await http()
      .post(`/api/v1/work/${next.body.contact.id}/outcome`)
      .set(as(operator.token))
      .send(BODIES[type]())
      .expect(201);
    return res.body as OutcomeAnswer;
  };
  const rows = () => db.getRepository(WebhookDelivery).find({ order: { id: 'ASC' } });

  it("delivers each outcome's events once, signed, with the facts and no notes", async () => {
    await register('/all');
    await register('/contracts', ['contract.created']);
    const n = await call('N');
    const r = await call('R');
    const c = await call('C');
    const t = await call('T');
    // Written by the outcomes' transactions, sent by nobody yet.
    expect(await rows()).toHaveLength(1 + 2 + 2 + 2 + 1);
    expect(receiver.hits).toHaveLength(0);

    expect(await sender.deliverDue()).toEqual({ delivered: 8, retried: 0, failed: 0 });
    expect(await sender.deliverDue()).toEqual({ delivered: 0, retried: 0, failed: 0 });
    expect(receiver.hits).toHaveLength(8);
    for (const hit of receiver.hits) {
      expect(signatureValid(hit, SECRET)).toBe(true);
      expect(hit.headers['content-type']).toBe('application/json');
      expect(hit.headers['x-esito-event']).toBe(JSON.parse(hit.body).type);
      expect(hit.headers['x-esito-attempt']).toBe('1');
      expect(hit.body).not.toContain('nota riservata');
    }
    expect(new Set(receiver.hits.map((h) => h.headers['x-esito-delivery'])).size).toBe(8);
    const all = receiver.delivered('/all');
    expect(all.map((e) => e.type).sort()).toEqual(
      [
        'outcome.confirmed',
        'outcome.confirmed',
        'callback.scheduled',
        'outcome.confirmed',
        'contract.created',
        'outcome.confirmed',
        'appointment.booked',
      ].sort(),
    );
    const about = { campaignId, campaignCode };
    const confirmed = all.filter((e) => e.type === 'outcome.confirmed');
    expect(confirmed.map((e) => e.data.interactionId).sort()).toEqual(
      [n, r, c, t].map((o) => o.interactionId).sort(),
    );
    expect(confirmed.find((e) => e.data.interactionId === n.interactionId)!.data).toMatchObject({
      ...about,
      status: { id: statuses.N, code: 'NI', type: 'N' },
      customerReached: true,
      contract: null,
    });
    const callback = all.find((e) => e.type === 'callback.scheduled')!;
    expect(callback.data).toMatchObject({
      ...about,
      callback: { id: r.callback.id, dueAt: '2026-12-01T09:00:00.000Z', visibility: 'private' },
    });
    const contract = all.find((e) => e.type === 'contract.created')!;
    expect(contract.data).toMatchObject({
      ...about,
      contract: { id: c.contract.id, protocolNumber: c.contract.protocolNumber, total: '24.40' },
    });
    const booked = all.find((e) => e.type === 'appointment.booked')!;
    expect(booked.data).toMatchObject({
      ...about,
      appointment: {
        id: t.appointment.id,
        agentId,
        agentName: 'Marco Neri',
        startsAt: '2026-12-01T08:00:00.000Z',
      },
    });
    for (const event of all) {
      expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(event.occurredAt).toBe(NOW.toISOString().replace('08:00:00', '08:00:00'));
    }
    expect(receiver.delivered('/contracts').map((e) => e.id)).toEqual([contract.id]);
    const stored = await rows();
    expect(stored.every((d) => d.state === 'delivered' && d.attempts === 1)).toBe(true);
    expect(stored.every((d) => d.lastStatusCode === 200)).toBe(true);
  });

  it('keeps retrying a receiver that is down, with growing waits, and loses nothing', async () => {
    await register('/flaky', ['outcome.confirmed']);
    // Down for the first four attempts of each event.
    receiver.answer = (_path, n) => (n <= 4 * 3 ? 500 : 200);
    await call('N');
    await call('R');
    await call('C');
    const waits: number[] = [];
    for (let round = 0; round < 10; round++) {
      const run = await sender.deliverDue();
      if (run.delivered === 3) break;
      expect(run).toEqual({ delivered: 0, retried: 3, failed: 0 });
      const queued = await rows();
      const next = Math.min(...queued.map((d) => d.nextAttemptAt.getTime()));
      waits.push(next - clock.now().getTime());
      // Not before its time: a run a second early makes no attempt.
      clock.set(new Date(next - 1000));
      expect(await sender.deliverDue()).toEqual({ delivered: 0, retried: 0, failed: 0 });
      clock.set(new Date(Math.max(...queued.map((d) => d.nextAttemptAt.getTime()))));
    }
    expect(waits).toHaveLength(4);
    // 30 s, 1, 2, 4 minutes with jitter: half fixed, half random, never shorter than before.
    expect(waits[0]).toBeGreaterThanOrEqual(15_000);
    for (let i = 1; i < waits.length; i++) expect(waits[i]).toBeGreaterThan(waits[i - 1]! * 1.2);
    expect(receiver.hits).toHaveLength(15);
    expect(receiver.delivered()).toHaveLength(3);
    expect(new Set(receiver.delivered().map((e) => e.id)).size).toBe(3);
    // One attempt sequence per event: one delivery id, attempts 1..5 in order.
    const byDelivery = new Map<string, string[]>();
    for (const hit of receiver.hits) {
      const id = String(hit.headers['x-esito-delivery']);
      byDelivery.set(id, [...(byDelivery.get(id) ?? []), String(hit.headers['x-esito-attempt'])]);
    }
    expect([...byDelivery.values()]).toEqual(Array(3).fill(['1', '2', '3', '4', '5']));
    const stored = await rows();
    expect(stored.map((d) => [d.state, d.attempts, d.lastStatusCode])).toEqual(
      Array(3).fill(['delivered', 5, 200]),
    );
    const log = await http()
      .get(`/api/v1/webhooks/${stored[0]!.endpointId}/deliveries`)
      .set(as(admin))
      .expect(200);
    expect(log.body).toHaveLength(3);
    expect(log.body[0]).toMatchObject({ state: 'delivered', attempts: 5, lastStatusCode: 200 });
  });

  it('times out a receiver that hangs and retries it, without holding up the others', async () => {
    await register('/hang', ['outcome.confirmed']);
    await register('/ok', ['outcome.confirmed']);
    receiver.answer = (path, n) => (path === '/hang' && n === 1 ? 'hang' : 200);
    await call('N');
    const started = Date.now();
    expect(await sender.deliverDue()).toEqual({ delivered: 1, retried: 1, failed: 0 });
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(took).toBeLessThan(TIMEOUT_MS + 3000);
    const ok = receiver.hits.find((h) => h.path === '/ok')!;
    expect(ok.at - started).toBeLessThan(TIMEOUT_MS);
    const hung = (await rows()).find((d) => d.state === 'queued')!;
    expect(hung.lastError).toMatch(/timed out/);
    expect(hung.lastStatusCode).toBeNull();
    clock.set(hung.nextAttemptAt);
    expect(await sender.deliverDue()).toEqual({ delivered: 1, retried: 0, failed: 0 });
    expect(receiver.delivered('/hang')).toHaveLength(1);
    expect(receiver.delivered('/ok')).toHaveLength(1);
  });

  it('pauses an endpoint that keeps failing and tells the admin; resumed, it sends what waited', async () => {
    const id = await register('/down', ['outcome.confirmed']);
    receiver.answer = () => 503;
    await call('N');
    for (let i = 0; i < 20; i++) {
      expect(await sender.deliverDue()).toEqual({ delivered: 0, retried: 1, failed: 0 });
      const [row] = await rows();
      clock.set(row!.nextAttemptAt);
    }
    const endpoint = await db.getRepository(WebhookEndpoint).findOneByOrFail({ id });
    expect(endpoint.pausedAt).not.toBeNull();
    expect(endpoint.consecutiveFailures).toBe(20);
    const audit = await db.getRepository(AuditEntry).findBy({ action: 'webhook.paused' });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.detail).toContain('20 failed attempts in a row');
    expect((await http().get(`/api/v1/webhooks/${id}`).set(as(admin))).body).toMatchObject({
      paused: true,
      pauseReason: expect.stringContaining('20 failed attempts'),
    });
    const page = await http().get('/webhooks').set(as(admin)).expect(200);
    expect(page.text).toContain(`data-webhook-paused="${id}"`);
    // The admins' home page says it too; nobody else's.
    const home = await http().get('/').set(as(admin)).expect(200);
    expect(home.text).toContain('data-home-notice');
    expect(home.text).toContain(receiver.url('/down'));
    const elsewhere = await http().get('/').set(as(backoffice)).expect(200);
    expect(elsewhere.text).not.toContain('data-home-notice');

    // Paused: nothing is tried, however long; events still wait for it.
    clock.advance(6 * 3_600_000);
    await call('N');
    expect(await sender.deliverDue()).toEqual({ delivered: 0, retried: 0, failed: 0 });
    expect(receiver.hits).toHaveLength(20);

    receiver.answer = () => 200;
    await http().post(`/api/v1/webhooks/${id}/resume`).set(as(admin)).expect(200);
    await http().post(`/api/v1/webhooks/${id}/resume`).set(as(admin)).expect(409);
    expect(await sender.deliverDue()).toEqual({ delivered: 2, retried: 0, failed: 0 });
    expect(receiver.delivered()).toHaveLength(2);
    const after = await http().get('/webhooks').set(as(admin)).expect(200);
    expect(after.text).not.toContain('data-webhook-paused');
    expect((await http().get('/').set(as(admin))).text).not.toContain('data-home-notice');
    expect(await db.getRepository(AuditEntry).countBy({ action: 'webhook.resumed' })).toBe(1);
  });

  it('pauses an endpoint failing for 24 hours, however few its attempts', async () => {
    const id = await register('/slow-death', ['outcome.confirmed']);
    receiver.answer = () => 500;
    await call('N');
    await sender.deliverDue();
    clock.advance(24 * 3_600_000 + 1000);
    await call('N');
    await sender.deliverDue();
    const endpoint = await db.getRepository(WebhookEndpoint).findOneByOrFail({ id });
    expect(endpoint.consecutiveFailures).toBeLessThan(20);
    expect(endpoint.pausedAt).not.toBeNull();
  });

  it('forgets deliveries made more than 30 days ago, keeping the failed ones', async () => {
    await register('/old', ['outcome.confirmed']);
    await call('N');
    await call('N');
    await sender.deliverDue();
    const [, second] = await rows();
    await db.getRepository(WebhookDelivery).update({ id: second!.id }, { state: 'failed' });
    clock.advance(30 * 24 * 3_600_000 - 1000);
    expect(await sender.forgetDelivered()).toBe(0);
    clock.advance(2000);
    expect(await sender.forgetDelivered()).toBe(1);
    expect((await rows()).map((d) => d.id)).toEqual([second!.id]);
  });

  it('retries a waiting delivery now when the admin asks', async () => {
    await register('/later', ['outcome.confirmed']);
    receiver.answer = (_path, n) => (n === 1 ? 500 : 200);
    await call('N');
    await sender.deliverDue();
    const [row] = await rows();
    expect(row!.nextAttemptAt.getTime()).toBeGreaterThan(clock.now().getTime());
    expect(await sender.deliverDue()).toEqual({ delivered: 0, retried: 0, failed: 0 });
    const retried = await http()
      .post(`/api/v1/webhooks/deliveries/${row!.id}/retry`)
      .set(as(admin))
      .expect(200);
    expect(retried.body).toMatchObject({ state: 'queued', attempts: 1 });
    expect(await sender.deliverDue()).toEqual({ delivered: 1, retried: 0, failed: 0 });
    await http().post(`/api/v1/webhooks/deliveries/${row!.id}/retry`).set(as(admin)).expect(409);
    await http().post('/api/v1/webhooks/deliveries/999999/retry').set(as(admin)).expect(404);
    // A failed one starts a fresh sequence of attempts.
    await db.getRepository(WebhookDelivery).update({ id: row!.id }, { state: 'failed' });
    const again = await http()
      .post(`/api/v1/webhooks/deliveries/${row!.id}/retry`)
      .set(as(admin))
      .expect(200);
    expect(again.body).toMatchObject({ state: 'queued', attempts: 0 });
  });

  it('sends contract status changes and agenda cancellations, in their transactions', async () => {
    await register('/changes', ['contract.status_changed', 'appointment.cancelled']);
    const c = await call('C');
    const t = await call('T');
    await http()
      .post(`/api/v1/contracts/${c.contract.id}/status`)
      .set(as(backoffice))
      .send({ status: 'verified' })
      .expect(200);
    // A refused change sends nothing.
    await http()
      .post(`/api/v1/contracts/${c.contract.id}/status`)
      .set(as(backoffice))
      .send({ status: 'new' })
      .expect(409);
    const cancelled = await http()
      .post(`/api/v1/appointments/${t.appointment.id}/state`)
      .set(as(backoffice))
      .send({ state: 'cancelled', reason: 'il cliente ha disdetto' });
    expect(cancelled.status).toBeLessThan(300);
    await sender.deliverDue();
    const events = receiver.delivered();
    expect(events.map((e) => e.type)).toEqual(['contract.status_changed', 'appointment.cancelled']);
    expect(events[0]!.data).toMatchObject({
      campaignCode,
      contract: {
        id: c.contract.id,
        protocolNumber: c.contract.protocolNumber,
        from: 'new',
        to: 'verified',
      },
    });
    expect(events[1]!.data).toMatchObject({
      campaignCode,
      appointment: { id: t.appointment.id, agentId, state: 'cancelled' },
    });
    expect(JSON.stringify(events)).not.toContain('disdetto');
  });

  it('sends the callbacks an integration books and an agenda reschedule leaves', async () => {
    await register('/callbacks', ['callback.scheduled', 'appointment.cancelled']);
    await http()
      .put(`/api/v1/campaigns/${campaignId}/callback-offer`)
      .set(as(admin))
      .send({ slotMinutes: 30, leadMinutes: 15, defaultCapacity: 2 })
      .expect(200);
    const ivr = await tokenFor(app, await createUser(app, { role: 'integration' }));
    const booked = await http()
      .post('/api/v1/callback-requests')
      .set(as(ivr))
      .send({ campaignId, phone: '3331000001', name: 'Anna' })
      .expect(201);
    const t = await call('T');
    const moved = await http()
      .post(`/api/v1/appointments/${t.appointment.id}/reschedule`)
      .set(as(backoffice))
      .send({ reason: "l'agente è malato" });
    expect(moved.status).toBeLessThan(300);
    await sender.deliverDue();
    const events = receiver.delivered();
    expect(events.map((e) => e.type)).toEqual([
      'callback.scheduled',
      'appointment.cancelled',
      'callback.scheduled',
    ]);
    expect(events[0]!.data).toMatchObject({
      campaignCode,
      callback: { dueAt: new Date(booked.body.slotStart as string).toISOString() },
    });
    expect(events[1]!.data).toMatchObject({
      appointment: { id: t.appointment.id, state: 'reschedule' },
    });
    expect(events[2]!.data).toMatchObject({
      callback: { id: (moved.body as { callbackId: number }).callbackId },
    });
    expect(JSON.stringify(events)).not.toContain('malato');
  });

  it('costs the outcome one statement with an endpoint and none without', async () => {
    const n = async () => {
      await createContact(app, campaignId, { province: 'MI' });
      const next = await http()
        .post('/api/v1/work/next')
        .set(as(operator.token))
        .send({ campaignId })
        .expect(200);
      clock.advance(60_000);
      const { sql } = await statementsOf(app, () =>
        http()
          .post(`/api/v1/work/${next.body.contact.id}/outcome`)
          .set(as(operator.token))
          .send(BODIES.N())
          .expect(201),
      );
      return sql;
    };
    await n();
    await n();
    const without = await n();
    expect(without.join('\n')).not.toMatch(/webhook_deliveries/);
    // Another instance's registration rewrites the stamp the outcome reads: seen at once.
    await db.getRepository(WebhookEndpoint).insert({
      url: receiver.url('/elsewhere'),
      events: ',outcome.confirmed,',
      secret: SECRET,
      active: true,
      pausedAt: null,
      pauseReason: null,
      consecutiveFailures: 0,
      failingSince: null,
      createdBy: null,
    });
    await n();
    const withOne = await n();
    expect(withOne.filter((s) => /webhook_deliveries/.test(s))).toHaveLength(1);
    expect(withOne.length).toBe(without.length + 1);
    expect(await rows()).toHaveLength(2);
    // An endpoint for other events only: the outcome's INSERT is skipped again.
    await db
      .getRepository(WebhookEndpoint)
      .update({ url: receiver.url('/elsewhere') }, { events: ',contract.created,' });
    await n();
    expect((await n()).length).toBe(without.length);
  });

  it('fills the follow-up e-mail with the protocol number, the appointment and the callback', async () => {
    const template = (status: keyof typeof statuses, body: string) =>
      http()
        .post('/api/v1/follow-up-templates')
        .set(as(admin))
        .send({ statusId: statuses[status], language: 'it', subject: 'Esito', body })
        .expect(201);
    await template('C', 'Contratto n. {{contract.protocolNumber}}, totale {{contract.total}}');
    await template('T', 'Appuntamento {{appointment.at}} con {{appointment.agent}}');
    await template('R', 'La richiameremo {{callback.at}}{{#if contract.protocolNumber}}!{{/if}}');
    const c = await call('C', { email: 'c@example.com', language: 'it' });
    await call('T', { email: 't@example.com', language: 'it' });
    await call('R', { email: 'r@example.com', language: 'it' });
    const bodies = (await db.getRepository(FollowUpEmail).find({ order: { id: 'ASC' } })).map(
      (e) => e.body,
    );
    expect(bodies).toEqual([
      `Contratto n. ${c.contract.protocolNumber}, totale 24,40\u00a0€`,
      'Appuntamento mar 01/12/2026, 09:00 con Marco Neri',
      'La richiameremo mar 01/12/2026, 10:00',
    ]);
    // An unknown fact is still refused, naming the field.
    const bad = await http()
      .post('/api/v1/follow-up-templates')
      .set(as(admin))
      .send({ statusId: statuses.N, language: 'it', subject: 'x', body: '{{contract.iban}}' })
      .expect(400);
    expect(String(bad.body.message)).toMatch(/^body/);
    const preview = await http()
      .post('/api/v1/follow-up-templates/preview')
      .set(as(admin))
      .send({ subject: 'n. {{contract.protocolNumber}}', body: '{{appointment.agent}}' })
      .expect(200);
    expect(preview.body).toMatchObject({ subject: 'n. 2026/000123', text: 'Marco Neri' });
  });

  describe('with another instance (MySQL)', () => {
    let other: AppInstance;
    beforeAll(async () => {
      if (!MYSQL) return;
      const { startAppWorker } = await import('../support/app-worker');
      other = await startAppWorker();
    });
    afterAll(async () => {
      if (other) await other.close();
    });
    // SQLite is one process's file: a second instance is a MySQL matter.
    const mysqlIt = (name: string, fn: () => Promise<void>) =>
      (MYSQL ? it : it.skip)(name, async () => {
        await other.setClock(NOW);
        await fn();
      });

    mysqlIt('delivers each event once with two instances sending at once', async () => {
      await register('/twice', ['outcome.confirmed', 'callback.scheduled']);
      for (let i = 0; i < 8; i++) await call(i % 2 === 0 ? 'N' : 'R');
      // An instance that died mid-delivery left this one claimed until a minute ago.
      const [first] = await rows();
      await db.getRepository(WebhookDelivery).update(
        { id: first!.id },
        {
          state: 'sending',
          attempts: 1,
          claimedBy: 'dead',
          claimUntil: new Date(NOW.getTime() - 60_000),
        },
      );
      const [mine, theirs] = await Promise.all([sender.deliverDue(), other.deliverWebhooks()]);
      expect(mine.delivered + theirs.delivered).toBe(12);
      expect(mine.retried + theirs.retried + mine.failed + theirs.failed).toBe(0);
      expect(receiver.hits).toHaveLength(12);
      expect(new Set(receiver.hits.map((h) => h.headers['x-esito-delivery'])).size).toBe(12);
      expect(new Set(receiver.delivered().map((e) => e.id)).size).toBe(12);
      expect((await rows()).find((d) => d.id === first!.id)).toMatchObject({
        state: 'delivered',
        attempts: 2,
      });
      expect(await sender.deliverDue()).toEqual({ delivered: 0, retried: 0, failed: 0 });
    });

    mysqlIt('an endpoint registered on the other instance gets the next outcome', async () => {
      // This instance has learnt that no endpoint exists.
      await call('N');
      await call('N');
      await request(other.baseUrl)
        .post('/api/v1/webhooks')
        .set(as(admin))
        .send({ url: receiver.url('/other'), events: ['outcome.confirmed'], secret: SECRET })
        .expect(201);
      await call('N');
      expect(await rows()).toHaveLength(1);
      await other.deliverWebhooks();
      expect(receiver.delivered('/other')).toHaveLength(1);
    });
  });
});
