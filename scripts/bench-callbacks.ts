/**
 * `npm run bench` (`BENCH_ONLY=callbacks` for this one alone): the callback engine's job
 * ticks with 10,000 callbacks in the table and then with 1,000,000 (the first 10,000 kept,
 * the rest bulk-loaded with raw multi-row INSERTs: 45% already closed in the last 90 days,
 * 55% scheduled over the next 30 days), and in both the same BENCH_DUE (default 500) rows
 * for each job to act on at the tick:
 *
 *   mark due: scheduled callbacks whose time has come become due (CallbacksService.markDue,
 *     what the `callbacks-due` interval calls) - the target, ratio of the p99s <= 1.5;
 *   escalate: private callbacks of a disabled owner made public (`callbacks-escalation`);
 *   expire: callbacks 15 days late given up, their contacts final (`callbacks-expiry`).
 *
 * The clock is stopped, the app's own timers are off, and each tick is timed by calling the
 * service method as the job does; between two ticks the rows are put back as they were
 * (untimed). Printed: p50 / p99 per job and size, the ratios 1M / 10k, and the EXPLAIN /
 * MariaDB ANALYZE of the claim statements the ticks sent on the big table. Figures, not a
 * test: nothing is asserted about a timing (a tick that changes other than BENCH_DUE rows
 * stops the bench, as it would measure something else).
 *
 * BENCH_DATABASE_URL (default mysql://root@127.0.0.1:3306/esito_benchcb) is dropped and
 * created again. BENCH_BIG_CALLBACKS, BENCH_DUE and BENCH_TICKS make it smaller or larger.
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SchedulerRegistry } from '@nestjs/schedule';
import { type Connection, createConnection, type RowDataPacket } from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import {
  configureBenchEnvironment,
  load,
  mb,
  ms,
  percentile,
  recreateDatabase,
} from './bench-support';

const URL_TEXT = process.env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/esito_benchcb';
const SMALL = 10_000;
const BIG = Number(process.env.BENCH_BIG_CALLBACKS ?? 1_000_000);
/** Rows each job finds to act on at every tick. */
const DUE = Number(process.env.BENCH_DUE ?? 500);
/** Timed ticks of mark due per size; escalate and expire, a row at a time, a third of it. */
const TICKS = Number(process.env.BENCH_TICKS ?? 30);
const WARM_UP = 3;
const INSERT_ROWS = 5_000;
const SETTLE_MS = 10_000;
const OWNERS = 20;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

type Job = 'markDue' | 'escalate' | 'expire';
const JOBS: Array<{ job: Job; label: string; ticks: number }> = [
  { job: 'markDue', label: 'mark due', ticks: TICKS },
  { job: 'escalate', label: 'escalate', ticks: Math.max(5, Math.round(TICKS / 3)) },
  { job: 'expire', label: 'expire', ticks: Math.max(5, Math.round(TICKS / 3)) },
];
const CLOSED = ['done', 'missed', 'cancelled', 'expired'] as const;

interface Setup {
  campaignId: number;
  /** Ids of row 0: row i is contact firstContact + i with callback firstCallback + i. */
  firstContact: number;
  firstCallback: number;
  owners: number[];
  disabledOwner: number;
  now: number;
}

/** The rows each job acts on, spread through the first 10,000: row k * stride + offset. */
function jobRows(job: Job): number[] {
  const offset = { markDue: 1, escalate: 7, expire: 13 }[job];
  const stride = Math.floor(SMALL / DUE);
  return Array.from({ length: DUE }, (_, k) => k * stride + offset);
}

/** Contact and callback of row i: the jobs' rows as above, the rest closed or in the future. */
function row(i: number, setup: Setup, special: Map<number, Job>) {
  const contactId = setup.firstContact + i;
  const owner = setup.owners[i % OWNERS]!;
  const phone = `+39${320 + (i % 60)}${String((i * 7919) % 10_000_000).padStart(7, '0')}`;
  const job = special.get(i);
  let callback: unknown[];
  let contactState = 'callback';
  const k = i % 997;
  switch (job) {
    case 'markDue':
      callback = [owner, 'public', 'scheduled', new Date(setup.now - (k + 1) * 1000), null];
      break;
    case 'escalate':
      callback = [setup.disabledOwner, 'private', 'due', new Date(setup.now - 60 * MINUTE), null];
      break;
    case 'expire':
      callback = [null, 'public', 'due', new Date(setup.now - 15 * DAY - k * 1000), null];
      break;
    case undefined:
      if (i % 20 < 9) {
        const dueAt = new Date(setup.now - ((i * 7919) % (90 * 24 * 60)) * MINUTE - MINUTE);
        callback = [owner, 'public', CLOSED[i % 4], dueAt, dueAt];
        contactState = 'final';
      } else {
        const dueAt = new Date(setup.now + 60 * MINUTE + ((i * 104729) % (30 * 24 * 60)) * MINUTE);
        callback = [owner, i % 3 === 0 ? 'private' : 'public', 'scheduled', dueAt, null];
      }
      break;
  }
  return {
    contact: [contactId, setup.campaignId, 'Maria', 'Rossi', phone, contactState, 1],
    callback: [setup.firstCallback + i, contactId, setup.campaignId, ...callback, 'Richiamare'],
  };
}

