/**
 * `npm run bench` (second half; `BENCH_ONLY=work` for this one alone): the operator's
 * workstation on a booted application, over HTTP.
 *
 *   1. dispatch latency: POST /api/v1/work/next on a campaign of 10,000 contacts and on one
 *      of 1,000,000 (bulk-loaded with raw multi-row INSERTs: mixed languages, background
 *      rows already worked, retries and callbacks waiting in the future, and the same
 *      number of due callbacks and retries in both), p50/p99 and the ratio of the p99s
 *      (target <= 1.5), plus the EXPLAIN / ANALYZE of every queue query the app sent on the
 *      big campaign (captured from TypeORM's logger, so whatever DispatchService builds), and
 *      whether due public callbacks were served before due retries and new contacts;
 *   2. confirm throughput: the outcome alone (target ratio >= 0.5): in rounds, BENCH_DESKS
 *      operators each take a contact (untimed), then 8 at a time confirm them over HTTP
 *      (timed), against raw mysql2 doing the outcome's locks, inserts and updates on a pool
 *      of the same size; beside it the whole loop next -> outcome on both sides, and the
 *      floor of any authenticated API call on this machine (a read and a 204);
 *   3. the peak RSS of each phase, the load average, the statements one next and one outcome
 *      send, and the Node and database CPU per confirm on each side.
 *
 * BENCH_DATABASE_URL (default mysql://root@127.0.0.1:3306/esito_bench_work) is dropped and
 * created again. BENCH_BIG_CONTACTS, BENCH_SAMPLES, BENCH_CONFIRMS, BENCH_LATENCY_OPERATORS,
 * BENCH_CONFIRM_OPERATORS and BENCH_DESKS make it smaller or larger. BENCH_CPU_PROFILE=<dir>
 * adds one profiled round of the confirm and of the floor (scripts/cpu-profile.ts): where
 * their CPU goes, by layer, and a .cpuprofile of each in <dir>. Figures, not a test: it never
 * asserts a timing.
 */
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { NestFactory } from '@nestjs/core';
import { createConnection, createPool } from 'mysql2/promise';
import { profiled } from './cpu-profile';
import type { Connection, PoolConnection, RowDataPacket } from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import {
  configureBenchEnvironment,
  cpuMs,
  databaseCpuMeter,
  expectStatus,
  Http,
  load,
  mb,
  MemorySampler,
  percentile,
  recreateDatabase,
  summary,
} from './bench-support';

const URL_TEXT = process.env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/esito_bench_work';
const SMALL_CONTACTS = 10_000;
const BIG_CONTACTS = Number(process.env.BENCH_BIG_CONTACTS ?? 1_000_000);
/** Timed `next` calls per campaign. */
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 2_000);
const LATENCY_OPERATORS = Number(process.env.BENCH_LATENCY_OPERATORS ?? 4);
const CONFIRMS = Number(process.env.BENCH_CONFIRMS ?? 3_000);
const CONFIRM_OPERATORS = Number(process.env.BENCH_CONFIRM_OPERATORS ?? 8);
/** Operators holding one contact each when a round of confirms starts. */
const DESKS = Number(process.env.BENCH_DESKS ?? 100);
const PROFILE_DIR = process.env.BENCH_CPU_PROFILE ?? '';
/** The two campaigns alternate in blocks, so a burst of noise lands on both alike. */
const BLOCK = 250;
/** Untimed next + discard per operator and campaign (discard keeps the queues as they are). */
const WARM_UP = 40;
const INSERT_ROWS = 5_000;
/** Due items, the same number in both campaigns (they are served first). */
const DUE_RETRIES = 200;
const DUE_PUBLIC_CALLBACKS = 100;
const DUE_PRIVATE_CALLBACKS_PER_OPERATOR = 20;
const PASSWORD = 'bench-operator-password';
const NOTES = 'Non interessato: ha già un contratto, non richiamare prima di un anno.';

/** Operator i speaks LANGUAGE_SETS[i % n]; contacts speak it / en / fr (nobody) / none. */
const LANGUAGE_SETS: string[][] = [['it'], ['en', 'it'], [], ['it', 'en']];
const CONTACT_LANGUAGES: Array<string | null> = [
  ...Array<string>(12).fill('it'),
  ...Array<string>(3).fill('en'),
  ...Array<string>(2).fill('fr'),
  ...Array<null>(3).fill(null),
];
const FIRST_NAMES = ['Maria', 'Giuseppe', 'Anna', 'Giovanni', 'Francesca', 'Antonio', 'Giulia'];
const LAST_NAMES = ['Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano', "D'Angelo"];
const PLACES: Array<[string, string]> = [
  ['Milano', 'MI'],
  ['Roma', 'RM'],
  ['Napoli', 'NA'],
  ['Torino', 'TO'],
  ['Forlì', 'FC'],
];
const PREFIXES = [320, 328, 329, 333, 338, 340, 345, 347, 348, 349, 366, 380, 389, 393];

type Row = Array<string | number | Date | null>;
type DueKind = 'retry' | 'public' | 'private';
type SampleKind = 'private callback' | 'public callback' | 'retry' | 'new';

interface Operator {
  id: number;
  username: string;
  languages: string[];
  token: string;
}

interface CampaignSetup {
  id: number;
  label: string;
  contacts: number;
  firstContactId: number;
  dueRetryIds: Set<number>;
}

// ---------------------------------------------------------------- measuring

/** Statements per confirm of the raw loop (two transactions, BEGIN and COMMIT included). */
const RAW_STATEMENTS = 5 + 8;
/** Statements of the raw confirm alone (one transaction, BEGIN and COMMIT included). */
const RAW_CONFIRM_STATEMENTS = 8;

