/**
 * `npm run bench` (`BENCH_ONLY=monitor` for this one alone): the coordinators' wall
 * (WallService.snapshot, shared per instance by WallHub) for 2,000 operators, first with an
 * empty history (the baseline: the same operators, states, leases, waiting callbacks and
 * contacts left, no outcome yet) and then with 1,000,000 outcomes today (interactions, their
 * callbacks, the worked contacts, and the aggregates the outcome's transaction writes:
 * outcome_counters, outcome_hours, each operator_states row's last outcome and `recent`),
 * all bulk-loaded with raw multi-row INSERTs.
 *
 *   1. the snapshot in process: WallService.snapshot(new Date()) BENCH_SAMPLES times;
 *   2. over HTTP, GET /api/v1/monitor/operators with a coordinator's token: each request
 *      1.1 s after the last answer, so that each one computes a fresh wall (WallHub keeps one
 *      for 1 s), then back to back, as a viewer polling sees it (mostly the hub's wall);
 *   3. where a snapshot's time goes: every statement it sends, alone (EXPLAIN / ANALYZE),
 *      and the Node side from V8's sampling profiler (self time by module and function);
 *   4. database queries per second with 1 and with BENCH_VIEWERS SSE viewers of
 *      GET /api/v1/monitor/stream (the hub computes once per tick for all of them: ratio 1.0
 *      expected), over BENCH_WINDOW_SECONDS each, counted twice: the statements the app
 *      sends (TypeORM's logger) and the server's `Questions`, less a window with no viewer
 *      (other clients of a shared server count there too).
 *
 * The app's own timers (callback and lease jobs) are stopped, so that nothing but the wall
 * queries the database during a window. Printed: p50 / p99 per size, the ratio 1M / empty,
 * the p99 against the target (<= 50 ms), the sizes, and the queries per second. Figures, not
 * a test: nothing is asserted about a timing. BENCH_DATABASE_URL (default
 * mysql://root@127.0.0.1:3306/esito_bench_monitor) is dropped and created again;
 * BENCH_OPERATORS, BENCH_INTERACTIONS, BENCH_CONTACTS_LEFT, BENCH_SAMPLES,
 * BENCH_HTTP_SAMPLES, BENCH_VIEWERS and BENCH_WINDOW_SECONDS change the sizes.
 */