/**
 * Rows [from, to) of contacts and callbacks, each table on its own connection (the keys are
 * not checked while loading), the next statements built while the last ones are sent.
 */
async function loadRows(
  db: [Connection, Connection],
  setup: Setup,
  from: number,
  to: number,
): Promise<void> {
  const special = new Map<number, Job>();
  for (const { job } of JOBS) for (const i of jobRows(job)) special.set(i, job);
  let sending: Promise<unknown> = Promise.resolve();
  for (let start = from; start < to; start += INSERT_ROWS) {
    const contacts: unknown[][] = [];
    const callbacks: unknown[][] = [];
    for (let i = start; i < Math.min(to, start + INSERT_ROWS); i++) {
      const made = row(i, setup, special);
      contacts.push(made.contact);
      callbacks.push(made.callback);
    }
    await sending;
    sending = Promise.all([
      db[0].query(
        'INSERT INTO contacts (id, campaign_id, first_name, last_name, phone, state, attempts) VALUES ?',
        [contacts],
      ),
      db[1].query(
        'INSERT INTO callbacks (id, contact_id, campaign_id, owner_id, visibility, state, due_at, closed_at, reason) VALUES ?',
        [callbacks],
      ),
    ]);
  }
  await sending;
}

/** Puts a job's rows back as they were before its tick (untimed). */
async function reset(db: Connection, setup: Setup, job: Job): Promise<void> {
  const rows = jobRows(job);
  const callbacks = rows.map((i) => setup.firstCallback + i);
  switch (job) {
    case 'markDue':
      await db.query("UPDATE callbacks SET state = 'scheduled' WHERE id IN (?)", [callbacks]);
      break;
    case 'escalate':
      await db.query(
        "UPDATE callbacks SET visibility = 'private', escalated_at = NULL, escalation_reason = NULL WHERE id IN (?)",
        [callbacks],
      );
      break;
    case 'expire':
      await db.query("UPDATE callbacks SET state = 'due', closed_at = NULL WHERE id IN (?)", [
        callbacks,
      ]);
      await db.query("UPDATE contacts SET state = 'callback' WHERE id IN (?)", [
        rows.map((i) => setup.firstContact + i),
      ]);
      break;
  }
}

/**
 * The queue reads the ticks send (callbacks by state up to a due time: the claims and the
 * escalation's candidates), the first of each statement and state, with their parameters.
 */
function watchQueueReads(dataSource: DataSource): Map<string, { sql: string; params: unknown[] }> {
  const reads = new Map<string, { sql: string; params: unknown[] }>();
  const logger = dataSource.logger;
  const logQuery = logger.logQuery.bind(logger);
  logger.logQuery = (query, parameters, runner) => {
    const params = parameters ?? [];
    const key = `${query}|${String(params[0])}`;
    if (/^SELECT[\s\S]*FROM `callbacks`[\s\S]*`due_at` <=/.test(query) && !reads.has(key)) {
      reads.set(key, { sql: query, params });
    }
    logQuery(query, parameters, runner);
  };
  return reads;
}

async function explain(db: Connection, sql: string, params: unknown[]): Promise<string[]> {
  const lines: string[] = [];
  const [plan] = await db.query<RowDataPacket[]>(`EXPLAIN ${sql}`, params);
  for (const step of plan) {
    lines.push(
      `EXPLAIN: table ${step.table} type ${step.type} key ${step.key} rows ${step.rows} Extra "${step.Extra ?? ''}"`,
    );
  }
  const [[version]] = await db.query<RowDataPacket[]>('SELECT VERSION() AS v');
  if (/mariadb/i.test(String(version?.v))) {
    // ANALYZE runs it (autocommit: its row locks end with it), counting the rows it read.
    const [analyzed] = await db.query<RowDataPacket[]>(`ANALYZE ${sql}`, params);
    for (const step of analyzed) {
      lines.push(`ANALYZE: r_rows ${step.r_rows} (estimate ${step.rows})`);
    }
  }
  return lines;
}

