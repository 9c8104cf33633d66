/**
 * `npm run bench` (`BENCH_ONLY=contracts` for this one alone): the backoffice's contracts
 * list over HTTP (GET /api/v1/contracts, 50 a page) with 10,000 contracts and then with
 * 1,000,000 instead (bulk-loaded with raw multi-row INSERTs, both spread alike over the last
 * two years, four campaigns, twenty operators and the four states, so that each question
 * finds the same share of the table), each question asked as the backoffice asks it:
 *
 *   the newest page; a page deep in the list (after a cursor 90% of the way down); a status
 *   filter deep in the list; a campaign filter over a month; one operator's contracts; a
 *   protocol number; a phone's first digits; a last name's first letters.
 *
 * Every question runs BENCH_SAMPLES times on each size; printed: p50 / p99 per size and the
 * ratio of the p99s, 1M / 10k (target <= 1.5: the paging stays index-bound). Figures, not a
 * test: nothing is asserted about a timing. BENCH_DATABASE_URL (default
 * mysql://root@127.0.0.1:3306/esito_bench_contracts) is dropped and created again;
 * BENCH_BIG_CONTRACTS makes the big size smaller or larger.
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { createConnection } from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import { expectStatus, load, mb, ms, percentile, startListeningApp } from './bench-support';

const URL_TEXT =
  process.env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/esito_bench_contracts';
const SMALL = 10_000;
const BIG = Number(process.env.BENCH_BIG_CONTRACTS ?? 1_000_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const INSERT_ROWS = 5_000;
const WARM_UP = 30;
const SETTLE_MS = 10_000;
const OPERATORS = 20;
const CAMPAIGNS = 4;
const SPAN_MS = 2 * 365 * 86_400_000;
const LAST_NAMES = ['Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano', 'Colombo'];
const FIRST_NAMES = ['Maria', 'Giuseppe', 'Anna', 'Giovanni', 'Francesca', 'Antonio'];
/** 60% new, 20% verified, 15% activated, 5% cancelled. */
const STATES = [
  ...Array<string>(12).fill('new'),
  ...Array<string>(4).fill('verified'),
  ...Array<string>(3).fill('activated'),
  'cancelled',
];

interface Setup {
  campaignIds: number[];
  operatorIds: number[];
  contactId: number;
  end: number;
}

/** A phone per contract, never repeated: 7919 is prime, so i -> i * 7919 mod 10^7 permutes. */
const phoneOf = (i: number) => `+39333${String((i * 7919) % 10_000_000).padStart(7, '0')}`;

/**
 * `total` contracts over the last two years, oldest first: created_at grows with the id, as
 * in a real table. Multi-row INSERTs of INSERT_ROWS.
 */
async function loadContracts(url: string, setup: Setup, total: number) {
  const db = await createConnection(url);
  const columns =
    'protocol_number, contact_id, campaign_id, operator_id, status, customer, customer_first_name, customer_last_name, customer_phone, total_net, total_vat, total, created_at, updated_at, status_changed_at';
  for (let start = 0; start < total; start += INSERT_ROWS) {
    const rows: unknown[][] = [];
    for (let i = start; i < Math.min(total, start + INSERT_ROWS); i++) {
      const at = new Date(setup.end - SPAN_MS + Math.floor((i * SPAN_MS) / total));
      const firstName = FIRST_NAMES[i % FIRST_NAMES.length]!;
      const lastName = LAST_NAMES[(i * 5) % LAST_NAMES.length]!;
      const phone = phoneOf(i);
      const net = 1000 + (i % 90_000);
      const vat = Math.round(net * 0.22);
      rows.push([
        `${at.getUTCFullYear()}/${String(i + 1).padStart(7, '0')}`,
        setup.contactId,
        setup.campaignIds[i % CAMPAIGNS],
        setup.operatorIds[(i * 7) % OPERATORS],
        STATES[i % STATES.length],
        JSON.stringify({ firstName, lastName, phone }),
        firstName,
        lastName,
        phone,
        (net / 100).toFixed(2),
        (vat / 100).toFixed(2),
        ((net + vat) / 100).toFixed(2),
        at,
        at,
        at,
      ]);
    }
    await db.query(`INSERT INTO contracts (${columns}) VALUES ?`, [rows]);
  }
  await db.end();
}

interface Question {
  name: string;
  path: () => string | Promise<string>;
}