/** "SELECT contacts, INSERT contact_leases, ...": what a list of statements does, briefly. */
function describeStatements(statements: string[]): string {
  return statements
    .map((sql) => {
      const verb = sql.trim().split(/\s+/)[0]!.toUpperCase();
      const table = /(?:FROM|INTO|UPDATE)\s+`?(\w+)`?/i.exec(sql)?.[1];
      const lock = /SKIP LOCKED/.test(sql)
        ? ' skip-locked'
        : /FOR UPDATE/.test(sql)
          ? ' for-update'
          : '';
      return table ? `${verb} ${table}${lock}` : verb;
    })
    .join(', ');
}

/** The dispatch's queue reads (the lease job's own SKIP LOCKED read is not one). */
const QUEUE_QUERY = /FROM `(contacts|callbacks)`[\s\S]*SKIP LOCKED/;

interface ExplainedQuery {
  sql: string;
  params: unknown[];
  lines: string[];
}

/**
 * Counts the statements the app sends and, while `target` is set, keeps every new queue
 * query (the `SKIP LOCKED` ones) with its parameters, to EXPLAIN it later: the SQL the
 * service really generates, whatever its current shape.
 */
class SqlWatch {
  count = 0;
  target = false;
  /** When set, every statement sent is appended here. */
  log: string[] | null = null;
  readonly explained: ExplainedQuery[] = [];
  private readonly seen = new Set<string>();
  private pending: Array<{ sql: string; params: unknown[] }> = [];

  constructor(dataSource: DataSource) {
    const logger = dataSource.logger;
    const logQuery = logger.logQuery.bind(logger);
    logger.logQuery = (query, parameters, runner) => {
      this.count++;
      this.log?.push(query);
      if (this.target && QUEUE_QUERY.test(query) && !this.seen.has(query)) {
        this.seen.add(query);
        this.pending.push({ sql: query, params: parameters ?? [] });
      }
      logQuery(query, parameters, runner);
    };
  }

  async explainPending(db: Connection): Promise<void> {
    const pending = this.pending.splice(0);
    for (const { sql, params } of pending) {
      const lines: string[] = [];
      const [rows] = await db.query<RowDataPacket[]>(`EXPLAIN ${sql}`, params);
      for (const row of rows) {
        lines.push(
          `EXPLAIN: table ${row.table} type ${row.type} key ${row.key} key_len ${row.key_len} rows ${row.rows} Extra "${row.Extra ?? ''}"`,
        );
      }
      const [version] = await db.query<RowDataPacket[]>('SELECT VERSION() AS v');
      if (/mariadb/i.test(String(version[0]?.v))) {
        // ANALYZE runs the statement (autocommit: its row locks end with it), counting rows.
        const [analyzed] = await db.query<RowDataPacket[]>(`ANALYZE ${sql}`, params);
        for (const row of analyzed) {
          lines.push(
            `ANALYZE: r_rows ${row.r_rows} (estimate ${row.rows}), r_filtered ${row.r_filtered}%`,
          );
        }
      }
      this.explained.push({ sql, params, lines });
    }
  }
}

interface WorkItemBody {
  contact: { id: number };
  callback: { id: number; visibility: string } | null;
}

// ---------------------------------------------------------------- data

function phoneOf(i: number): string {
  const prefix = PREFIXES[i % PREFIXES.length]!;
  // 7919 is prime: i -> i * 7919 mod 10^7 is a permutation, so phones never repeat.
  const subscriber = String((Math.floor(i / PREFIXES.length) * 7919) % 10_000_000).padStart(7, '0');
  return `+39${prefix}${subscriber}`;
}

/** Spread `count` positions over `n` rows, shifted so that the three due kinds never meet. */
function duePositions(n: number, count: number, shift: number): number[] {
  return Array.from({ length: count }, (_, j) => Math.floor((j * n) / count) + shift);
}

/**
 * Contacts of a campaign with explicit ids (so callbacks can point at them): mostly new,
 * 10% already final, 2% done, 2% retries due in the future, 1% with a callback in the
 * future, plus the due retries and due callbacks, which are the same number in every
 * campaign. Multi-row INSERTs of INSERT_ROWS; the next batch is built while one is sent.
 */