async function main(): Promise<void> {
  configureBenchEnvironment(URL_TEXT);
  const { AppModule } = await import('../src/app.module');
  const { NEST_APP_OPTIONS } = await import('../src/app.setup');
  const { DataSource: DataSourceClass } = await import('typeorm');
  const { CallbacksService } = await import('../src/callbacks/callbacks.service');
  const { Clock } = await import('../src/common/time/clock');
  const { User } = await import('../src/users/user.entity');
  const { createCampaign } = await import('../test/factories/catalogue.factory');
  const { createUser } = await import('../test/factories/user.factory');

  console.log(
    `bench-callbacks: job ticks with ${SMALL.toLocaleString('en')} and ${BIG.toLocaleString('en')} callbacks, ${DUE} rows to act on per tick, database ${URL_TEXT}`,
  );
  console.log(`load average at start (1 / 5 / 15 min): ${load()}`);
  await recreateDatabase(URL_TEXT);
  const app = await NestFactory.create<NestExpressApplication>(AppModule, NEST_APP_OPTIONS);
  await app.init();
  // The ticks are the bench's: the app's own timers never fire in between.
  const timers = app.get(SchedulerRegistry);
  for (const name of timers.getIntervals()) timers.deleteInterval(name);
  for (const name of [...timers.getCronJobs().keys()]) timers.deleteCronJob(name);
  const dataSource: DataSource = app.get(DataSourceClass);
  const engine = app.get(CallbacksService);
  const reads = watchQueueReads(dataSource);

  const now = Date.now();
  app.get(Clock).set(new Date(now));
  const campaign = await createCampaign(app, { privateCallbackGraceMinutes: 30 });
  const owners: number[] = [];
  for (let o = 0; o < OWNERS; o++) owners.push((await createUser(app)).id);
  const disabledOwner = (await createUser(app)).id;
  await dataSource.getRepository(User).update(disabledOwner, { active: false });
  const setup: Setup = {
    campaignId: campaign.id,
    firstContact: 1,
    firstCallback: 1,
    owners,
    disabledOwner,
    now,
  };

  const connect = async () => {
    const connection = await createConnection({
      uri: URL_TEXT,
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
    });
    // The generated data is unique and its keys exist: no checks while loading.
    await connection.query('SET SESSION unique_checks = 0, foreign_key_checks = 0');
    return connection;
  };
  const loaders: [Connection, Connection] = [await connect(), await connect()];
  const db = loaders[0];
  const results = new Map<Job, number[][]>();
  let loaded = 0;
  for (const size of [SMALL, BIG]) {
    const started = performance.now();
    await loadRows(loaders, setup, loaded, size);
    await db.query('ANALYZE TABLE contacts, callbacks');
    const loadMs = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    console.log(
      `\n${size.toLocaleString('en')} callbacks: ${(size - loaded).toLocaleString('en')} contacts and callbacks loaded in ${(loadMs / 1000).toFixed(1)} s ` +
        `(${Math.round(((size - loaded) * 1000) / loadMs).toLocaleString('en')} pairs/s, ${INSERT_ROWS} rows per INSERT), then ANALYZE TABLE; RSS ${mb(process.memoryUsage.rss())}`,
    );
    loaded = size;
    if (size === BIG) reads.clear();
    for (const { job, label, ticks } of JOBS) {
      const times: number[] = [];
      for (let t = 0; t < WARM_UP + ticks; t++) {
        await reset(db, setup, job);
        const begun = performance.now();
        const changed = await engine[job]();
        const took = performance.now() - begun;
        if (changed !== DUE) throw new Error(`${label}: a tick changed ${changed}, not ${DUE}`);
        if (t >= WARM_UP) times.push(took);
      }
      results.set(job, [...(results.get(job) ?? []), times]);
      console.log(
        `  ${label.padEnd(9)} ${DUE} rows a tick, ${ticks} ticks: p50 ${ms(percentile(times, 50)).padStart(9)}  p99 ${ms(percentile(times, 99)).padStart(9)}  max ${ms(Math.max(...times))}`,
      );
      await reset(db, setup, job);
    }
  }

  console.log(
    `\n${BIG.toLocaleString('en')} / ${SMALL.toLocaleString('en')} (target for mark due's p99 <= 1.5):`,
  );
  for (const { job, label } of JOBS) {
    const [small, big] = results.get(job)!;
    const ratio = (p: number) => (percentile(big!, p) / percentile(small!, p)).toFixed(2);
    console.log(`  ${label.padEnd(9)} p50 ${ratio(50)}  p99 ${ratio(99)}`);
  }

  console.log(
    `\nqueue reads the ticks sent on ${BIG.toLocaleString('en')} callbacks, EXPLAINed and ANALYZEd (run again, counting the rows read) with the parameters of their first call:`,
  );
  for (const { sql, params } of reads.values()) {
    console.log(`\n  ${sql.replace(/\s+/g, ' ')}`);
    console.log(`    parameters: ${JSON.stringify(params)}`);
    for (const line of await explain(db, sql, params)) console.log(`    ${line}`);
  }
  console.log(`\nload average at end (1 / 5 / 15 min): ${load()}`);
  await Promise.all(loaders.map((connection) => connection.end()));
  await app.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
