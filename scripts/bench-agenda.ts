/**
 * `npm run bench` (`BENCH_ONLY=agenda` for this one alone): the field agents' availability as
 * the outcome step asks for it, over HTTP, for a campaign of 50 agents (Monday-Friday
 * 09:00-18:00 and Saturday 09:00-13:00, 60-minute visits, 15 minutes of travel buffer),
 * first with an empty agenda (the baseline) and then with 10,000 appointments (half of them
 * in the last two months, half in the next two; one in ten cancelled) and 200 absences:
 *
 *   campaign agenda, 2 weeks: GET /campaigns/:id/agenda for 14 days, every agent's slots and
 *     each one's next free slot (28 days ahead) - 50 agents' availability in one request;
 *   one agent, 2 weeks: GET /agents/:id/availability for 14 days, for each agent in turn.
 *
 * Printed: p50 / p99 per question and size, the ratio 10k / empty, and the p99 against the
 * target (<= 50 ms for the 50 agents). Figures, not a test: nothing is asserted about a
 * timing. BENCH_DATABASE_URL (default mysql://root@127.0.0.1:3306/esito_bench_agenda) is
 * dropped and created again; BENCH_APPOINTMENTS and BENCH_SAMPLES change the sizes.
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { createConnection } from 'mysql2/promise';
import { expectStatus, load, ms, percentile, startListeningApp } from './bench-support';

const URL_TEXT = process.env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/esito_bench_agenda';
const AGENTS = 50;
const APPOINTMENTS = Number(process.env.BENCH_APPOINTMENTS ?? 10_000);
const ABSENCES = 200;
const CONTACTS = 2_000;
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const WARM_UP = 20;
const DAY = 86_400_000;
const HOUR = 3_600_000;
const TARGET_MS = 50;

/** Deterministic pseudo-random numbers (mulberry32), so that two runs load the same agenda. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * `total` appointments on the agents' grids (whole hours, 09:00-17:00 Rome, weekdays),
 * never two on one agent's hour, from 60 days ago to 60 days ahead; and the absences.
 */
async function loadAgenda(
  url: string,
  setup: { campaignId: number; agentIds: number[]; contactIds: number[]; now: number },
  total: number,
) {
  const db = await createConnection(url);
  const next = random(42);
  const taken = new Set<string>();
  const rows: unknown[][] = [];
  const today = Date.UTC(
    new Date(setup.now).getUTCFullYear(),
    new Date(setup.now).getUTCMonth(),
    new Date(setup.now).getUTCDate(),
  );
  while (rows.length < total) {
    const agentId = setup.agentIds[Math.floor(next() * setup.agentIds.length)]!;
    const day = today + Math.floor(next() * 120 - 60) * DAY;
    const weekday = new Date(day).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    // 08:00-16:00 UTC is 09:00-17:00 in Rome in winter (a summer hour is still on the grid).
    const start = day + (8 + Math.floor(next() * 9)) * HOUR;
    const key = `${agentId}:${start}`;
    if (taken.has(key)) continue;
    taken.add(key);
    const at = new Date(start);
    rows.push([
      agentId,
      setup.campaignId,
      setup.contactIds[rows.length % setup.contactIds.length],
      at,
      new Date(start + HOUR),
      rows.length % 10 === 0 ? 'cancelled' : start < setup.now ? 'done' : 'booked',
      at,
      at,
    ]);
  }
  for (let i = 0; i < rows.length; i += 2_000) {
    await db.query(
      'INSERT INTO appointments (agent_id, campaign_id, contact_id, starts_at, ends_at, state, created_at, updated_at) VALUES ?',
      [rows.slice(i, i + 2_000)],
    );
  }
  const absences: unknown[][] = [];
  for (let i = 0; i < ABSENCES; i++) {
    const start = today + Math.floor(next() * 90 - 30) * DAY;
    absences.push([
      setup.agentIds[i % setup.agentIds.length],
      new Date(start),
      new Date(start + (1 + (i % 3)) * DAY),
      'ferie',
    ]);
  }
  await db.query('INSERT INTO agent_absences (agent_id, starts_at, ends_at, reason) VALUES ?', [
    absences,
  ]);
  await db.query('ANALYZE TABLE appointments, agent_absences');
  await db.end();
}

