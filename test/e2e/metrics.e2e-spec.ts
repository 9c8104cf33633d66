import { get, type IncomingMessage } from 'node:http';
import { NestExpressApplication } from '@nestjs/platform-express';
import { createConnection } from 'mysql2/promise';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { CampaignOperator } from '../../src/campaigns/campaign-operator.entity';
import type { Campaign } from '../../src/campaigns/campaign.entity';
import {
  onTransactionConflict,
  retriedTransaction,
} from '../../src/common/database/retried-transaction';
import { JobRunner } from '../../src/common/jobs/job-runner';
import { Clock } from '../../src/common/time/clock';
import { FollowUpEmail } from '../../src/follow-ups/follow-up-email.entity';
import { WORKLOAD_TTL_MS } from '../../src/metrics/workload-figures';
import type { OutcomeStatus } from '../../src/outcome-statuses/outcome-status.entity';
import { WorkJobs } from '../../src/work/work.jobs';
import { createCallback } from '../factories/callback.factory';
import { createCampaign, createStatus } from '../factories/catalogue.factory';
import { createContact } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';

const TOKEN = 'metrics-token-for-the-tests-0123456789';
const scraper = { Authorization: `Bearer ${TOKEN}` };

/** One sample of a scrape: `name{labels} value`. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function samples(text: string): Sample[] {
  const found: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
      labels[pair[1]!] = pair[2]!;
    found.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return found;
}

/** The value of the sample of `name` whose labels include `labels` (undefined: no such sample). */
function valueOf(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  return samples(text).find(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  )?.value;
}