import 'reflect-metadata';
import { type ClientRequest, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { SchedulerRegistry } from '@nestjs/schedule';
import { type Connection, createConnection, type RowDataPacket } from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import type {
  CallbackVisibility,
  OutcomeType,
} from '../src/outcome-statuses/outcome-status.entity';
import {
  cpuMs,
  databaseCpuMeter,
  expectStatus,
  load,
  mb,
  MemorySampler,
  ms,
  percentile,
  startListeningApp,
} from './bench-support';

const URL_TEXT =
  process.env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/esito_bench_monitor';
const OPERATORS = Number(process.env.BENCH_OPERATORS ?? 2_000);
const INTERACTIONS = Number(process.env.BENCH_INTERACTIONS ?? 1_000_000);
/** Contacts still to call (new or waiting for a retry), the same at both sizes. */
const CONTACTS_LEFT = Number(process.env.BENCH_CONTACTS_LEFT ?? 100_000);
/** Each worked contact was called about four times today. */
const WORKED_CONTACTS = Math.max(1, Math.ceil(INTERACTIONS / 4));
const WAITING_CALLBACKS = 6_000;
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const HTTP_SAMPLES = Number(process.env.BENCH_HTTP_SAMPLES ?? 24);
const BACK_TO_BACK = 100;
/** Longer than WallHub's 1 s, so that every spaced request computes the wall afresh. */
const HTTP_SPACING_MS = 1_100;
const VIEWERS = Number(process.env.BENCH_VIEWERS ?? 50);
const WINDOW_MS = Number(process.env.BENCH_WINDOW_SECONDS ?? 15) * 1000;
/** With no viewer the hub stops: a short window shows it (and what other clients send). */
const BACKGROUND_MS = 5_000;
const OTHERS_SAMPLE_MS = 500;
const WARM_UP = 20;
const QUERY_RUNS = 30;
const PROFILE_RUNS = 20;
const CAMPAIGNS = 4;
const TEAMS = 20;
const ZONE = 'Europe/Rome';
const INSERT_ROWS = 5_000;
const SETTLE_MS = 10_000;
/** Ids of the callbacks of today's R outcomes (the waiting ones come first, from 1). */
const HISTORY_CALLBACK_BASE = 100_000;
const TARGET_MS = 50;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const FIRST_NAMES = ['Giulia', 'Marco', 'Sara', 'Luca', 'Chiara', 'Matteo', 'Elena', 'Paolo'];
const LAST_NAMES = ['Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano', 'Colombo'];
const PLACES: Array<[string, string]> = [
  ['Milano', 'MI'],
  ['Roma', 'RM'],
  ['Napoli', 'NA'],
  ['Torino', 'TO'],
  ['Bologna', 'BO'],
];

type Row = Array<string | number | Date | null>;

interface StatusSeed {
  code: string;
  label: string;
  labelEn: string;
  type: OutcomeType;
  color: string;
  callbackVisibility?: CallbackVisibility;
  retryAfterMinutes?: number;
  maxAttempts?: number;
  doNotCall?: boolean;
  /** Its share of the outcomes, in %. */
  weight: number;
}

/** The campaigns' statuses, of the four types. */
const STATUSES: StatusSeed[] = [
  {
    code: 'RP',
    label: 'Richiamare',
    labelEn: 'Call back',
    type: 'R',
    color: '#f79009',
    callbackVisibility: 'private',
    weight: 10,
  },
  {
    code: 'RU',
    label: 'Richiamare (chiunque)',
    labelEn: 'Call back (anyone)',
    type: 'R',
    color: '#fdb022',
    callbackVisibility: 'public',
    weight: 5,
  },
  {
    code: 'NR',
    label: 'Non risponde',
    labelEn: 'No answer',
    type: 'N',
    color: '#98a2b3',
    retryAfterMinutes: 60,
    maxAttempts: 5,
    weight: 30,
  },
  {
    code: 'OC',
    label: 'Occupato',
    labelEn: 'Busy',
    type: 'N',
    color: '#667085',
    retryAfterMinutes: 15,
    maxAttempts: 5,
    weight: 15,
  },
  {
    code: 'NI',
    label: 'Non interessato',
    labelEn: 'Not interested',
    type: 'N',
    color: '#d92d20',
    weight: 20,
  },
  {
    code: 'NC',
    label: 'Non chiamare più',
    labelEn: 'Do not call',
    type: 'N',
    color: '#912018',
    doNotCall: true,
    weight: 5,
  },
  { code: 'VE', label: 'Vendita', labelEn: 'Sale', type: 'C', color: '#12b76a', weight: 8 },
  {
    code: 'AP',
    label: 'Appuntamento',
    labelEn: 'Appointment',
    type: 'T',
    color: '#2e90fa',
    weight: 7,
  },
];
/** 100 slots filled by weight: outcome i takes slot hash(i) mod 100. */
const STATUS_SLOTS = STATUSES.flatMap((s, index) => Array<number>(s.weight).fill(index));

interface Operator {
  id: number;
  campaignIds: number[];
  state: 'ready' | 'paused' | 'logged_out';
  pauseReasonId: number | null;
  lease: boolean;
}

interface Setup {
  now: number;
  campaignIds: number[];
  statusIds: number[];
  operators: Operator[];
  /** Contacts 1..baseContacts are the baseline's; today's worked contacts follow. */
  baseContacts: number;
}

/** A mobile per contact id, never repeated: 7919 is prime to 10^9, so this permutes. */
const phoneOf = (id: number) => `+393${String((id * 7919) % 1_000_000_000).padStart(9, '0')}`;

/** A contact row: id, campaign, names, phone, place, state, attempts, last outcome, retry. */
function contactRow(
  id: number,
  campaignId: number,
  state: string,
  attempts = 0,
  lastStatusId: number | null = null,
  lastOutcomeAt: Date | null = null,
  nextCallAt: Date | null = null,
): Row {
  const [city, province] = PLACES[id % PLACES.length]!;
  return [
    id,
    campaignId,
    FIRST_NAMES[id % FIRST_NAMES.length]!,
    LAST_NAMES[(id * 3) % LAST_NAMES.length]!,
    phoneOf(id),
    'it',
    city,
    province,
    state,
    attempts,
    lastStatusId,
    lastOutcomeAt,
    nextCallAt,
  ];
}
const CONTACT_INSERT =
  'INSERT INTO contacts (id, campaign_id, first_name, last_name, phone, language, city, province, state, attempts, last_status_id, last_outcome_at, next_call_at) VALUES ?';

/** Multi-row INSERTs of INSERT_ROWS; the next batch is built while the previous one is sent. */
class BulkInsert {
  inserted = 0;
  private rows: Row[] = [];
  private pending: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Connection,
    private readonly sql: string,
  ) {}

  async add(row: Row): Promise<void> {
    this.rows.push(row);
    if (this.rows.length >= INSERT_ROWS) await this.flush();
  }

  async end(): Promise<number> {
    await this.flush();
    await this.pending;
    return this.inserted;
  }

  private async flush(): Promise<void> {
    const rows = this.rows.splice(0);
    if (rows.length === 0) return;
    await this.pending;
    this.inserted += rows.length;
    const sent = this.db.query(this.sql, [rows]);
    // Awaited by the next flush or end(); until then a failure must not count as unhandled.
    sent.catch(() => undefined);
    this.pending = sent;
  }
}

/** An operator's row as the baseline has it: state, pause reason, since, seen. */
const stateRow = (operator: Operator, o: number, now: number): Row => [
  operator.id,
  operator.state,
  operator.pauseReasonId,
  new Date(now - (o % 90) * MINUTE),
  operator.state === 'logged_out' ? new Date(now - 3 * HOUR) : new Date(now - (o % 60) * 1000),
];

/**
 * The baseline: operators on the wall now, without a single outcome today. 5% logged out,
 * 15% paused (some past their reason's limit), the rest ready, 1,500 of them on a contact
 * (some for longer than the long-contact limit); waiting callbacks (30% in the future, 40%
 * due within their grace, 30% past it); the contacts left to call.
 */