async function main(): Promise<void> {
  const { CampaignAgent } = await import('../src/campaigns/campaign-agent.entity');
  const { createAgent, createCampaign } = await import('../test/factories/catalogue.factory');
  const { createUser } = await import('../test/factories/user.factory');

  console.log(
    `bench-agenda: ${AGENTS} agents, empty agenda then ${APPOINTMENTS.toLocaleString('en')} appointments, ${SAMPLES} samples per question, database ${URL_TEXT}`,
  );
  console.log(`load average at start (1 / 5 / 15 min): ${load()}`);
  const { app, http, dataSource, tokenFor } = await startListeningApp(URL_TEXT);

  const campaign = await createCampaign(app, { travelBufferMinutes: 15 });
  const agentIds: number[] = [];
  for (let a = 0; a < AGENTS; a++) {
    const agent = await createAgent(app, {
      zones: [['MI', 'RM', 'TO', 'NA', 'BO'][a % 5]!],
      workingHours: [
        ...[1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '18:00' })),
        { day: 6, start: '09:00', end: '13:00' },
      ],
    });
    agentIds.push(agent.id);
  }
  await dataSource
    .getRepository(CampaignAgent)
    .insert(agentIds.map((agentId) => ({ campaignId: campaign.id, agentId })));
  const contactIds: number[] = [];
  const contactRows = Array.from({ length: CONTACTS }, (_, i) => [
    campaign.id,
    'Cliente',
    `N${i}`,
    `+39333${String(i).padStart(7, '0')}`,
    'done',
  ]);
  await dataSource.query(
    `INSERT INTO contacts (campaign_id, first_name, last_name, phone, state) VALUES ${contactRows.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
    contactRows.flat(),
  );
  for (const row of await dataSource.query<Array<{ id: number }>>(
    'SELECT id FROM contacts ORDER BY id',
  )) {
    contactIds.push(Number(row.id));
  }
  const operator = await createUser(app, { role: 'operator' });
  const token = await tokenFor(operator.id);

  const today = new Date().toISOString().slice(0, 10);
  const until = new Date(Date.now() + 13 * DAY).toISOString().slice(0, 10);
  const questions = [
    {
      name: `campaign agenda, ${AGENTS} agents, 2 weeks`,
      paths: [`/api/v1/campaigns/${campaign.id}/agenda?from=${today}&to=${until}`],
    },
    {
      name: 'one agent, 2 weeks',
      paths: agentIds.map((id) => `/api/v1/agents/${id}/availability?from=${today}&to=${until}`),
    },
  ];

  const results = new Map<string, number[][]>();
  for (const size of [0, APPOINTMENTS]) {
    const started = performance.now();
    if (size > 0) {
      await loadAgenda(
        URL_TEXT,
        { campaignId: campaign.id, agentIds, contactIds, now: Date.now() },
        size,
      );
    }
    const [{ n }] = await dataSource.query<[{ n: string }]>(
      'SELECT COUNT(*) AS n FROM appointments',
    );
    console.log(
      `\n${Number(n).toLocaleString('en')} appointments (loaded in ${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
    for (const question of questions) {
      for (let w = 0; w < WARM_UP; w++) {
        const path = question.paths[w % question.paths.length]!;
        expectStatus(await http.call('GET', path, token), 200, path);
      }
      const times: number[] = [];
      let slots = 0;
      for (let s = 0; s < SAMPLES; s++) {
        const path = question.paths[s % question.paths.length]!;
        const t = performance.now();
        const answer = await http.call('GET', path, token);
        times.push(performance.now() - t);
        expectStatus(answer, 200, path);
        const body = answer.body as { agents?: Array<{ slots: unknown[] }> } | unknown[];
        slots = Array.isArray(body)
          ? body.length
          : (body.agents ?? []).reduce((sum, a) => sum + a.slots.length, 0);
      }
      const list = results.get(question.name) ?? [];
      list.push(times);
      results.set(question.name, list);
      console.log(
        `  ${question.name.padEnd(34)} p50 ${ms(percentile(times, 50)).padStart(9)}  p99 ${ms(percentile(times, 99)).padStart(9)}  (${slots} slots in the last answer)`,
      );
    }
  }

  console.log(`\n${APPOINTMENTS.toLocaleString('en')} appointments / empty agenda, p50 and p99:`);
  for (const [name, [empty, full]] of results) {
    const ratios = [50, 99].map((p) => percentile(full!, p) / percentile(empty!, p));
    console.log(`  ${name.padEnd(34)} p50 ${ratios[0]!.toFixed(2)}  p99 ${ratios[1]!.toFixed(2)}`);
  }
  const agenda = results.get(questions[0]!.name)![1]!;
  console.log(
    `\n${AGENTS} agents over 2 weeks with ${APPOINTMENTS.toLocaleString('en')} appointments: p99 ${ms(percentile(agenda, 99))} (target <= ${TARGET_MS} ms)`,
  );
  console.log(`load average at end (1 / 5 / 15 min): ${load()}`);
  http.close();
  await app.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
