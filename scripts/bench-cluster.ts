/**
 * `npm run bench` (`BENCH_ONLY=cluster` for this one alone): operators confirming outcomes
 * through three app instances, first with all three on node 1 of the Galera cluster
 * scripts/cluster.sh starts, then with each on its own node (each listing the two others
 * after its own), in the same run. Each side runs twice: plain confirms (a type N outcome,
 * then the next contact) and online closes (type C, a contract with its protocol number,
 * the year's counter row written by every close). Printed per run: outcomes/s, p50/p99 of
 * the outcome's answer, conflicts retried per 1,000 requests (the instances'
 * esito_transaction_retries_total) and any answer other than 200/201/204/409.
 *
 * Figures, not a test. The cluster must be running (`scripts/cluster.sh start`);
 * BENCH_CLUSTER_URL (default mysql://esito:esito@127.0.0.1:3311/esito_bench_cluster, its
 * database dropped and created again) names node 1; nodes 2 and 3 are on the next ports.
 * BENCH_OPERATORS (24) operators work for BENCH_SECONDS (20) per run.
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { load, percentile, ms, startListeningApp } from './bench-support';
import { type AppProcess, killAppProcess, startAppProcess } from '../test/support/app-process';
import { createCampaign, createProduct, createStatus } from '../test/factories/catalogue.factory';
import { createUser } from '../test/factories/user.factory';

const URL_TEXT =
  process.env.BENCH_CLUSTER_URL ?? 'mysql://esito:esito@127.0.0.1:3311/esito_bench_cluster';
const OPERATORS = Number(process.env.BENCH_OPERATORS ?? 24);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const METRICS_TOKEN = 'bench-cluster-metrics-token';
/** Contacts per run: more than the operators could work in the time. */
const CONTACTS = Math.max(500, OPERATORS * SECONDS * 40);

interface Run {
  side: string;
  kind: 'confirm' | 'close';
  done: number;
  latencies: number[];
  requests: number;
  retries: number;
  unexpected: Map<number, number>;
  seconds: number;
}

async function retriesOf(instances: AppProcess[]): Promise<number> {
  let total = 0;
  for (const instance of instances) {
    const res = await fetch(`${instance.baseUrl}/metrics`, {
      headers: { Authorization: `Bearer ${METRICS_TOKEN}` },
    });
    for (const line of (await res.text()).split('\n')) {
      if (line.startsWith('esito_transaction_retries_total{')) total += Number(line.split(' ')[1]);
    }
  }
  return total;
}