async function loadBaseline(db: Connection, setup: Setup): Promise<Record<string, number>> {
  const { now, operators, campaignIds } = setup;
  const contacts = new BulkInsert(db, CONTACT_INSERT);
  let id = 0;
  for (let i = 0; i < CONTACTS_LEFT; i++) {
    const retry = i % 5 === 0;
    await contacts.add(
      contactRow(
        ++id,
        campaignIds[i % CAMPAIGNS]!,
        retry ? 'retry' : 'new',
        retry ? 1 : 0,
        null,
        retry ? new Date(now - 86_400_000) : null,
        retry ? new Date(now + ((i % 48) - 8) * HOUR) : null,
      ),
    );
  }
  const leases: Row[] = [];
  for (const [o, operator] of operators.entries()) {
    if (!operator.lease) continue;
    const campaignId = operator.campaignIds[0]!;
    await contacts.add(contactRow(++id, campaignId, 'in_progress'));
    const startedAt = new Date(now - (o % 15) * MINUTE - (o % 60) * 1000);
    leases.push([id, operator.id, campaignId, 'new', startedAt, new Date(now + 2 * HOUR)]);
  }
  const members = campaignIds.map((c) => operators.filter((o) => o.campaignIds.includes(c)));
  const callbacks: Row[] = [];
  for (let j = 0; j < WAITING_CALLBACKS; j++) {
    const c = j % CAMPAIGNS;
    const campaignMembers = members[c]!;
    const owner = campaignMembers[Math.floor(j / CAMPAIGNS) % campaignMembers.length]!;
    await contacts.add(contactRow(++id, campaignIds[c]!, 'callback', 1));
    const slot = j % 10;
    const dueAt =
      slot < 3
        ? new Date(now + (1 + (j % 48)) * HOUR)
        : slot < 7
          ? new Date(now - (j % 25) * MINUTE)
          : new Date(now - HOUR - (j % 48) * HOUR);
    const state = slot < 3 || slot === 6 ? 'scheduled' : 'due';
    callbacks.push([
      id,
      campaignIds[c]!,
      owner.id,
      j % 3 === 0 ? 'public' : 'private',
      state,
      dueAt,
      'Richiamare',
      dueAt,
    ]);
  }
  const contactCount = await contacts.end();
  for (let i = 0; i < callbacks.length; i += INSERT_ROWS) {
    await db.query(
      'INSERT INTO callbacks (contact_id, campaign_id, owner_id, visibility, state, due_at, reason, assigned_at) VALUES ?',
      [callbacks.slice(i, i + INSERT_ROWS)],
    );
  }
  await db.query(
    'INSERT INTO contact_leases (contact_id, user_id, campaign_id, previous_state, started_at, expires_at) VALUES ?',
    [leases],
  );
  await db.query(
    'INSERT INTO operator_states (user_id, state, pause_reason_id, since, seen_at) VALUES ?',
    [operators.map((operator, o) => stateRow(operator, o, now))],
  );
  return { contacts: contactCount, leases: leases.length, callbacks: callbacks.length };
}

/**
 * Today's INTERACTIONS outcomes, oldest first from the campaigns' local midnight to now:
 * interaction i is operator i mod OPERATORS's, in one of their campaigns, on one of that
 * campaign's worked contacts (each about four times), with a status drawn by weight; an R
 * outcome has its callback (called since: done). Then the worked contacts (closed), and what
 * the outcome's transaction keeps beside them: outcome_counters, outcome_hours and each
 * operator's last outcome and `recent` (as withRecent builds it), from the same outcomes.
 */