async function loadCampaign(
  db: Connection,
  campaign: CampaignSetup,
  owners: Operator[],
  latencyOwners: Operator[],
): Promise<{ contacts: number; callbacks: number }> {
  const n = campaign.contacts;
  const now = Date.now();
  const due = new Map<number, DueKind>();
  for (const i of duePositions(n, DUE_RETRIES, 1)) due.set(i, 'retry');
  for (const i of duePositions(n, DUE_PUBLIC_CALLBACKS, 2)) due.set(i, 'public');
  const privateCount = DUE_PRIVATE_CALLBACKS_PER_OPERATOR * latencyOwners.length;
  for (const i of duePositions(n, privateCount, 3)) due.set(i, 'private');
  if (due.size !== DUE_RETRIES + DUE_PUBLIC_CALLBACKS + privateCount) {
    throw new Error('due positions collide: change the shifts');
  }
  const contactColumns =
    'id, campaign_id, first_name, last_name, phone, email, language, city, province, state, attempts, last_outcome_at, next_call_at';
  const callbackColumns =
    'contact_id, campaign_id, owner_id, visibility, state, due_at, notes, reason';
  const contacts: Row[] = [];
  const callbacks: Row[] = [];
  let privateSeen = 0;
  let callbacksWritten = 0;
  let pending: Promise<unknown> = Promise.resolve();
  const flush = async (force: boolean) => {
    if (contacts.length < INSERT_ROWS && !force) return;
    const contactRows = contacts.splice(0);
    const callbackRows = callbacks.splice(0);
    callbacksWritten += callbackRows.length;
    await pending;
    pending = (async () => {
      if (contactRows.length)
        await db.query(`INSERT INTO contacts (${contactColumns}) VALUES ?`, [contactRows]);
      if (callbackRows.length)
        await db.query(`INSERT INTO callbacks (${callbackColumns}) VALUES ?`, [callbackRows]);
    })();
  };
  for (let i = 0; i < n; i++) {
    const id = campaign.firstContactId + i;
    const [city, province] = PLACES[i % PLACES.length]!;
    const firstName = FIRST_NAMES[i % FIRST_NAMES.length]!;
    const lastName = LAST_NAMES[(i * 3) % LAST_NAMES.length]!;
    const email = i % 2 === 0 ? `cliente${i}@example.it` : null;
    const language = CONTACT_LANGUAGES[(i * 7) % CONTACT_LANGUAGES.length]!;
    let state = 'new';
    let attempts = 0;
    let lastOutcomeAt: Date | null = null;
    let nextCallAt: Date | null = null;
    const kind = due.get(i);
    const background = (i * 37) % 100;
    if (kind === 'retry') {
      state = 'retry';
      attempts = 1;
      lastOutcomeAt = new Date(now - 3 * 3_600_000);
      nextCallAt = new Date(now - 60_000 - (i % 3_600) * 1000);
      campaign.dueRetryIds.add(id);
    } else if (kind === 'public' || kind === 'private') {
      state = 'callback';
      attempts = 1;
      lastOutcomeAt = new Date(now - 86_400_000);
      const owner =
        kind === 'private'
          ? latencyOwners[privateSeen++ % latencyOwners.length]!
          : owners[i % owners.length]!;
      callbacks.push([
        id,
        campaign.id,
        owner.id,
        kind,
        // Both states a waiting callback can be in; the job moves scheduled to due.
        i % 2 === 0 ? 'due' : 'scheduled',
        new Date(now - 30_000 - (i % 7_200) * 1000),
        'Richiamare dopo le 18, chiede del marito',
        'Richiamare',
      ]);
    } else if (background < 10) {
      state = 'final';
      attempts = 1 + (i % 3);
      lastOutcomeAt = new Date(now - (1 + (i % 30)) * 86_400_000);
    } else if (background < 12) {
      state = 'done';
      attempts = 1;
      lastOutcomeAt = new Date(now - (1 + (i % 30)) * 86_400_000);
    } else if (background < 14) {
      state = 'retry';
      attempts = 1 + (i % 2);
      lastOutcomeAt = new Date(now - 3_600_000);
      nextCallAt = new Date(now + (1 + (i % 48)) * 3_600_000);
    } else if (background < 15) {
      state = 'callback';
      attempts = 1;
      lastOutcomeAt = new Date(now - 3_600_000);
      const owner = owners[i % owners.length]!;
      callbacks.push([
        id,
        campaign.id,
        owner.id,
        i % 3 === 0 ? 'public' : 'private',
        'scheduled',
        new Date(now + (1 + (i % 168)) * 3_600_000),
        null,
        'Richiamare',
      ]);
    }
    contacts.push([
      id,
      campaign.id,
      firstName,
      lastName,
      phoneOf(i),
      email,
      language,
      city,
      province,
      state,
      attempts,
      lastOutcomeAt,
      nextCallAt,
    ]);
    await flush(false);
  }
  await flush(true);
  await pending;
  return { contacts: n, callbacks: callbacksWritten };
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  configureBenchEnvironment(URL_TEXT);
  const { AppModule } = await import('../src/app.module');
  const { configureApp, NEST_APP_OPTIONS } = await import('../src/app.setup');
  const { DataSource: DataSourceClass } = await import('typeorm');
  const { Campaign } = await import('../src/campaigns/campaign.entity');
  const { windowsOf } = await import('../src/campaigns/calling-hours');
  const { CampaignStep } = await import('../src/campaigns/campaign-step.entity');
  const { CampaignStatus } = await import('../src/campaigns/campaign-status.entity');
  const { CampaignOperator } = await import('../src/campaigns/campaign-operator.entity');
  const { OutcomeStatus } = await import('../src/outcome-statuses/outcome-status.entity');
  const { UsersService } = await import('../src/users/users.service');

  const rss = new MemorySampler();
  const peaks: Array<[string, number]> = [];
  console.log(
    `bench-work: campaigns of ${SMALL_CONTACTS.toLocaleString('en')} and ${BIG_CONTACTS.toLocaleString('en')} contacts, database ${URL_TEXT}`,
  );
  console.log(`load average at start (1 / 5 / 15 min): ${load()}`);

  // ---- boot the real application on an ephemeral port
  let started = performance.now();
  await recreateDatabase(URL_TEXT);
  const app = await NestFactory.create<NestExpressApplication>(AppModule, NEST_APP_OPTIONS);
  await configureApp(app);
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const http = new Http(port);
  const dataSource: DataSource = app.get(DataSourceClass);
  console.log(
    `boot (migrations included): ${((performance.now() - started) / 1000).toFixed(1)} s, RSS ${mb(process.memoryUsage.rss())}`,
  );

  const watch = new SqlWatch(dataSource);
  const serverCpu = await databaseCpuMeter(dataSource);

  // ---- configuration: one N status, operators, two campaigns open round the clock
  const status = await dataSource.getRepository(OutcomeStatus).save({
    code: 'NI',
    label: 'Non interessato',
    labelEn: 'Not interested',
    type: 'N',
    color: '#d92d20',
    quick: true,
    quickOrder: 1,
    callbackVisibility: null,
    retryAfterMinutes: null,
    maxAttempts: null,
    doNotCall: false,
    archivedAt: null,
  });
  const operatorCount = Math.max(LATENCY_OPERATORS, CONFIRM_OPERATORS);
  const operators: Operator[] = [];
  for (let i = 0; i < operatorCount; i++) {
    const languages = LANGUAGE_SETS[i % LANGUAGE_SETS.length]!;
    const user = await app.get(UsersService).create({
      username: `operatore${i + 1}`,
      password: PASSWORD,
      displayName: `Operatore ${i + 1}`,
      role: 'operator',
      languages,
    });
    operators.push({ id: user.id, username: user.username, languages, token: '' });
  }
  // The desks of the confirm rounds: same password hash as the first operator (one argon2
  // hash, not a hundred), tokens issued by the app as a sign-in would.
  const desks: Operator[] = [];
  {
    const { User } = await import('../src/users/user.entity');
    const { AuthService } = await import('../src/auth/auth.service');
    const users = dataSource.getRepository(User);
    const template = await users.findOneByOrFail({ id: operators[0]!.id });
    for (let i = 0; i < DESKS; i++) {
      const languages = LANGUAGE_SETS[i % LANGUAGE_SETS.length]!;
      const user = await users.save({
        username: `postazione${i + 1}`,
        passwordHash: template.passwordHash,
        displayName: `Postazione ${i + 1}`,
        role: 'operator' as const,
        languages,
        active: true,
      });
      const { token } = await app.get(AuthService).issueToken(user);
      desks.push({ id: user.id, username: user.username, languages, token });
    }
  }
  const latencyOperators = operators.slice(0, LATENCY_OPERATORS);
  const campaigns: CampaignSetup[] = [];
  let firstContactId = 1;
  for (const [label, contacts] of [
    ['10k', SMALL_CONTACTS],
    ['1M', BIG_CONTACTS],
  ] as const) {
    const campaign = await dataSource.getRepository(Campaign).save({
      code: `BENCH${label}`,
      name: `Bench ${label}`,
      timezone: 'Europe/Rome',
      callingHours: windowsOf({ days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' }),
      // Open on public holidays too: the bench runs whatever the day.
      holidays: null,
      appointmentMinutes: 60,
    });
    await dataSource.getRepository(CampaignStep).save([
      {
        campaignId: campaign.id,
        position: 1,
        kind: 'script',
        title: 'Presentazione',
        body: 'Buongiorno {{contact.firstName}}, sono {{operator.name}} di Esito Energia.',
        choices: null,
        required: false,
      },
      {
        campaignId: campaign.id,
        position: 2,
        kind: 'outcome',
        title: 'Esito',
        body: null,
        choices: null,
        required: false,
      },
    ]);
    await dataSource
      .getRepository(CampaignStatus)
      .save({ campaignId: campaign.id, statusId: status.id });
    await dataSource
      .getRepository(CampaignOperator)
      .save([...operators, ...desks].map((o) => ({ campaignId: campaign.id, userId: o.id })));
    campaigns.push({
      id: campaign.id,
      label,
      contacts,
      firstContactId,
      dueRetryIds: new Set(),
    });
    firstContactId += contacts;
  }
  const [small, big] = campaigns as [CampaignSetup, CampaignSetup];

  // ---- bulk load through mysql2 (the data is generated unique: checks off for the load)
  rss.reset();
  started = performance.now();
  const loader = await createConnection({
    uri: URL_TEXT,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
  });
  await loader.query('SET SESSION unique_checks = 0, foreign_key_checks = 0');
  let loadedCallbacks = 0;
  for (const campaign of campaigns) {
    const loaded = await loadCampaign(loader, campaign, operators, latencyOperators);
    loadedCallbacks += loaded.callbacks;
  }
  const loadMs = performance.now() - started;
  await loader.query('ANALYZE TABLE contacts, callbacks');
  await loader.end();
  const totalContacts = SMALL_CONTACTS + BIG_CONTACTS;
  console.log(
    `load: ${totalContacts.toLocaleString('en')} contacts + ${loadedCallbacks.toLocaleString('en')} callbacks in ${(loadMs / 1000).toFixed(1)} s ` +
      `(${Math.round((totalContacts * 1000) / loadMs).toLocaleString('en')} contacts/s, ${INSERT_ROWS} rows per INSERT), then ANALYZE TABLE`,
  );
  peaks.push(['load', rss.peak().rss]);

  // ---- sign in every operator through the API
  for (const operator of operators) {
    const answer = await http.call('POST', '/api/v1/auth/login', undefined, {
      username: operator.username,
      password: PASSWORD,
    });
    expectStatus(answer, 200, `login ${operator.username}`);
    operator.token = (answer.body as { token: string }).token;
  }

  // The dispatch figures read the whole answer (callback and card); the loops ask as the
  // workstation does, for the lease only (its page renders the card after).
  const next = (operator: Operator, campaignId: number, leaseOnly = false) =>
    http.call(
      'POST',
      '/api/v1/work/next',
      operator.token,
      { campaignId },
      leaseOnly ? { prefer: 'return=minimal' } : {},
    );
  const confirm = (operator: Operator, contactId: number) =>
    http.call('POST', `/api/v1/work/${contactId}/outcome`, operator.token, {
      statusId: status.id,
      notes: NOTES,
    });
  const discard = (operator: Operator, contactId: number) =>
    http.call('POST', `/api/v1/work/${contactId}/discard`, operator.token);

  // ---- warm-up: next + discard leaves every queue as it was
  rss.reset();
  for (const campaign of campaigns) {
    await Promise.all(
      latencyOperators.map(async (operator) => {
        for (let i = 0; i < WARM_UP; i++) {
          const answer = await next(operator, campaign.id);
          expectStatus(answer, 200, 'warm-up next');
          const item = answer.body as WorkItemBody;
          expectStatus(await discard(operator, item.contact.id), 204, 'warm-up discard');
        }
      }),
    );
  }

  // EXPLAIN / ANALYZE of the queue queries the app sends on the big campaign, run between
  // two timed blocks (untimed), while the queues are as the query found them.
  const mysql = await createConnection({
    uri: URL_TEXT,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
  });
  const [versionRows] = await mysql.query<RowDataPacket[]>('SELECT VERSION() AS v');
  const version = String(versionRows[0]?.v);

  // ---- dispatch latency: timed `next`, untimed confirm so that the queues move on
  const latencies = new Map<string, number[]>(campaigns.map((c) => [c.label, []]));
  const byKind = new Map<string, number[]>();
  const order = new Map<string, SampleKind[]>(campaigns.map((c) => [c.label, []]));
  let httpErrors = 0;
  const runBlock = async (campaign: CampaignSetup, samples: number) => {
    let left = samples;
    await Promise.all(
      latencyOperators.map(async (operator) => {
        while (left > 0) {
          left--;
          const t0 = performance.now();
          const answer = await next(operator, campaign.id);
          const took = performance.now() - t0;
          expectStatus(answer, 200, `next on ${campaign.label}`);
          const item = answer.body as WorkItemBody;
          const kind: SampleKind = item.callback
            ? item.callback.visibility === 'private'
              ? 'private callback'
              : 'public callback'
            : campaign.dueRetryIds.has(item.contact.id)
              ? 'retry'
              : 'new';
          latencies.get(campaign.label)!.push(took);
          order.get(campaign.label)!.push(kind);
          const key = `${campaign.label} ${kind}`;
          if (!byKind.has(key)) byKind.set(key, []);
          byKind.get(key)!.push(took);
          const confirmed = await confirm(operator, item.contact.id);
          if (confirmed.status !== 201) httpErrors++;
        }
      }),
    );
  };
  rss.reset();
  const loadBefore = load();
  started = performance.now();
  for (let done = 0; done < SAMPLES; done += BLOCK) {
    const samples = Math.min(BLOCK, SAMPLES - done);
    await runBlock(small, samples);
    watch.target = true;
    await runBlock(big, samples);
    watch.target = false;
    await watch.explainPending(mysql);
  }
  const latencyMs = performance.now() - started;
  peaks.push(['dispatch latency (HTTP)', rss.peak().rss]);

  // ---- confirm throughput over HTTP: next -> outcome, CONFIRM_OPERATORS at once
  const confirmOperators = operators.slice(0, CONFIRM_OPERATORS);
  const httpNext: number[] = [];
  const httpOutcome: number[] = [];
  rss.reset();
  const loadBeforeConfirm = load();
  let left = CONFIRMS;
  watch.target = true;
  const queriesBefore = watch.count;
  let cpu = process.cpuUsage();
  let server = serverCpu();
  started = performance.now();
  await Promise.all(
    confirmOperators.map(async (operator) => {
      while (left > 0) {
        left--;
        let t0 = performance.now();
        const answer = await next(operator, big.id, true);
        httpNext.push(performance.now() - t0);
        expectStatus(answer, 200, 'next (throughput)');
        const item = answer.body as WorkItemBody;
        t0 = performance.now();
        const confirmed = await confirm(operator, item.contact.id);
        httpOutcome.push(performance.now() - t0);
        expectStatus(confirmed, 201, 'outcome (throughput)');
      }
    }),
  );
  const httpMs = performance.now() - started;
  const httpCpu = cpuMs(process.cpuUsage(cpu));
  const httpServer = serverCpu() - server;
  const httpQueries = watch.count - queriesBefore;
  watch.target = false;
  await watch.explainPending(mysql);
  await mysql.end();
  peaks.push(['confirm throughput (HTTP)', rss.peak().rss]);

  // ---- the same loop's database work in raw mysql2, same concurrency, on a pool
  const pool = createPool({
    uri: URL_TEXT,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    connectionLimit: CONFIRM_OPERATORS,
  });
  const [[before]] = await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM interactions');
  rss.reset();
  let rawLeft = CONFIRMS;
  let rawRetries = 0;
  cpu = process.cpuUsage();
  server = serverCpu();
  started = performance.now();
  await Promise.all(
    confirmOperators.map(async (operator) => {
      const connection = await pool.getConnection();
      try {
        // As the app's dispatch: no gap locks between operators reading one queue.
        await connection.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
        while (rawLeft > 0) {
          rawLeft--;
          rawRetries += await rawNextAndConfirm(connection, operator, big.id, status.id);
        }
      } finally {
        connection.release();
      }
    }),
  );
  const rawMs = performance.now() - started;
  const rawCpu = cpuMs(process.cpuUsage(cpu));
  const rawServer = serverCpu() - server;
  peaks.push(['confirm throughput (raw mysql2)', rss.peak().rss]);
  const [[after]] = await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM interactions');
  const rawWritten = Number(after?.n) - Number(before?.n);

  // ---- confirm alone: in rounds, every desk takes a contact (untimed), then
  // CONFIRM_OPERATORS at a time confirm those contacts (timed), over HTTP and then by hand.
  const rounds = Math.ceil(CONFIRMS / DESKS);
  /** Runs `work` on every item, `width` at a time. */
  const inParallel = async <T>(items: T[], width: number, work: (item: T) => Promise<void>) => {
    let at = 0;
    await Promise.all(
      Array.from({ length: Math.min(width, items.length) }, async () => {
        while (at < items.length) await work(items[at++]!);
      }),
    );
  };
  const aloneLoad = load();
  rss.reset();
  let httpAloneMs = 0;
  let httpAloneCpu = 0;
  let httpAloneServer = 0;
  let httpAloneQueries = 0;
  const httpAlone: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const held: Array<{ desk: Operator; contactId: number }> = [];
    await inParallel(desks, CONFIRM_OPERATORS, async (desk) => {
      const answer = await next(desk, big.id, true);
      expectStatus(answer, 200, 'next (desk)');
      held.push({ desk, contactId: (answer.body as WorkItemBody).contact.id });
    });
    const queries = watch.count;
    const cpuBefore = process.cpuUsage();
    const serverBefore = serverCpu();
    const t0 = performance.now();
    await inParallel(held, CONFIRM_OPERATORS, async ({ desk, contactId }) => {
      const t = performance.now();
      const confirmed = await confirm(desk, contactId);
      httpAlone.push(performance.now() - t);
      expectStatus(confirmed, 201, 'outcome (confirm alone)');
    });
    httpAloneMs += performance.now() - t0;
    httpAloneCpu += cpuMs(process.cpuUsage(cpuBefore));
    httpAloneServer += serverCpu() - serverBefore;
    httpAloneQueries += watch.count - queries;
  }
  peaks.push(['confirm alone (HTTP)', rss.peak().rss]);
  // The floor of any API call here: authenticated, one row read, nothing written (the desks
  // hold no contact now, so GET /work/current reads the lease table and answers 204).
  const floorCalls = rounds * DESKS;
  const floorTargets = Array.from({ length: floorCalls }, (_, i) => desks[i % DESKS]!);
  const floorQueries = watch.count;
  const floorCpu = process.cpuUsage();
  const floorStarted = performance.now();
  await inParallel(floorTargets, CONFIRM_OPERATORS, async (desk) => {
    expectStatus(await http.call('GET', '/api/v1/work/current', desk.token), 204, 'floor');
  });
  const floorMs = performance.now() - floorStarted;
  const floorNodeCpu = cpuMs(process.cpuUsage(floorCpu));
  const floorStatements = (watch.count - floorQueries) / floorCalls;
  rss.reset();
  let rawAloneMs = 0;
  let rawAloneCpu = 0;
  let rawAloneServer = 0;
  let rawAloneCount = 0;
  let rawAloneRetries = 0;
  const connections = await Promise.all(
    Array.from({ length: CONFIRM_OPERATORS }, () => pool.getConnection()),
  );
  for (const connection of connections) {
    await connection.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
  }
  /** Runs `work` on every item on the pool's connections, one item per connection at a time. */
  const onConnections = async <T>(
    items: T[],
    work: (db: PoolConnection, item: T) => Promise<void>,
  ) => {
    let at = 0;
    await Promise.all(
      connections.map(async (db) => {
        while (at < items.length) await work(db, items[at++]!);
      }),
    );
  };
  for (let round = 0; round < rounds; round++) {
    const held: Array<{ desk: Operator; contact: RowDataPacket }> = [];
    await onConnections(desks, async (db, desk) => {
      const claimed = await rawClaim(db, desk, big.id);
      held.push({ desk, contact: claimed.contact });
    });
    const cpuBefore = process.cpuUsage();
    const serverBefore = serverCpu();
    const t0 = performance.now();
    await onConnections(held, async (db, { desk, contact }) => {
      rawAloneRetries += await rawConfirm(db, desk, contact, status.id);
      rawAloneCount++;
    });
    rawAloneMs += performance.now() - t0;
    rawAloneCpu += cpuMs(process.cpuUsage(cpuBefore));
    rawAloneServer += serverCpu() - serverBefore;
  }
  for (const connection of connections) connection.release();
  peaks.push(['confirm alone (raw mysql2)', rss.peak().rss]);
  const loadAfter = load();

  // BENCH_CPU_PROFILE=<dir>: one more round of each, under the profiler (after the timed
  // phases, so that its cost is in no figure above): where the confirm's and the floor's CPU
  // goes, by layer. The load generator is in this process too: its share shows as such.
  if (PROFILE_DIR) {
    const held: Array<{ desk: Operator; contactId: number }> = [];
    await inParallel(desks, CONFIRM_OPERATORS, async (desk) => {
      const answer = await next(desk, big.id, true);
      expectStatus(answer, 200, 'next (profiled round)');
      held.push({ desk, contactId: (answer.body as WorkItemBody).contact.id });
    });
    await profiled(PROFILE_DIR, 'confirm', held.length, () =>
      inParallel(held, CONFIRM_OPERATORS, async ({ desk, contactId }) =>
        expectStatus(await confirm(desk, contactId), 201, 'outcome (profiled)'),
      ),
    );
    await profiled(PROFILE_DIR, 'floor', floorTargets.length, () =>
      inParallel(floorTargets, CONFIRM_OPERATORS, async (desk) =>
        expectStatus(await http.call('GET', '/api/v1/work/current', desk.token), 204, 'floor'),
      ),
    );
  }

  // One operator alone: which statements one next and one outcome send.
  const probe = operators[0]!;
  watch.log = [];
  const probed = await next(probe, big.id, true);
  expectStatus(probed, 200, 'probe next');
  const nextStatements = watch.log.splice(0);
  expectStatus(
    await confirm(probe, (probed.body as WorkItemBody).contact.id),
    201,
    'probe outcome',
  );
  const outcomeStatements = watch.log.splice(0);
  watch.log = null;

  await pool.end();

  // ---- figures
  const smallP99 = percentile(latencies.get(small.label)!, 99);
  const bigP99 = percentile(latencies.get(big.label)!, 99);
  console.log(
    `\ndispatch latency: POST /api/v1/work/next over HTTP (keep-alive, client in the same process), ` +
      `${LATENCY_OPERATORS} operators at once, each next followed by an untimed outcome; ` +
      `${SAMPLES} samples per campaign in alternating blocks of ${BLOCK}, after ${WARM_UP} untimed next + discard per operator and campaign; ` +
      `${(latencyMs / 1000).toFixed(1)} s, load average before ${loadBefore}`,
  );
  for (const campaign of campaigns) {
    console.log(
      `  ${campaign.label.padEnd(3)} all:              ${summary(latencies.get(campaign.label)!)}`,
    );
    for (const kind of ['private callback', 'public callback', 'retry', 'new'] as const) {
      const values = byKind.get(`${campaign.label} ${kind}`);
      if (values)
        console.log(`  ${campaign.label.padEnd(3)} ${kind.padEnd(17)} ${summary(values)}`);
    }
    // Public callbacks come before retries, retries before new contacts (private ones
    // wait for their owner alone); operators at once overlap by a few samples at most.
    const kinds = order.get(campaign.label)!;
    const at = (index: number) => (index < 0 ? '-' : String(index + 1));
    console.log(
      `  ${campaign.label.padEnd(3)} queue order (sample numbers): public callbacks last at ${at(kinds.lastIndexOf('public callback'))}, ` +
        `private last at ${at(kinds.lastIndexOf('private callback'))}; due retries first at ${at(kinds.indexOf('retry'))}, last at ${at(kinds.lastIndexOf('retry'))}; ` +
        `new contacts first at ${at(kinds.indexOf('new'))}`,
    );
  }
  console.log(
    `  ratio p99(${big.label}) / p99(${small.label}): ${(bigP99 / smallP99).toFixed(2)} (target <= 1.5); ` +
      `p50 ratio ${(percentile(latencies.get(big.label)!, 50) / percentile(latencies.get(small.label)!, 50)).toFixed(2)}` +
      (httpErrors ? `; ${httpErrors} outcomes were not 201` : ''),
  );

  const httpRate = (CONFIRMS * 1000) / httpMs;
  const rawRate = (rawWritten * 1000) / rawMs;
  console.log(
    `\nconfirm throughput on the ${big.label} campaign, ${CONFIRM_OPERATORS} operators at once, load average before ${loadBeforeConfirm}:`,
  );
  console.log(
    `  HTTP (POST /work/next -> POST /work/:id/outcome, N status, notes; everything the app does: ` +
      `auth, validation, the campaign and calling-hours checks, the queue cascade, do-not-call check, lease, ` +
      `the work item's reads, the outcome transaction): ${CONFIRMS} confirms in ${(httpMs / 1000).toFixed(1)} s = ${httpRate.toFixed(0)} confirms/s; ` +
      `next ${summary(httpNext)}; outcome ${summary(httpOutcome)}`,
  );
  console.log(
    `  raw mysql2 (per confirm, two transactions: claim one new contact with FOR UPDATE SKIP LOCKED on the language queue, ` +
      `insert the lease, mark the contact in_progress; then lock the lease and the contact, insert the interaction, ` +
      `update the contact, upsert outcome_counters, delete the lease; ${RAW_STATEMENTS} statements): ${rawWritten} confirms in ${(rawMs / 1000).toFixed(1)} s = ${rawRate.toFixed(0)} confirms/s` +
      (rawRetries ? ` (${rawRetries} deadlock retries)` : ''),
  );
  const perConfirm = (total: number, count: number) => (total / count).toFixed(1);
  console.log(
    `  per confirm: HTTP ${perConfirm(httpQueries, CONFIRMS)} SQL statements, Node CPU ${perConfirm(httpCpu, CONFIRMS)} ms` +
      (httpServer >= 0 ? `, database CPU ${perConfirm(httpServer, CONFIRMS)} ms` : '') +
      `; raw ${RAW_STATEMENTS}, Node CPU ${perConfirm(rawCpu, rawWritten)} ms` +
      (rawServer >= 0 ? `, database CPU ${perConfirm(rawServer, rawWritten)} ms` : ''),
  );
  console.log(
    `  ratio HTTP / raw: ${(httpRate / rawRate).toFixed(2)} (the whole loop; the target is on the confirm, below)`,
  );

  const aloneCount = rounds * DESKS;
  const httpAloneRate = (aloneCount * 1000) / httpAloneMs;
  const rawAloneRate = (rawAloneCount * 1000) / rawAloneMs;
  console.log(
    `\nconfirm throughput, the outcome alone: ${rounds} rounds in which ${DESKS} operators each take a contact (untimed), ` +
      `then ${CONFIRM_OPERATORS} at a time confirm them (timed), load average before ${aloneLoad}:`,
  );
  console.log(
    `  HTTP (POST /work/:id/outcome, N status, notes; token, validation, lease and contact locks, campaign, status and ` +
      `question checks, interaction, contact, counter, lease): ${aloneCount} confirms in ${(httpAloneMs / 1000).toFixed(1)} s = ` +
      `${httpAloneRate.toFixed(0)} confirms/s; ${summary(httpAlone)}`,
  );
  console.log(
    `  raw mysql2 (one transaction: lock the lease and the contact, insert the interaction, update the contact, upsert ` +
      `outcome_counters, delete the lease; ${RAW_CONFIRM_STATEMENTS} statements): ${rawAloneCount} confirms in ${(rawAloneMs / 1000).toFixed(1)} s = ` +
      `${rawAloneRate.toFixed(0)} confirms/s` +
      (rawAloneRetries ? ` (${rawAloneRetries} deadlock retries)` : ''),
  );
  console.log(
    `  per confirm: HTTP ${perConfirm(httpAloneQueries, aloneCount)} SQL statements, Node CPU ${perConfirm(httpAloneCpu, aloneCount)} ms` +
      (httpAloneServer >= 0 ? `, database CPU ${perConfirm(httpAloneServer, aloneCount)} ms` : '') +
      `; raw ${RAW_CONFIRM_STATEMENTS}, Node CPU ${perConfirm(rawAloneCpu, rawAloneCount)} ms` +
      (rawAloneServer >= 0 ? `, database CPU ${perConfirm(rawAloneServer, rawAloneCount)} ms` : ''),
  );
  console.log(`  ratio HTTP / raw: ${(httpAloneRate / rawAloneRate).toFixed(2)} (target >= 0.5)`);
  const floorRate = (floorCalls * 1000) / floorMs;
  console.log(
    `  floor of an API call on this machine (GET /api/v1/work/current holding nothing: token, one read, 204; ` +
      `${floorStatements.toFixed(1)} statements, Node CPU ${perConfirm(floorNodeCpu, floorCalls)} ms): ${floorRate.toFixed(0)} calls/s = ` +
      `${(floorRate / rawAloneRate).toFixed(2)} of the raw confirm rate; the confirm reaches ${(httpAloneRate / floorRate).toFixed(2)} of this floor`,
  );
  console.log(
    `  statements of one next as the workstation asks (lease only), one operator alone (${nextStatements.length}): ${describeStatements(nextStatements)}`,
  );
  console.log(
    `  statements of one outcome (${outcomeStatements.length}): ${describeStatements(outcomeStatements)}`,
  );

  console.log(
    `\nqueue queries the app sent on the ${big.label} campaign (${version}), each EXPLAINed and ANALYZEd ` +
      `(run, counting the rows read) between two timed blocks, with the parameters of its first call:`,
  );
  for (const plan of watch.explained) {
    console.log(`\n  ${plan.sql.replace(/\s+/g, ' ')}`);
    console.log(`    parameters: ${JSON.stringify(plan.params)}`);
    for (const line of plan.lines) console.log(`    ${line}`);
  }

  console.log('\npeak RSS:');
  for (const [phase, peak] of peaks) console.log(`  ${phase.padEnd(32)} ${mb(peak)}`);
  console.log(`  ${'whole run'.padEnd(32)} ${mb(rss.peakOverall())}`);
  console.log(`load average at the end (1 / 5 / 15 min): ${loadAfter}`);

  rss.stop();
  http.close();
  await app.close();
}

/**
 * One next + confirm done by hand: the database writes the app's loop needs, nothing
 * else. Returns how many times a deadlock made it start a transaction again.
 */
async function rawNextAndConfirm(
  db: PoolConnection,
  operator: Operator,
  campaignId: number,
  statusId: number,
): Promise<number> {
  const claimed = await rawClaim(db, operator, campaignId);
  return claimed.retries + (await rawConfirm(db, operator, claimed.contact, statusId));
}

/** Next contact by hand: claim one new contact (SKIP LOCKED), insert the lease, mark it. */
async function rawClaim(
  db: PoolConnection,
  operator: Operator,
  campaignId: number,
): Promise<{ contact: RowDataPacket; retries: number }> {
  let retries = 0;
  const language = operator.languages[0];
  const contact = await transaction(
    db,
    async () => {
      const [claimed] = await db.query<RowDataPacket[]>(
        'SELECT * FROM contacts FORCE INDEX (IDX_contacts_queue_language) ' +
          `WHERE campaign_id = ? AND state = 'new' AND ${language ? 'language = ?' : 'language IS NULL'} ` +
          'ORDER BY id ASC LIMIT 1 FOR UPDATE SKIP LOCKED',
        language ? [campaignId, language] : [campaignId],
      );
      const row = claimed[0];
      if (!row) throw new Error(`raw: no new contact left for operator ${operator.id}`);
      const now = new Date();
      await db.query(
        'INSERT INTO contact_leases (contact_id, user_id, campaign_id, callback_id, previous_state, started_at, expires_at, draft) VALUES (?, ?, ?, NULL, ?, ?, ?, NULL)',
        [row.id, operator.id, campaignId, row.state, now, new Date(now.getTime() + 3_600_000)],
      );
      await db.query(
        "UPDATE contacts SET state = 'in_progress', updated_at = CURRENT_TIMESTAMP(6) WHERE id = ?",
        [row.id],
      );
      return row;
    },
    () => retries++,
  );
  return { contact, retries };
}

/**
 * The outcome by hand: lock the lease and the contact, insert the interaction, update the
 * contact, upsert the day's counter, delete the lease. Returns the deadlock retries.
 */
async function rawConfirm(
  db: PoolConnection,
  operator: Operator,
  contact: RowDataPacket,
  statusId: number,
): Promise<number> {
  let retries = 0;
  await transaction(
    db,
    async () => {
      const [leases] = await db.query<RowDataPacket[]>(
        'SELECT * FROM contact_leases WHERE contact_id = ? FOR UPDATE',
        [contact.id],
      );
      const lease = leases[0];
      if (!lease || lease.user_id !== operator.id) throw new Error('raw: lease lost');
      const [rows] = await db.query<RowDataPacket[]>(
        'SELECT * FROM contacts WHERE id = ? FOR UPDATE',
        [contact.id],
      );
      const locked = rows[0]!;
      const now = new Date();
      const startedAt = lease.started_at as Date;
      await db.query(
        'INSERT INTO interactions (contact_id, campaign_id, operator_id, status_id, status_type, notes, answers, started_at, duration_seconds, callback_id, contract_id, appointment_id) ' +
          "VALUES (?, ?, ?, ?, 'N', ?, NULL, ?, ?, NULL, NULL, NULL)",
        [
          contact.id,
          locked.campaign_id,
          operator.id,
          statusId,
          NOTES,
          startedAt,
          Math.max(0, Math.round((now.getTime() - startedAt.getTime()) / 1000)),
        ],
      );
      await db.query(
        "UPDATE contacts SET state = 'final', attempts = ?, last_status_id = ?, last_outcome_at = ?, next_call_at = NULL, updated_at = CURRENT_TIMESTAMP(6) WHERE id = ?",
        [Number(locked.attempts) + 1, statusId, now, contact.id],
      );
      await db.query(
        "INSERT INTO outcome_counters (day, campaign_id, operator_id, status_type, count) VALUES (?, ?, ?, 'N', 1) ON DUPLICATE KEY UPDATE count = count + 1",
        [now.toISOString().slice(0, 10), locked.campaign_id, operator.id],
      );
      await db.query('DELETE FROM contact_leases WHERE contact_id = ?', [contact.id]);
    },
    () => retries++,
  );
  return retries;
}

/** BEGIN ... COMMIT, started again after a deadlock as OutcomeService.confirm does. */
async function transaction<T>(
  db: PoolConnection,
  work: () => Promise<T>,
  onRetry: () => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    await db.query('START TRANSACTION');
    try {
      const result = await work();
      await db.query('COMMIT');
      return result;
    } catch (error) {
      await db.query('ROLLBACK');
      const code = (error as { code?: string }).code;
      if (code !== 'ER_LOCK_DEADLOCK' || attempt >= 5) throw error;
      onRetry();
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