async function main(): Promise<void> {
  const { encodeContractCursor } = await import('../src/contracts/dto/contract-query');
  const { createCampaign } = await import('../test/factories/catalogue.factory');
  const { createContact } = await import('../test/factories/contact.factory');
  const { createUser } = await import('../test/factories/user.factory');

  console.log(
    `bench-contracts: ${SMALL.toLocaleString('en')} and ${BIG.toLocaleString('en')} contracts, ${SAMPLES} samples per question, database ${URL_TEXT}`,
  );
  console.log(`load average at start (1 / 5 / 15 min): ${load()}`);
  const { app, http, dataSource, tokenFor } = await startListeningApp(URL_TEXT);

  const campaigns = [];
  for (let c = 0; c < CAMPAIGNS; c++) campaigns.push(await createCampaign(app));
  const operatorIds: number[] = [];
  for (let o = 0; o < OPERATORS; o++) {
    operatorIds.push((await createUser(app, { role: 'operator' })).id);
  }
  const backoffice = await createUser(app, { role: 'backoffice' });
  const token = await tokenFor(backoffice.id);
  const setup: Setup = {
    campaignIds: campaigns.map((c) => c.id),
    operatorIds,
    contactId: (await createContact(app, campaigns[0]!.id)).id,
    end: Date.now(),
  };

  /** The cursor of the row at `fraction` of the list (newest first) matching `where`. */
  const cursorAt = async (fraction: number, where = '1 = 1', params: unknown[] = []) => {
    const [{ n }] = await dataSource.query<[{ n: string }]>(
      `SELECT COUNT(*) AS n FROM contracts WHERE ${where}`,
      params,
    );
    const offset = Math.floor(Number(n) * fraction);
    const [row] = await dataSource.query<[{ id: number; created_at: string }]>(
      `SELECT id, CAST(created_at AS CHAR) AS created_at FROM contracts WHERE ${where}
       ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET ?`,
      [...params, offset],
    );
    return encodeURIComponent(encodeContractCursor({ createdAt: row.created_at, id: row.id }));
  };
  const monthAgo = new Date(setup.end - 30 * 86_400_000).toISOString();
  const questions: Question[] = [
    { name: 'newest page', path: () => '/api/v1/contracts' },
    {
      name: 'deep page (90% down)',
      path: async () => `/api/v1/contracts?after=${await cursorAt(0.9)}`,
    },
    {
      name: 'status=activated, deep (90%)',
      path: async () =>
        `/api/v1/contracts?status=activated&after=${await cursorAt(0.9, "status = 'activated'")}`,
    },
    {
      name: 'campaign + last 30 days',
      path: () =>
        `/api/v1/contracts?campaignId=${setup.campaignIds[1]}&from=${encodeURIComponent(monthAgo)}`,
    },
    {
      name: 'one operator, deep (50%)',
      path: async () =>
        `/api/v1/contracts?operatorId=${operatorIds[3]}&after=${await cursorAt(0.5, 'operator_id = ?', [operatorIds[3]])}`,
    },
    {
      name: 'search: protocol number',
      path: async () => {
        const [row] = await dataSource.query<[{ p: string }]>(
          'SELECT protocol_number AS p FROM contracts ORDER BY id LIMIT 1 OFFSET ?',
          [Math.floor((await count(dataSource)) / 3)],
        );
        return `/api/v1/contracts?q=${encodeURIComponent(row.p)}`;
      },
    },
    { name: 'search: phone digits', path: () => '/api/v1/contracts?q=3330007' },
    { name: 'search: last name start', path: () => '/api/v1/contracts?q=Bian' },
  ];

  const results = new Map<string, number[][]>();
  for (const size of [SMALL, BIG]) {
    const started = performance.now();
    await dataSource.query('DELETE FROM contracts');
    await loadContracts(URL_TEXT, setup, size);
    await dataSource.query('ANALYZE TABLE contracts');
    // The server flushes and purges after a bulk load: let it, so the samples do not pay for it.
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    console.log(
      `\n${size.toLocaleString('en')} contracts (loaded in ${((performance.now() - started) / 1000).toFixed(1)} s, RSS ${mb(process.memoryUsage.rss())})`,
    );
    for (const question of questions) {
      const path = await question.path();
      for (let w = 0; w < WARM_UP; w++)
        expectStatus(await http.call('GET', path, token), 200, path);
      const times: number[] = [];
      let items = 0;
      for (let s = 0; s < SAMPLES; s++) {
        const t = performance.now();
        const answer = await http.call('GET', path, token);
        times.push(performance.now() - t);
        expectStatus(answer, 200, path);
        items = (answer.body as { items: unknown[] }).items.length;
      }
      const list = results.get(question.name) ?? [];
      list.push(times);
      results.set(question.name, list);
      console.log(
        `  ${question.name.padEnd(30)} p50 ${ms(percentile(times, 50)).padStart(9)}  p99 ${ms(percentile(times, 99)).padStart(9)}  (${items} items)`,
      );
    }
  }

  console.log(
    `\n${BIG.toLocaleString('en')} / ${SMALL.toLocaleString('en')}, p50 and p99 (target for the p99 <= 1.5):`,
  );
  const worst = [0, 0];
  for (const [name, [small, big]] of results) {
    const ratios = [50, 99].map((p) => percentile(big!, p) / percentile(small!, p));
    ratios.forEach((r, i) => (worst[i] = Math.max(worst[i]!, r)));
    console.log(`  ${name.padEnd(30)} p50 ${ratios[0]!.toFixed(2)}  p99 ${ratios[1]!.toFixed(2)}`);
  }
  console.log(`  ${'worst'.padEnd(30)} p50 ${worst[0]!.toFixed(2)}  p99 ${worst[1]!.toFixed(2)}`);
  console.log(`load average at end (1 / 5 / 15 min): ${load()}`);
  http.close();
  await app.close();
}

async function count(dataSource: DataSource): Promise<number> {
  const [{ n }] = await dataSource.query<[{ n: string }]>('SELECT COUNT(*) AS n FROM contracts');
  return Number(n);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