async function loadHistory(db: Connection, setup: Setup): Promise<Record<string, number>> {
  const { toZonedLocal, zonedLocalToUtc } = await import('../src/common/time/local-time');
  const { withRecent } = await import('../src/monitor/operator-activity.service');
  const { now, operators, campaignIds, statusIds, baseContacts } = setup;
  const today = toZonedLocal(new Date(now), ZONE).slice(0, 10);
  const dayStart = (zonedLocalToUtc(`${today}T00:00`, ZONE) ?? new Date(now - HOUR)).getTime();
  const span = Math.max(1_000, now - 1_000 - dayStart);
  // Local day and hour per UTC minute: a few hundred formatter calls, not a million.
  const localByMinute = new Map<number, [string, number]>();
  const localOf = (at: number): [string, number] => {
    const minute = Math.floor(at / MINUTE);
    let local = localByMinute.get(minute);
    if (!local) {
      const text = toZonedLocal(new Date(minute * MINUTE), ZONE);
      local = [text.slice(0, 10), Number(text.slice(11, 13))];
      localByMinute.set(minute, local);
    }
    return local;
  };
  // Worked contact w belongs to campaign w mod CAMPAIGNS; each campaign's are called in turn.
  const pool = campaignIds.map((_, c) => Math.ceil((WORKED_CONTACTS - c) / CAMPAIGNS));
  const turn = campaignIds.map(() => 0);
  const campaignIndex = new Map(campaignIds.map((id, c) => [id, c]));
  const interaction = (i: number) => {
    const o = i % OPERATORS;
    const operator = operators[o]!;
    const campaignId =
      operator.campaignIds[Math.floor(i / OPERATORS) % operator.campaignIds.length]!;
    const status = STATUS_SLOTS[(Math.imul(i, 2_654_435_761) >>> 0) % STATUS_SLOTS.length]!;
    return {
      o,
      operator,
      campaignId,
      status,
      at: dayStart + Math.floor(((i + 0.5) * span) / INTERACTIONS),
    };
  };

  let lap = performance.now();
  const steps: string[] = [];
  const step = (name: string) => {
    steps.push(`${name} ${seconds(performance.now() - lap)}`);
    lap = performance.now();
  };

  // Pass 1: each outcome's contact, and the aggregates.
  const contactOf = new Int32Array(INTERACTIONS);
  const lastStatus = new Int32Array(WORKED_CONTACTS);
  const lastAt = new Float64Array(WORKED_CONTACTS);
  const attempts = new Uint16Array(WORKED_CONTACTS);
  const counters = new Map<string, number>();
  const hours = new Map<string, number>();
  const recent = operators.map(() => [] as Array<[minute: number, statusId: number]>);
  const last = operators.map(
    () => null as null | { statusId: number; campaignId: number; at: number },
  );
  const replay: Array<[number, number]> = [];
  for (let i = 0; i < INTERACTIONS; i++) {
    const { o, campaignId, status, at } = interaction(i);
    const c = campaignIndex.get(campaignId)!;
    const w = (turn[c]!++ % pool[c]!) * CAMPAIGNS + c;
    contactOf[i] = w;
    const statusId = statusIds[status]!;
    lastStatus[w] = statusId;
    lastAt[w] = at;
    attempts[w]!++;
    const [day, hour] = localOf(at);
    const type = STATUSES[status]!.type;
    const counterKey = `${day}|${campaignId}|${operators[o]!.id}|${type}`;
    counters.set(counterKey, (counters.get(counterKey) ?? 0) + 1);
    const hourKey = `${day}|${hour}|${campaignId}|${operators[o]!.id}|${statusId}`;
    hours.set(hourKey, (hours.get(hourKey) ?? 0) + 1);
    // withRecent: the entries of the hour before this outcome, this one last, at most 60.
    const minute = Math.floor(at / MINUTE);
    const entries = recent[o]!;
    while (entries.length > 0 && entries[0]![0] <= minute - 60) entries.shift();
    entries.push([minute, statusId]);
    if (entries.length > 60) entries.shift();
    last[o] = { statusId, campaignId, at };
    if (o === 0) replay.push([statusId, at]);
  }
  const recentText = (o: number) =>
    recent[o]!.length
      ? recent[o]!.map(([minute, statusId]) => `${statusId}:${minute}`).join(' ')
      : null;
  // The app's own function on operator 0's outcomes must give the same string.
  const expected = replay.reduce<string | null>(
    (text, [statusId, at]) => withRecent(text, statusId, new Date(at)),
    null,
  );
  if (expected !== recentText(0))
    throw new Error(`recent differs from withRecent: ${expected} / ${recentText(0)}`);

  step('outcomes and aggregates computed');
  // The worked contacts, closed: today's retries and callbacks are the baseline's waiting rows.
  const contacts = new BulkInsert(db, CONTACT_INSERT);
  for (let w = 0; w < WORKED_CONTACTS; w++) {
    const doNotCall = STATUSES[statusIds.indexOf(lastStatus[w]!)]?.code === 'NC';
    await contacts.add(
      contactRow(
        baseContacts + 1 + w,
        campaignIds[w % CAMPAIGNS]!,
        doNotCall ? 'final' : 'done',
        attempts[w],
        lastStatus[w] || null,
        lastAt[w] ? new Date(lastAt[w]!) : null,
      ),
    );
  }
  const contactCount = await contacts.end();
  step('contacts');

  // Pass 2: the interactions (explicit ids, oldest first) and the R outcomes' callbacks.
  const rows = new BulkInsert(
    db,
    'INSERT INTO interactions (id, contact_id, campaign_id, operator_id, status_id, status_type, notes, started_at, duration_seconds, callback_id, created_at) VALUES ?',
  );
  const callbacks = new BulkInsert(
    db,
    'INSERT INTO callbacks (id, contact_id, campaign_id, owner_id, visibility, state, due_at, reason, interaction_id, closed_at, assigned_at) VALUES ?',
  );
  let callbackId = HISTORY_CALLBACK_BASE;
  for (let i = 0; i < INTERACTIONS; i++) {
    const { operator, campaignId, status, at } = interaction(i);
    const definition = STATUSES[status]!;
    const contactId = baseContacts + 1 + contactOf[i]!;
    const duration = 30 + (i % 240);
    let callback: number | null = null;
    if (definition.type === 'R') {
      callback = ++callbackId;
      const dueAt = new Date(Math.min(at + 20 * MINUTE, now - 1_000));
      const visibility = definition.callbackVisibility ?? 'private';
      await callbacks.add([
        callback,
        contactId,
        campaignId,
        operator.id,
        visibility,
        'done',
        dueAt,
        definition.label,
        i + 1,
        dueAt,
        new Date(at),
      ]);
    }
    await rows.add([
      i + 1,
      contactId,
      campaignId,
      operator.id,
      statusIds[status]!,
      definition.type,
      i % 10 === 0 ? 'Cliente richiama in serata, chiede del titolare' : null,
      new Date(at - duration * 1000),
      duration,
      callback,
      new Date(at),
    ]);
  }
  const interactionCount = await rows.end();
  const callbackCount = await callbacks.end();

  step('interactions and callbacks');
  const counterRows = [...counters].map(([key, count]): Row => [...key.split('|'), count]);
  const hourRows = [...hours].map(([key, count]): Row => [...key.split('|'), count]);
  for (let i = 0; i < counterRows.length; i += INSERT_ROWS) {
    await db.query(
      'INSERT INTO outcome_counters (day, campaign_id, operator_id, status_type, count) VALUES ?',
      [counterRows.slice(i, i + INSERT_ROWS)],
    );
  }
  for (let i = 0; i < hourRows.length; i += INSERT_ROWS) {
    await db.query(
      'INSERT INTO outcome_hours (day, hour, campaign_id, operator_id, status_id, count) VALUES ?',
      [hourRows.slice(i, i + INSERT_ROWS)],
    );
  }
  const states: Row[] = operators.map((operator, o) => [
    ...stateRow(operator, o, now),
    last[o]?.statusId ?? null,
    last[o]?.campaignId ?? null,
    last[o] ? new Date(last[o].at) : null,
    recentText(o),
  ]);
  for (let i = 0; i < states.length; i += 500) {
    await db.query(
      `INSERT INTO operator_states (user_id, state, pause_reason_id, since, seen_at, last_status_id, last_campaign_id, last_outcome_at, recent) VALUES ?
       ON DUPLICATE KEY UPDATE last_status_id = VALUES(last_status_id), last_campaign_id = VALUES(last_campaign_id),
         last_outcome_at = VALUES(last_outcome_at), recent = VALUES(recent)`,
      [states.slice(i, i + 500)],
    );
  }
  step('counters, hours, states');
  console.log(`  history steps: ${steps.join(', ')}`);
  return {
    interactions: interactionCount,
    'worked contacts': contactCount,
    'callbacks done': callbackCount,
    outcome_counters: counterRows.length,
    outcome_hours: hourRows.length,
  };
}

/** Counts the statements the app sends (TypeORM's logger) and keeps them while `capture`. */
class StatementWatch {
  count = 0;
  captured: Array<{ sql: string; params: unknown[] }> | null = null;

  constructor(dataSource: DataSource) {
    const logger = dataSource.logger;
    const logQuery = logger.logQuery.bind(logger);
    logger.logQuery = (query, parameters, runner) => {
      this.count++;
      this.captured?.push({ sql: query, params: parameters ?? [] });
      logQuery(query, parameters, runner);
    };
  }
}

/** One coordinator's browser on the SSE stream: counts its `event: wall` messages. */
class WallViewer {
  messages = 0;
  bytes = 0;
  firstBytes = 0;
  /** The `at` of every wall message: one per tick of the hub. */
  readonly ticks = new Set<string>();
  readonly firstWall: Promise<void>;
  private buffer = '';
  private readonly request: ClientRequest;