describe('GET /metrics (Prometheus)', () => {
  let app: NestExpressApplication;
  let db: DataSource;
  let clock: Clock;
  let campaign: Campaign;
  let status: OutcomeStatus;
  let operator: { id: number; token: string };
  let removeSqliteData: () => void;
  let resetDatabase: (app: NestExpressApplication) => Promise<void>;
  const http = () => request(app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const NOW = new Date('2026-03-10T10:00:00Z');

  async function scrape(): Promise<string> {
    const res = await http().get('/metrics').set(scraper).expect(200);
    return res.text;
  }

  async function newOperator(): Promise<{ id: number; token: string }> {
    const user = await createUser(app, { role: 'operator' });
    return { id: user.id, token: await tokenFor(app, user) };
  }

  beforeAll(async () => {
    // The app reads its configuration when AppModule loads.
    process.env.METRICS_TOKEN = TOKEN;
    const support = await import('../support/test-app');
    removeSqliteData = support.removeSqliteData;
    resetDatabase = support.resetDatabase;
    app = await support.createTestApp();
    db = app.get(DataSource);
    clock = app.get(Clock);
  });
  beforeEach(async () => {
    clock.set(NOW);
    await resetDatabase(app);
    operator = await newOperator();
    status = await createStatus(app, { code: 'NI', label: 'Non interessato', type: 'N' });
    campaign = await createCampaign(
      app,
      { code: 'ENERGIA' },
      { statusIds: [status.id], operatorIds: [operator.id] },
    );
  });
  afterAll(async () => {
    clock.set(null);
    await app.close();
    delete process.env.METRICS_TOKEN;
    removeSqliteData();
  });

  it('answers 401 without the token or with a wrong one, and starts no session', async () => {
    const none = await http().get('/metrics').expect(401);
    expect(none.body).toEqual({
      statusCode: 401,
      message: expect.stringContaining('METRICS_TOKEN') as string,
    });
    expect(none.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    await http().get('/metrics').set('Authorization', `Bearer ${TOKEN}x`).expect(401);
    await http()
      .get('/metrics')
      .set('Authorization', `Bearer ${TOKEN.slice(0, -1)}`)
      .expect(401);
    await http().get('/metrics').set('Authorization', TOKEN).expect(401);
    // A user's API token opens the API, not the metrics.
    await http().get('/metrics').set(as(operator.token)).expect(401);

    const ok = await http().get('/metrics').set(scraper).expect(200);
    expect(ok.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(ok.headers['set-cookie']).toBeUndefined();
  });

  it('writes every family in the text format, with the process figures', async () => {
    const text = await scrape();
    for (const [family, type] of [
      ['esito_http_request_duration_seconds', 'histogram'],
      ['esito_db_pool_connections', 'gauge'],
      ['esito_db_pool_waiting', 'gauge'],
      ['esito_transaction_retries_total', 'counter'],
      ['esito_transaction_conflicts_given_up_total', 'counter'],
      ['esito_job_runs_total', 'counter'],
      ['esito_job_duration_seconds', 'histogram'],
      ['esito_job_lag_seconds', 'histogram'],
      ['esito_job_last_success_timestamp_seconds', 'gauge'],
      ['esito_leases_held', 'gauge'],
      ['esito_queue_contacts', 'gauge'],
      ['esito_callbacks_due', 'gauge'],
      ['esito_outbox_messages', 'gauge'],
      ['esito_outbox_oldest_due_seconds', 'gauge'],
      ['esito_sse_connections', 'gauge'],
      ['process_cpu_user_seconds_total', 'counter'],
      ['process_resident_memory_bytes', 'gauge'],
      ['nodejs_eventloop_lag_seconds', 'gauge'],
    ]) {
      expect(text).toContain(`# TYPE ${family} ${type}\n`);
      expect(text).toMatch(new RegExp(`^# HELP ${family} \\S`, 'm'));
    }
    // The pool's limit: DATABASE_POOL_SIZE connections on MySQL, SQLite's one.
    const max = valueOf(text, 'esito_db_pool_connections', { state: 'max' });
    expect(max).toBe(db.options.type === 'better-sqlite3' ? 1 : 10);
    expect(valueOf(text, 'esito_transaction_retries_total', { reason: 'deadlock' })).toBe(0);
  });

  it('times next and the outcome under their route templates, never a URL with its id', async () => {
    const routeCount = (text: string, route: string, method: string, code: string) =>
      valueOf(text, 'esito_http_request_duration_seconds_count', {
        route,
        method,
        status: code,
      }) ?? 0;
    const outcomeRoute = '/api/v1/work/:contactId/outcome';
    const before = await scrape();
    const contact = await createContact(app, campaign.id);

    const taken = await http()
      .post('/api/v1/work/next')
      .set(as(operator.token))
      .send({ campaignId: campaign.id })
      .expect(200);
    expect((taken.body as { contact: { id: number } }).contact.id).toBe(contact.id);
    await http()
      .post(`/api/v1/work/${contact.id}/outcome`)
      .set(as(operator.token))
      .send({ statusId: status.id })
      .expect(201);
    // The same route refusing: the outcome is confirmed already.
    await http()
      .post(`/api/v1/work/${contact.id}/outcome`)
      .set(as(operator.token))
      .send({ statusId: status.id })
      .expect(409);
    await http().get(`/api/v1/no-such-thing/${contact.id}`).set(as(operator.token)).expect(404);

    const after = await scrape();
    expect(routeCount(after, '/api/v1/work/next', 'POST', '200')).toBe(
      routeCount(before, '/api/v1/work/next', 'POST', '200') + 1,
    );
    expect(routeCount(after, outcomeRoute, 'POST', '201')).toBe(
      routeCount(before, outcomeRoute, 'POST', '201') + 1,
    );
    expect(routeCount(after, outcomeRoute, 'POST', '409')).toBe(
      routeCount(before, outcomeRoute, 'POST', '409') + 1,
    );
    expect(routeCount(after, 'unmatched', 'GET', '404')).toBe(
      routeCount(before, 'unmatched', 'GET', '404') + 1,
    );
    // The time is there too, and it is a time: above zero, well under a minute.
    const sum = valueOf(after, 'esito_http_request_duration_seconds_sum', {
      route: outcomeRoute,
      status: '201',
    });
    expect(sum).toBeGreaterThan(0);
    expect(sum).toBeLessThan(60);

    const routes = new Set(
      samples(after)
        .filter((s) => s.name.startsWith('esito_http_request_duration_seconds'))
        .map((s) => s.labels.route),
    );
    expect(routes).toContain(outcomeRoute);
    for (const route of routes) expect(route).not.toMatch(/\/\d+(\/|$)/);
    expect(after).not.toContain(`/${contact.id}/`);
    expect(after).not.toContain('no-such-thing');
  });

  it('counts a scheduled job’s runs by outcome and times them', async () => {
    const runs = (text: string, job: string, outcome: string) =>
      valueOf(text, 'esito_job_runs_total', { job, outcome }) ?? 0;
    const before = await scrape();
    // The lease job's own tick, as its timer calls it.
    await app.get(WorkJobs).releaseExpiredLeases();
    await app
      .get(JobRunner)
      .run('metrics-test-job', () => Promise.reject(new Error('the SMTP server is down')));
    const after = await scrape();

    expect(runs(after, 'lease-expiry', 'done')).toBe(runs(before, 'lease-expiry', 'done') + 1);
    expect(runs(after, 'metrics-test-job', 'failed')).toBe(1);
    expect(
      valueOf(after, 'esito_job_duration_seconds_count', { job: 'lease-expiry' }),
    ).toBeGreaterThanOrEqual(1);
    const lastSuccess = valueOf(after, 'esito_job_last_success_timestamp_seconds', {
      job: 'lease-expiry',
    });
    expect(lastSuccess).toBeGreaterThan(Date.now() / 1000 - 60);
    // The tests stop the jobs' timers: a run off the schedule has no lag to measure.
    expect(valueOf(after, 'esito_job_lag_seconds_count', { job: 'lease-expiry' })).toBeUndefined();
  });

  it('shows an open event stream in the gauge until it is closed', async () => {
    const server = app.getHttpServer();
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, resolve));
    const port = (server.address() as { port: number }).port;
    const coordinatorUser = await createUser(app, { role: 'coordinator' });
    const coordinator = await tokenFor(app, coordinatorUser);
    const stream = '/api/v1/monitor/stream';
    const open = () => scrape().then((t) => valueOf(t, 'esito_sse_connections', { stream }) ?? 0);
    const until = async (test: (n: number) => boolean): Promise<number> => {
      const deadline = Date.now() + 5000;
      for (;;) {
        const n = await open();
        if (test(n) || Date.now() > deadline) return n;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const before = await open();

    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      get(
        `http://127.0.0.1:${port}${stream}?campaignId=${campaign.id}`,
        { headers: { Authorization: `Bearer ${coordinator}`, Accept: 'text/event-stream' } },
        resolve,
      ).on('error', reject);
    });
    expect(response.statusCode).toBe(200);
    expect(await until((n) => n === before + 1)).toBe(before + 1);

    response.destroy();
    expect(await until((n) => n === before)).toBe(before);
    // A stream is not a request with a latency: it stays out of the histogram.
    expect(await scrape()).not.toContain(`route="${stream}"`);
  });

  it('reads leases, queues, due callbacks and the outbox when scraped, kept five seconds', async () => {
    const other = await newOperator();
    await db.getRepository(CampaignOperator).insert({ campaignId: campaign.id, userId: other.id });
    const contacts = [
      await createContact(app, campaign.id),
      await createContact(app, campaign.id),
      await createContact(app, campaign.id),
      // Waiting for its retry in an hour: still to call, not dispatched now.
      await createContact(app, campaign.id, {
        state: 'retry',
        nextCallAt: new Date(NOW.getTime() + 3600_000),
      }),
    ];
    // Due callbacks private to an operator who is not working now, so that `next` keeps to
    // the new contacts; one not due yet.
    const absent = await createUser(app, { role: 'operator' });
    const privateTo = { visibility: 'private' as const, ownerId: absent.id };
    await createCallback(app, campaign.id, {
      ...privateTo,
      dueAt: new Date(NOW.getTime() - 60_000),
    });
    await createCallback(app, campaign.id, {
      ...privateTo,
      dueAt: new Date(NOW.getTime() + 3600_000),
    });
    const email = (state: FollowUpEmail['state'], nextAttemptAt: Date) => ({
      contactId: contacts[0]!.id,
      campaignId: campaign.id,
      statusId: status.id,
      toAddress: 'cliente@example.com',
      subject: 'Grazie',
      body: 'Grazie della telefonata',
      state,
      nextAttemptAt,
    });
    await db
      .getRepository(FollowUpEmail)
      .insert([
        email('queued', new Date(NOW.getTime() - 90_000)),
        email('queued', new Date(NOW.getTime() + 600_000)),
        email('sending', NOW),
        email('sent', NOW),
      ]);
    await http()
      .post('/api/v1/work/next')
      .set(as(operator.token))
      .send({ campaignId: campaign.id })
      .expect(200);
    // Whatever an earlier scrape kept has lapsed.
    await new Promise((resolve) => setTimeout(resolve, WORKLOAD_TTL_MS));

    const first = await scrape();
    const code = { campaign: 'ENERGIA' };
    expect(valueOf(first, 'esito_leases_held', code)).toBe(1);
    expect(valueOf(first, 'esito_queue_contacts', { ...code, state: 'new' })).toBe(2);
    expect(valueOf(first, 'esito_queue_contacts', { ...code, state: 'retry' })).toBe(1);
    expect(valueOf(first, 'esito_callbacks_due', code)).toBe(1);
    expect(valueOf(first, 'esito_outbox_messages', { state: 'queued' })).toBe(2);
    expect(valueOf(first, 'esito_outbox_messages', { state: 'sending' })).toBe(1);
    expect(valueOf(first, 'esito_outbox_oldest_due_seconds')).toBe(90);

    // A second operator takes a contact: the next scrape within five seconds shows the kept
    // figures (many scrapers, one read), the one after that the new ones.
    await http()
      .post('/api/v1/work/next')
      .set(as(other.token))
      .send({ campaignId: campaign.id })
      .expect(200);
    expect(valueOf(await scrape(), 'esito_leases_held', code)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, WORKLOAD_TTL_MS));
    const later = await scrape();
    expect(valueOf(later, 'esito_leases_held', code)).toBe(2);
    expect(valueOf(later, 'esito_queue_contacts', { ...code, state: 'new' })).toBe(1);
    expect(valueOf(later, 'esito_queue_contacts', { ...code, state: 'retry' })).toBe(1);
  }, 30_000);

  it('shows the transaction holding the pool, and one queued behind it on SQLite', async () => {
    const sqlite = db.options.type === 'better-sqlite3';
    let release: () => void = () => undefined;
    const held = db.transaction(async (em) => {
      await em.query('SELECT 1');
      await new Promise<void>((resolve) => (release = resolve));
    });
    // SQLite runs one transaction at a time: this one waits for the first.
    const queued = sqlite ? db.transaction((em) => em.query('SELECT 1')) : Promise.resolve();
    await new Promise((resolve) => setTimeout(resolve, 50));
    try {
      const text = await scrape();
      expect(
        valueOf(text, 'esito_db_pool_connections', { state: 'in_use' }),
      ).toBeGreaterThanOrEqual(1);
      if (sqlite) expect(valueOf(text, 'esito_db_pool_waiting')).toBe(1);
    } finally {
      release();
      await held;
      await queued;
    }
    const idle = await scrape();
    expect(valueOf(idle, 'esito_db_pool_waiting')).toBe(0);
    if (sqlite) expect(valueOf(idle, 'esito_db_pool_connections', { state: 'in_use' })).toBe(0);
  });

  it('counts a transaction that lost a lock wait and was started again', async () => {
    const sqlite = db.options.type === 'better-sqlite3';
    const retries = (text: string) =>
      valueOf(text, 'esito_transaction_retries_total', {
        reason: sqlite ? 'busy' : 'lock_wait_timeout',
      }) ?? 0;
    const before = await scrape();
    const holder = await lockHolder(db, operator.id);
    // The holder lets go as soon as the first try has lost: the second one then gets the row.
    const stop = onTransactionConflict(() => void holder.release());
    let tries = 0;
    try {
      await retriedTransaction(db, async (em) => {
        tries += 1;
        if (sqlite) {
          await em.query('UPDATE users SET display_name = display_name WHERE id = ?', [
            operator.id,
          ]);
          return;
        }
        await em.query('SET SESSION innodb_lock_wait_timeout = 1');
        try {
          await em.query('SELECT id FROM users WHERE id = ? FOR UPDATE', [operator.id]);
        } finally {
          await em.query('SET SESSION innodb_lock_wait_timeout = DEFAULT');
        }
      });
    } finally {
      stop();
      await holder.release();
    }
    expect(tries).toBe(2);
    expect(retries(await scrape())).toBe(retries(before) + 1);
  });

  it('is not there (404) when METRICS_TOKEN is not set', async () => {
    delete process.env.METRICS_TOKEN;
    try {
      await jest.isolateModulesAsync(async () => {
        const support = await import('../support/test-app');
        const plain = await support.createTestApp();
        try {
          await request(plain.getHttpServer()).get('/metrics').set(scraper).expect(404);
          // Nor is anything measured on the way.
          await request(plain.getHttpServer()).get('/health').expect(200);
        } finally {
          await plain.close();
        }
      });
    } finally {
      process.env.METRICS_TOKEN = TOKEN;
    }
  });
});

/**
 * Another connection holding the write lock on a user's row (MySQL: FOR UPDATE) or on the
 * whole SQLite file (BEGIN IMMEDIATE), until released.
 */
async function lockHolder(db: DataSource, userId: number): Promise<{ release(): Promise<void> }> {
  if (db.options.type === 'better-sqlite3') {
    const other = await new DataSource({
      type: 'better-sqlite3',
      database: db.options.database,
    }).initialize();
    await other.query('BEGIN IMMEDIATE');
    // The app's connection gives up quickly instead of after its usual 5 s.
    await db.query('PRAGMA busy_timeout = 200');
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        await other.query('COMMIT');
        await other.destroy();
        await db.query('PRAGMA busy_timeout = 5000');
      },
    };
  }
  const connection = await createConnection(process.env.DATABASE_URL!);
  await connection.query('START TRANSACTION');
  await connection.query('SELECT id FROM users WHERE id = ? FOR UPDATE', [userId]);
  let released: Promise<void> | null = null;
  return {
    release: () => (released ??= connection.query('COMMIT').then(() => connection.end())),
  };
}