async function post(base: string, token: string, path: string, body: object) {
  const res = await fetch(`${base}/api/v1${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

/** Whether node 1 answers; without a cluster a whole `npm run bench` passes this one by. */
async function clusterRuns(url: URL): Promise<boolean> {
  const { createConnection } = await import('mysql2/promise');
  const admin = new URL(url);
  admin.pathname = '/';
  try {
    await (await createConnection(admin.toString())).end();
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const node1 = new URL(URL_TEXT);
  if (!(await clusterRuns(node1))) {
    const message = `no cluster answers at ${node1.host} (scripts/cluster.sh start)`;
    if (process.env.BENCH_ONLY === 'cluster') throw new Error(message);
    console.log(`Cluster bench skipped: ${message}`);
    return;
  }
  const ports = [0, 1, 2].map((i) => Number(node1.port || 3306) + i);
  process.env.METRICS_TOKEN = METRICS_TOKEN;
  const setup = await startListeningApp(URL_TEXT);
  const { app } = setup;
  const { DataSource } = await import('typeorm');
  const { Contact } = await import('../src/contacts/contact.entity');
  const dataSource = app.get(DataSource);

  const product = await createProduct(app);
  const statuses = {
    confirm: await createStatus(app, { type: 'N' }),
    close: await createStatus(app, { type: 'C' }),
  };
  const users: Array<{ id: number }> = [];
  for (let i = 0; i < OPERATORS; i++) users.push(await createUser(app, { role: 'operator' }));
  const tokens = await Promise.all(users.map((u) => setup.tokenFor(u.id)));
  let phone = 0;

  async function campaignFor(kind: 'confirm' | 'close'): Promise<number> {
    const campaign = await createCampaign(
      app,
      {},
      {
        statusIds: [statuses[kind].id],
        productIds: [product.id],
        operatorIds: users.map((u) => u.id),
      },
    );
    for (let at = 0; at < CONTACTS; at += 500) {
      const rows = Array.from({ length: Math.min(500, CONTACTS - at) }, () => ({
        campaignId: campaign.id,
        firstName: 'Bench',
        lastName: `Cliente ${++phone}`,
        phone: `+39333${String(phone).padStart(7, '0')}`,
        email: null,
        language: null,
        city: null,
        province: null,
        fields: null,
        state: 'new' as const,
        attempts: 0,
        lastStatusId: null,
        lastOutcomeAt: null,
      }));
      await dataSource.getRepository(Contact).insert(rows);
    }
    return campaign.id;
  }

  async function run(side: string, instances: AppProcess[], kind: 'confirm' | 'close') {
    const campaignId = await campaignFor(kind);
    const body =
      kind === 'close'
        ? { statusId: statuses.close.id, cart: [{ productId: product.id, quantity: 1 }] }
        : { statusId: statuses.confirm.id };
    const result: Run = {
      side,
      kind,
      done: 0,
      latencies: [],
      requests: 0,
      retries: 0,
      unexpected: new Map(),
      seconds: SECONDS,
    };
    const note = (status: number) => {
      result.requests++;
      if (![200, 201, 204, 409].includes(status)) {
        result.unexpected.set(status, (result.unexpected.get(status) ?? 0) + 1);
      }
    };
    const retriesBefore = await retriesOf(instances);
    const started = performance.now();
    const end = started + SECONDS * 1000;
    await Promise.all(
      tokens.map(async (token, i) => {
        const base = instances[i % instances.length]!.baseUrl;
        while (performance.now() < end) {
          const next = await post(base, token, '/work/next', { campaignId });
          note(next.status);
          if (next.status === 204) return;
          if (next.status !== 200) continue;
          const contactId = (next.body!.contact as { id: number }).id;
          const at = performance.now();
          const outcome = await post(base, token, `/work/${contactId}/outcome`, body);
          note(outcome.status);
          if (outcome.status === 201) {
            result.latencies.push(performance.now() - at);
            result.done++;
          }
        }
      }),
    );
    result.seconds = (performance.now() - started) / 1000;
    result.retries = (await retriesOf(instances)) - retriesBefore;
    return result;
  }

  const sides: Array<[string, string[]]> = [
    ['one node', ports.map(() => `127.0.0.1:${ports[0]}`)],
    [
      'three nodes',
      ports.map((_, i) =>
        [...ports.slice(i), ...ports.slice(0, i)].map((p) => `127.0.0.1:${p}`).join(','),
      ),
    ],
  ];
  const runs: Run[] = [];
  for (const [side, hostLists] of sides) {
    const instances = await Promise.all(
      hostLists.map((hosts) =>
        startAppProcess({
          DATABASE_URL: `mysql://${node1.username}:${node1.password}@${hosts}${node1.pathname}`,
          METRICS_TOKEN,
          JOBS_DISABLED: '',
          ADMIN_PASSWORD: process.env.ADMIN_PASSWORD,
        }),
      ),
    );
    try {
      for (const kind of ['confirm', 'close'] as const) runs.push(await run(side, instances, kind));
    } finally {
      await Promise.all(instances.map((instance) => killAppProcess(instance)));
    }
  }
  await app.close();

  console.log(
    `\nCluster bench: ${OPERATORS} operators on 3 instances, ${SECONDS} s a run (load ${load()})`,
  );
  for (const r of runs) {
    const unexpected = [...r.unexpected].map(([s, n]) => `${n}x${s}`).join(' ') || 'none';
    console.log(
      `  ${r.side.padEnd(11)} ${`${r.kind}s`.padEnd(8)} ${(r.done / r.seconds).toFixed(1).padStart(7)}/s` +
        `  outcome p50 ${ms(percentile(r.latencies, 50))} p99 ${ms(percentile(r.latencies, 99))}` +
        `  retries ${((1000 * r.retries) / Math.max(1, r.requests)).toFixed(1)}/1,000 requests` +
        `  other answers: ${unexpected}`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