  constructor(port: number, token: string) {
    let resolveFirst: () => void = () => undefined;
    let rejectFirst: (error: Error) => void = () => undefined;
    this.firstWall = new Promise<void>((resolve, reject) => {
      resolveFirst = resolve;
      rejectFirst = reject;
    });
    this.request = get(
      {
        host: '127.0.0.1',
        port,
        path: '/api/v1/monitor/stream',
        agent: false,
        headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` },
      },
      (res) => {
        res.on('error', () => undefined);
        if (res.statusCode !== 200) {
          rejectFirst(new Error(`stream: HTTP ${res.statusCode}`));
          res.resume();
          return;
        }
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          this.bytes += Buffer.byteLength(chunk);
          this.buffer += chunk;
          for (let end = this.buffer.indexOf('\n\n'); end >= 0; end = this.buffer.indexOf('\n\n')) {
            const event = this.buffer.slice(0, end);
            this.buffer = this.buffer.slice(end + 2);
            if (!/^event: wall$/m.test(event)) continue;
            if (this.messages === 0) this.firstBytes = Buffer.byteLength(event);
            this.messages++;
            const at = /"at":"([^"]+)"/.exec(event.slice(0, 400))?.[1];
            if (at) this.ticks.add(at);
            resolveFirst();
          }
        });
      },
    );
    this.request.on('error', (error) => rejectFirst(error));
  }

  close(): void {
    this.request.destroy();
  }
}

/** What a profiled function belongs to, from its script's address. */
function moduleOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : 'V8 builtins';
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
  if (dependency) return dependency;
  const own = /\/(src|scripts)\/(.+)\.ts$/.exec(url);
  if (own) return own[1] === 'src' ? `src/${own[2]}` : 'the bench';
  return url.startsWith('node:') ? 'node internals' : url;
}

/**
 * Where `runs` snapshots spend the Node process's time, from V8's sampling profiler: the
 * self time by module and the functions costing most, per snapshot. `(idle)` is the wait for
 * the database; the rest is CPU.
 */
async function profileSnapshots(snapshot: () => Promise<unknown>, runs: number): Promise<void> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  for (let r = 0; r < runs; r++) await snapshot();
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byModule = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let k = 0; k < samples.length; k++) {
    const frame = nodes.get(samples[k]!)!.callFrame;
    const micros = deltas[k + 1] ?? 0;
    const module = moduleOf(frame.url, frame.functionName);
    byModule.set(module, (byModule.get(module) ?? 0) + micros);
    // ts-node compiles the app's files: their line numbers are not the sources', so no line.
    const line = frame.url.includes('node_modules') ? `:${frame.lineNumber + 1}` : '';
    const name = `${frame.functionName || '(anonymous)'} ${module}${line}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
  }
  const top = (map: Map<string, number>, n: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, micros]) => `${name} ${ms(micros / 1000 / runs)}`);
  console.log(
    `  Node time per snapshot by module (V8 profile of ${runs}): ${top(byModule, 8).join(', ')}`,
  );
  console.log(`  costliest functions per snapshot: ${top(byFunction, 8).join('; ')}`);
}

const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));
const seconds = (millis: number) => `${(millis / 1000).toFixed(1)} s`;
const p50p99 = (values: number[]) =>
  `${ms(percentile(values, 50)).padStart(9)} / ${ms(percentile(values, 99)).padStart(9)}`;

interface QueryWindow {
  viewers: number;
  millis: number;
  /** Statements the app sent (TypeORM's logger). */
  app: number;
  /** The server's Questions, less the bench's own status statements. */
  server: number;
  /** Distinct walls the viewers received. */
  ticks: number;
  /** The most connections of other clients seen on the server. */
  othersOpen: number;
}

interface SizeResult {
  label: string;
  inProcess: number[];
  spaced: number[];
  backToBack: number[];
}

async function main(): Promise<void> {
  const { WallService } = await import('../src/monitor/wall.service');
  const { createCampaign, createStatus } = await import('../test/factories/catalogue.factory');
  const { createUser } = await import('../test/factories/user.factory');

  const runStarted = performance.now();
  const rss = new MemorySampler();
  console.log(
    `bench-monitor: ${OPERATORS.toLocaleString('en')} operators, an empty history then ${INTERACTIONS.toLocaleString('en')} outcomes today, ${SAMPLES} samples in process, ${HTTP_SAMPLES} spaced over HTTP, ${VIEWERS} viewers, database ${URL_TEXT}`,
  );
  console.log(`load average at start (1 / 5 / 15 min): ${load()}`);
  let started = performance.now();
  const { app, http, dataSource, tokenFor } = await startListeningApp(URL_TEXT);
  // The callback and lease jobs would query the database during the windows: off.
  const timers = app.get(SchedulerRegistry);
  for (const name of timers.getIntervals()) timers.deleteInterval(name);
  for (const name of [...timers.getCronJobs().keys()]) timers.deleteCronJob(name);
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const watch = new StatementWatch(dataSource);
  const db = await createConnection({ uri: URL_TEXT, timezone: 'Z' });
  const timings = { boot: performance.now() - started, baseline: 0, history: 0 };
  console.log(`boot (migrations included): ${seconds(timings.boot)}`);

  // ---- configuration: statuses, operators (one password hash for all), campaigns
  started = performance.now();
  const coordinator = await createUser(app, { role: 'coordinator' });
  const token = await tokenFor(coordinator.id);
  const statusIds: number[] = [];
  for (const [k, status] of STATUSES.entries()) {
    const saved = await createStatus(app, {
      code: status.code,
      label: status.label,
      labelEn: status.labelEn,
      type: status.type,
      color: status.color,
      quick: true,
      quickOrder: k + 1,
      callbackVisibility: status.callbackVisibility ?? null,
      retryAfterMinutes: status.retryAfterMinutes ?? null,
      maxAttempts: status.maxAttempts ?? null,
      doNotCall: status.doNotCall ?? false,
    });
    statusIds.push(saved.id);
  }
  const [{ hash }] = await dataSource.query<[{ hash: string }]>(
    'SELECT password_hash AS hash FROM users WHERE id = ?',
    [coordinator.id],
  );
  const userRows: Row[] = Array.from({ length: OPERATORS }, (_, o) => [
    `operatore${String(o + 1).padStart(4, '0')}`,
    hash,
    `${LAST_NAMES[(o * 5) % LAST_NAMES.length]} ${FIRST_NAMES[o % FIRST_NAMES.length]} ${o + 1}`,
    'operator',
    'it',
    o % 10 === 9 ? null : `Team ${String((Math.floor(o / 10) % TEAMS) + 1).padStart(2, '0')}`,
  ]);
  await db.query(
    'INSERT INTO users (username, password_hash, display_name, role, languages, team) VALUES ?',
    [userRows],
  );
  const operatorIds = (
    await dataSource.query<Array<{ id: number }>>(
      "SELECT id FROM users WHERE role = 'operator' ORDER BY id",
    )
  ).map((r) => Number(r.id));
  const reasons = (
    await dataSource.query<Array<{ id: number }>>('SELECT id FROM pause_reasons ORDER BY id')
  ).map((r) => Number(r.id));
  // Campaign o mod 4, and every fifth operator a second one.
  const membership = operatorIds.map((_, o) =>
    o % 5 === 0 ? [o % CAMPAIGNS, (o + 1) % CAMPAIGNS] : [o % CAMPAIGNS],
  );
  const campaignIds: number[] = [];
  for (let c = 0; c < CAMPAIGNS; c++) {
    const campaign = await createCampaign(
      app,
      { code: `MON${c + 1}`, name: `Energia casa ${c + 1}`, timezone: ZONE },
      { statusIds, operatorIds: operatorIds.filter((_, o) => membership[o]!.includes(c)) },
    );
    campaignIds.push(campaign.id);
  }
  const operators: Operator[] = operatorIds.map((id, o) => {
    const slot = o % 20;
    const state = slot === 0 ? 'logged_out' : slot <= 3 ? 'paused' : 'ready';
    return {
      id,
      campaignIds: membership[o]!.map((c) => campaignIds[c]!),
      state,
      pauseReasonId: state === 'paused' ? reasons[o % reasons.length]! : null,
      lease: state === 'ready' && slot !== 4,
    };
  });
  const setup: Setup = {
    now: Date.now(),
    campaignIds,
    statusIds,
    operators,
    baseContacts: 0,
  };
  const base = await loadBaseline(db, setup);
  setup.baseContacts = base.contacts!;
  await db.query(
    'ANALYZE TABLE users, operator_states, contacts, callbacks, contact_leases, campaign_operators',
  );
  console.log(
    `baseline loaded in ${seconds((timings.baseline = performance.now() - started))}: ${OPERATORS} operators, ${CAMPAIGNS} campaigns, ${STATUSES.length} statuses, ${Object.entries(
      base,
    )
      .map(([k, v]) => `${v.toLocaleString('en')} ${k}`)
      .join(', ')} (${CONTACTS_LEFT.toLocaleString('en')} left to call)`,
  );

  const wall = app.get(WallService);
  const results: SizeResult[] = [];
  const serverCpu = await databaseCpuMeter(dataSource);
  let statementsPerSnapshot = 0;

  /** The presence the operators' pages would keep fresh (every 30 s) while the bench runs. */
  const refreshPresence = () =>
    db.query(
      "UPDATE operator_states SET seen_at = ? - INTERVAL (user_id % 60) SECOND WHERE state <> 'logged_out'",
      [new Date()],
    );

  const measure = async (label: string) => {
    await refreshPresence();
    console.log(`\n${label} (RSS ${mb(process.memoryUsage.rss())}, load ${load()})`);
    const snapshot = await wall.snapshot(new Date());
    const tiles = snapshot.operators;
    const states = new Map<string, number>();
    for (const tile of tiles) states.set(tile.state, (states.get(tile.state) ?? 0) + 1);
    const outcomes = tiles.reduce(
      (n, t) => n + t.counts.R + t.counts.N + t.counts.C + t.counts.T,
      0,
    );
    console.log(
      `  sizes: ${tiles.length} tiles (${OPERATORS} operators: ${[...states].map(([state, n]) => `${n} ${state}`).join(', ')}), ${tiles.filter((t) => t.lastOutcome).length} with a last outcome, ${tiles.reduce((n, t) => n + t.recent.length, 0)} recent marks, ${tiles.filter((t) => t.attention.length).length} asking attention; ${snapshot.campaigns.length} campaigns, ${snapshot.teams.length} teams; ${outcomes.toLocaleString('en')} outcomes counted; snapshot JSON ${(Buffer.byteLength(JSON.stringify(snapshot)) / 1024).toFixed(0)} KB`,
    );
    // (a) in process
    for (let w = 0; w < WARM_UP; w++) await wall.snapshot(new Date());
    const inProcess: number[] = [];
    const cpuBefore = process.cpuUsage();
    const dbBefore = serverCpu();
    const statementsBefore = watch.count;
    for (let s = 0; s < SAMPLES; s++) {
      const t = performance.now();
      await wall.snapshot(new Date());
      inProcess.push(performance.now() - t);
    }
    const nodeCpu = cpuMs(process.cpuUsage(cpuBefore)) / SAMPLES;
    const dbCpu = dbBefore < 0 ? -1 : (serverCpu() - dbBefore) / SAMPLES;
    statementsPerSnapshot = (watch.count - statementsBefore) / SAMPLES;
    console.log(
      `  snapshot in process      p50 / p99 ${p50p99(inProcess)}  (CPU per snapshot: Node ${ms(nodeCpu)}, database server ${dbCpu < 0 ? 'n/a' : ms(dbCpu)}, all its clients; ${statementsPerSnapshot} statements)`,
    );
    await refreshPresence();

    // (b) over HTTP, each request a fresh wall
    const path = '/api/v1/monitor/operators';
    for (let w = 0; w < 3; w++) expectStatus(await http.call('GET', path, token), 200, path);
    const spaced: number[] = [];
    let fresh = 0;
    let bytes = 0;
    for (let s = 0; s < HTTP_SAMPLES; s++) {
      // From the end of the last answer: its wall is then more than 1 s old, whatever it cost.
      await sleep(HTTP_SPACING_MS);
      const before = watch.count;
      const t = performance.now();
      const answer = await http.call('GET', path, token);
      spaced.push(performance.now() - t);
      expectStatus(answer, 200, path);
      if (watch.count - before >= statementsPerSnapshot) fresh++;
      bytes = Buffer.byteLength(JSON.stringify(answer.body));
    }
    console.log(
      `  HTTP, 1.1 s between      p50 / p99 ${p50p99(spaced)}  (${fresh}/${HTTP_SAMPLES} computed afresh; answer ${bytes.toLocaleString('en')} bytes of JSON)`,
    );
    // (c) back to back: what a viewer polling sees (the hub's wall of the last second)
    const backToBack: number[] = [];
    let computed = 0;
    for (let s = 0; s < BACK_TO_BACK; s++) {
      const before = watch.count;
      const t = performance.now();
      const answer = await http.call('GET', path, token);
      backToBack.push(performance.now() - t);
      expectStatus(answer, 200, path);
      if (watch.count - before >= statementsPerSnapshot) computed++;
    }
    console.log(
      `  HTTP, back to back       p50 / p99 ${p50p99(backToBack)}  (${computed}/${BACK_TO_BACK} computed, the rest the hub's wall of the last second)`,
    );
    await explainSnapshot(label);
    await profileSnapshots(() => wall.snapshot(new Date()), PROFILE_RUNS);
    results.push({ label, inProcess, spaced, backToBack });
  };

  /** Every statement of one snapshot, alone: time, rows, and the plan MariaDB ran. */
  const explainSnapshot = async (label: string) => {
    watch.captured = [];
    await wall.snapshot(new Date());
    const statements = watch.captured;
    watch.captured = null;
    const [version] = await db.query<RowDataPacket[]>('SELECT VERSION() AS v');
    const mariadb = /mariadb/i.test(String(version[0]?.v));
    console.log(`  the snapshot's statements, each alone (${label}):`);
    let sum = 0;
    for (const { sql, params } of statements) {
      const times: number[] = [];
      let rows = 0;
      for (let r = 0; r < QUERY_RUNS; r++) {
        const t = performance.now();
        const [result] = await db.query<RowDataPacket[]>(sql, params);
        times.push(performance.now() - t);
        rows = result.length;
      }
      sum += percentile(times, 50);
      const [plan] = await db.query<RowDataPacket[]>(
        `${mariadb ? 'ANALYZE' : 'EXPLAIN'} ${sql}`,
        params,
      );
      const table = /FROM `(\w+)`/.exec(sql)?.[1] ?? '?';
      console.log(
        `    ${table.padEnd(18)} ${String(rows).padStart(6)} rows  p50 ${ms(percentile(times, 50)).padStart(8)}  ${plan
          .map(
            (p) =>
              `[${p.table} ${p.type} key ${p.key ?? '-'} rows ${p.rows}${p.r_rows !== undefined ? ` r_rows ${p.r_rows}` : ''}${p.Extra ? ` "${p.Extra}"` : ''}]`,
          )
          .join(' ')}`,
      );
    }
    console.log(`    sum of the p50s, one after another: ${ms(sum)}`);
  };

  await measure(`empty history: ${OPERATORS} operators, no outcome today`);

  started = performance.now();
  const history = await loadHistory(db, setup);
  await db.query(
    'ANALYZE TABLE interactions, callbacks, contacts, outcome_counters, outcome_hours, operator_states',
  );
  timings.history = performance.now() - started;
  // The server flushes and purges after a bulk load: let it, so the samples do not pay for it.
  await sleep(SETTLE_MS);
  console.log(
    `\nhistory loaded in ${seconds(timings.history)} (+ ${seconds(SETTLE_MS)} settling): ${Object.entries(
      history,
    )
      .map(([k, v]) => `${v.toLocaleString('en')} ${k}`)
      .join(', ')}; RSS ${mb(process.memoryUsage.rss())}`,
  );
  await measure(`${INTERACTIONS.toLocaleString('en')} outcomes today`);

  // ---- queries per second with 1 and with VIEWERS viewers of the stream
  const status = await createConnection({ uri: URL_TEXT, timezone: 'Z' });
  const questions = async () => {
    const [rows] = await status.query<RowDataPacket[]>("SHOW GLOBAL STATUS LIKE 'Questions'");
    return Number(rows[0]?.Value);
  };
  /** Connections of other clients (other databases): their statements count in Questions. */
  const otherClients = async () => {
    const [rows] = await status.query<RowDataPacket[]>(
      "SELECT COUNT(*) AS open, COALESCE(SUM(COMMAND <> 'Sleep'), 0) AS busy FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND (DB IS NULL OR DB <> DATABASE())",
    );
    return { open: Number(rows[0]?.open), busy: Number(rows[0]?.busy) };
  };
  console.log(
    `\nSSE viewers of /api/v1/monitor/stream: windows of ${seconds(WINDOW_MS)} (${seconds(BACKGROUND_MS)} with no viewer); other clients of the server sampled every ${OTHERS_SAMPLE_MS} ms`,
  );
  const viewers: WallViewer[] = [];
  const windows: QueryWindow[] = [];
  const window = async (count: number, length: number): Promise<QueryWindow> => {
    while (viewers.length < count) viewers.push(new WallViewer(port, token));
    await Promise.all(viewers.map((v) => v.firstWall));
    await refreshPresence();
    await sleep(1_500);
    const messagesBefore = viewers.map((v) => v.messages);
    const ticksBefore = viewers.map((v) => new Set(v.ticks));
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const cpuBefore = process.cpuUsage();
    const appBefore = watch.count;
    const serverBefore = await questions();
    const t = performance.now();
    let samples = 0;
    let othersOpen = 0;
    let othersBusy = 0;
    while (performance.now() - t < length - OTHERS_SAMPLE_MS) {
      await sleep(OTHERS_SAMPLE_MS);
      const others = await otherClients();
      samples++;
      othersOpen = Math.max(othersOpen, others.open);
      if (others.busy > 0) othersBusy++;
    }
    await sleep(Math.max(0, length - (performance.now() - t)));
    // Less this SHOW and the process-list samples: they count too.
    const server = (await questions()) - serverBefore - 1 - samples;
    const millis = performance.now() - t;
    const app = watch.count - appBefore;
    delay.disable();
    const node = cpuMs(process.cpuUsage(cpuBefore));
    const messages = viewers.map((v, k) => v.messages - messagesBefore[k]!);
    const ticks = new Set(
      viewers.flatMap((v, k) => [...v.ticks].filter((at) => !ticksBefore[k]!.has(at))),
    );
    const result = { viewers: count, millis, app, server, ticks: ticks.size, othersOpen };
    const perSecond = (n: number) => ((n * 1000) / millis).toFixed(1);
    console.log(
      `  ${String(count).padStart(2)} viewer(s): app ${app} statements = ${perSecond(app)}/s (${ticks.size} ticks, ${ticks.size ? (app / ticks.size).toFixed(1) : '-'} a tick); server Questions ${server} = ${perSecond(server)}/s (other clients: up to ${othersOpen} connections, busy in ${othersBusy}/${samples} samples); Node CPU ${((node / millis) * 100).toFixed(0)}%, event-loop delay p99 ${ms(delay.percentile(99) / 1e6)}`,
    );
    if (count > 0) {
      const sorted = [...messages].sort((a, b) => a - b);
      console.log(
        `      wall messages per viewer in the window: min ${sorted[0]} median ${sorted[Math.floor(sorted.length / 2)]} max ${sorted[sorted.length - 1]}; ${messages.filter((m) => m > 0).length}/${count} viewers received ticks; first message ${(viewers[0]!.firstBytes / 1024).toFixed(0)} KB, ${(viewers.reduce((n, v) => n + v.bytes, 0) / 1024 / 1024).toFixed(1)} MB received in all`,
      );
    }
    windows.push(result);
    return result;
  };
  const none = await window(0, BACKGROUND_MS);
  const one = await window(1, WINDOW_MS);
  const many = await window(VIEWERS, WINDOW_MS);
  for (const viewer of viewers) viewer.close();
  await status.end();

  // ---- summary
  const [empty, full] = results;
  console.log(`\nsummary (${INTERACTIONS.toLocaleString('en')} outcomes today / empty history):`);
  console.log(
    '| measure                       | empty p50 / p99       | 1M p50 / p99          | 1M / empty p50 / p99 |',
  );
  console.log(
    '| ----------------------------- | --------------------- | --------------------- | -------------------- |',
  );
  for (const [name, key] of [
    ['snapshot in process', 'inProcess'],
    ['HTTP operators, 1.1 s between', 'spaced'],
    ['HTTP operators, back to back', 'backToBack'],
  ] as const) {
    const ratio = (p: number) =>
      (percentile(full![key], p) / percentile(empty![key], p)).toFixed(2);
    console.log(
      `| ${name.padEnd(29)} | ${p50p99(empty![key])} | ${p50p99(full![key])} | ${ratio(50).padStart(9)} / ${ratio(99).padEnd(8)} |`,
    );
  }
  const rate = (w: QueryWindow, key: 'app' | 'server') => (w[key] * 1000) / w.millis;
  console.log(
    `\n| queries per second                  | no viewer | 1 viewer | ${VIEWERS} viewers | ${VIEWERS} / 1 |`,
  );
  console.log(
    '| ----------------------------------- | --------- | -------- | ---------- | ------ |',
  );
  for (const [name, key] of [
    ['app statements (TypeORM logger)', 'app'],
    ['server Questions (less own status)', 'server'],
  ] as const) {
    console.log(
      `| ${name.padEnd(35)} | ${rate(none, key).toFixed(1).padStart(9)} | ${rate(one, key).toFixed(1).padStart(8)} | ${rate(many, key).toFixed(1).padStart(10)} | ${(rate(many, key) / rate(one, key)).toFixed(2).padStart(6)} |`,
    );
  }
  if (windows.some((w) => w.othersOpen > 0)) {
    console.log(
      "  (other clients were connected to the server during a window: the server's Questions include their statements; the app's count is the wall's own)",
    );
  }
  console.log(
    `  wall ticks in the windows: 1 viewer ${one.ticks}, ${VIEWERS} viewers ${many.ticks} (${Math.round(WINDOW_MS / 1000)} expected)`,
  );
  console.log(
    `\nwall of ${OPERATORS} operators with ${INTERACTIONS.toLocaleString('en')} outcomes today: p99 in process ${ms(percentile(full!.inProcess, 99))}, over HTTP ${ms(percentile(full!.spaced, 99))} (target <= ${TARGET_MS} ms)`,
  );
  console.log(
    `run: ${seconds(performance.now() - runStarted)} (boot ${seconds(timings.boot)}, baseline load ${seconds(timings.baseline)}, history load ${seconds(timings.history)}), peak RSS ${mb(rss.peakOverall())}, load average at end (1 / 5 / 15 min): ${load()}`,
  );
  rss.stop();
  http.close();
  await db.end();
  await app.close();
}

main().catch((error: unknown) => {
  // A failed bulk INSERT's error carries its whole statement: the stack is enough.
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
