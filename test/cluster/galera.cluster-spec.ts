import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource, In } from 'typeorm';
import { Appointment } from '../../src/appointments/appointment.entity';
import { Callback } from '../../src/callbacks/callback.entity';
import { Contract } from '../../src/contracts/contract.entity';
import { Interaction } from '../../src/interactions/interaction.entity';
import {
  createAgent,
  createCampaign,
  createProduct,
  createStatus,
} from '../factories/catalogue.factory';
import { createCallback } from '../factories/callback.factory';
import { createContact } from '../factories/contact.factory';
import { createUser } from '../factories/user.factory';
import { type AppProcess, killAppProcess, startAppProcess } from '../support/app-process';
import { createTestApp, resetDatabase } from '../support/test-app';

/**
 * The invariants with three app instances, each on its own node of the three-node Galera
 * cluster scripts/cluster.sh starts (CLUSTER_TEST=1, TEST_DATABASE_URL on node 1): every
 * instance lists its own node first and the two others after it, as an operations team
 * would. This process's own app (on node 1) writes the configuration and reads the results.
 * The last test kills node 3 and leaves it down.
 */
const NODES = [3311, 3312, 3313];
const CLUSTER = join(__dirname, '..', '..', 'scripts', 'cluster.sh');

/** What an instance may answer under contention: never a 5xx but a 503 that says to retry. */
const ACCEPTED = new Set([200, 201, 204, 409, 503]);

interface Answer {
  status: number;
  body: Record<string, unknown> | null;
}

async function call(base: string, token: string, path: string, body?: object): Promise<Answer> {
  const res = await fetch(`${base}/api/v1${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(body ?? {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

describe('Three instances on a three-node Galera cluster', () => {
  let app: NestExpressApplication;
  let instances: AppProcess[] = [];
  const db = () => app.get(DataSource);

  beforeAll(async () => {
    // Node 1 migrates the schema first (GET_LOCK is per node); then the instances start.
    app = await createTestApp();
    const url = new URL(process.env.DATABASE_URL!);
    instances = await Promise.all(
      NODES.map((_, i) => {
        const order = [...NODES.slice(i), ...NODES.slice(0, i)];
        const hosts = order.map((port) => `127.0.0.1:${port}`).join(',');
        return startAppProcess({
          DATABASE_URL: `mysql://esito:esito@${hosts}${url.pathname}`,
          // Each instance's jobs run on their timers, against its own node.
          JOBS_DISABLED: '',
        });
      }),
    );
  }, 180_000);
  beforeEach(() => resetDatabase(app));
  afterAll(async () => {
    await Promise.all(instances.map((instance) => killAppProcess(instance)));
    await app?.close();
  });

  /** Operators of the campaign, each signed in on instance i % 3: [base URL, token]. */
  async function operators(campaignId: number, count: number): Promise<Array<[string, string]>> {
    const users = [];
    for (let i = 0; i < count; i++) users.push(await createUser(app, { role: 'operator' }));
    await db().query(
      `INSERT INTO campaign_operators (campaign_id, user_id) VALUES ${users.map(() => '(?, ?)').join(', ')}`,
      users.flatMap((u) => [campaignId, u.id]),
    );
    return Promise.all(
      users.map(async (user, i) => {
        const base = instances[i % 3]!.baseUrl;
        const res = await fetch(`${base}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ username: user.username, password: user.password }),
        });
        expect(res.status).toBe(200);
        return [base, ((await res.json()) as { token: string }).token] as [string, string];
      }),
    );
  }

  async function contacts(campaignId: number, count: number): Promise<void> {
    for (let i = 0; i < count; i++) await createContact(app, campaignId);
  }

  it('a token issued through one node works at once through the others', async () => {
    const campaign = await createCampaign(app);
    const [base, token] = (await operators(campaign.id, 1))[0]!;
    for (const other of instances.filter((instance) => instance.baseUrl !== base)) {
      const res = await fetch(`${other.baseUrl}/api/v1/me`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
    }
  });

  it('30 simultaneous next on three instances lease 30 distinct contacts', async () => {
    const campaign = await createCampaign(app);
    // A queue as a floor has it, longer than the operators: with 40 contacts for 30 at once,
    // a claim retried after losing to another node now and then found every row left held
    // by its own node's claims, and answered 204 (nothing now) with rows still to come.
    await contacts(campaign.id, 90);
    const ops = await operators(campaign.id, 30);
    const answers = await Promise.all(
      ops.map(([base, token]) => call(base, token, '/work/next', { campaignId: campaign.id })),
    );
    expect(answers.map((a) => a.status)).toEqual(ops.map(() => 200));
    const ids = answers.map((a) => (a.body!.contact as { id: number }).id);
    expect(new Set(ids).size).toBe(30);
  });

  it('60 simultaneous online closes give 60 contracts numbered without gaps, and no 5xx', async () => {
    const product = await createProduct(app);
    const close = await createStatus(app, { type: 'C' });
    const campaign = await createCampaign(
      app,
      {},
      { statusIds: [close.id], productIds: [product.id] },
    );
    // More contacts than operators, as on a floor: a claim skips rows others hold meanwhile.
    await contacts(campaign.id, 90);
    const ops = await operators(campaign.id, 60);
    const leased = await Promise.all(
      ops.map(([base, token]) => call(base, token, '/work/next', { campaignId: campaign.id })),
    );
    expect(leased.map((a) => a.status)).toEqual(ops.map(() => 200));
    const closes = await Promise.all(
      ops.map(([base, token], i) =>
        call(base, token, `/work/${(leased[i]!.body!.contact as { id: number }).id}/outcome`, {
          statusId: close.id,
          cart: [{ productId: product.id, quantity: 1 }],
        }),
      ),
    );
    expect(closes.map((a) => a.status)).toEqual(ops.map(() => 201));
    const contracts = await db().getRepository(Contract).find();
    const numbers = contracts
      .map((c) => Number(c.protocolNumber.split('/')[1]))
      .sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  });

  it('36 slot races between instances on three nodes each give exactly one booking', async () => {
    const visit = await createStatus(app, { type: 'T' });
    const agents: Array<{ id: number }> = [];
    for (let i = 0; i < 12; i++) {
      agents.push(
        await createAgent(app, {
          workingHours: [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, start: '08:00', end: '20:00' })),
        }),
      );
    }
    const campaign = await createCampaign(
      app,
      { timezone: 'UTC' },
      { statusIds: [visit.id], agentIds: agents.map((a) => a.id) },
    );
    await contacts(campaign.id, 100);
    const ops = await operators(campaign.id, 72);
    const leased = await Promise.all(
      ops.map(([base, token]) => call(base, token, '/work/next', { campaignId: campaign.id })),
    );
    expect(leased.map((a) => a.status)).toEqual(ops.map(() => 200));
    // 12 agents x 3 hours, two days ahead: race r is between operators 2r and 2r + 1, who
    // sit on different instances (i % 3), so on different nodes.
    const day = new Date(Date.now() + 2 * 86_400_000);
    day.setUTCHours(9, 0, 0, 0);
    const races = Array.from({ length: 36 }, (_, r) => ({
      agentId: agents[r % 12]!.id,
      startsAt: new Date(day.getTime() + Math.floor(r / 12) * 3_600_000).toISOString(),
    }));
    const answers = await Promise.all(
      ops.map(([base, token], i) =>
        call(base, token, `/work/${(leased[i]!.body!.contact as { id: number }).id}/outcome`, {
          statusId: visit.id,
          appointment: races[Math.floor(i / 2)],
        }),
      ),
    );
    for (let r = 0; r < 36; r++) {
      const pair = [answers[2 * r]!.status, answers[2 * r + 1]!.status].sort();
      expect({ race: r, statuses: pair }).toEqual({ race: r, statuses: [201, 409] });
    }
    const booked = await db().getRepository(Appointment).findBy({ state: 'booked' });
    expect(booked).toHaveLength(36);
    expect(new Set(booked.map((a) => `${a.agentId}@${a.startsAt.toISOString()}`)).size).toBe(36);
  });

  it('200 due callbacks worked by 12 operators on three instances: each handed once, no 5xx', async () => {
    const done = await createStatus(app, { type: 'N' });
    const campaign = await createCampaign(app, {}, { statusIds: [done.id] });
    for (let i = 0; i < 200; i++) {
      await createCallback(app, campaign.id, {
        state: 'due',
        dueAt: new Date(Date.now() - 60_000),
      });
    }
    const ops = await operators(campaign.id, 12);
    const statuses: number[] = [];
    const handed: number[] = [];
    await Promise.all(
      ops.map(async ([base, token]) => {
        for (;;) {
          const next = await call(base, token, '/work/next', { campaignId: campaign.id });
          statuses.push(next.status);
          if (next.status === 204) return;
          if (next.status !== 200) continue;
          const contactId = (next.body!.contact as { id: number }).id;
          const callback = next.body!.callback as { id: number } | undefined;
          const outcome = await call(base, token, `/work/${contactId}/outcome`, {
            statusId: done.id,
          });
          statuses.push(outcome.status);
          if (outcome.status === 201 && callback) handed.push(callback.id);
        }
      }),
    );
    expect(statuses.filter((s) => !ACCEPTED.has(s))).toEqual([]);
    expect(handed).toHaveLength(200);
    expect(new Set(handed).size).toBe(200);
    const interactions = await db().getRepository(Interaction).count();
    expect(interactions).toBe(200);
    const left = await db()
      .getRepository(Callback)
      .countBy({ state: In(['scheduled', 'due', 'in_progress']) });
    expect(left).toBe(0);
  });

  it('node 3 killed under load: nothing confirmed is lost or doubled, every answer 2xx/409/503', async () => {
    const done = await createStatus(app, { type: 'N' });
    const campaign = await createCampaign(app, {}, { statusIds: [done.id] });
    await contacts(campaign.id, 400);
    const ops = await operators(campaign.id, 12);
    const statuses: number[] = [];
    const confirmed: Array<{ interactionId: number; contactId: number; at: number }> = [];
    let stop = false;
    const killedAt = { at: 0 };
    const load = Promise.all(
      ops.map(async ([base, token]) => {
        while (!stop) {
          const next = await call(base, token, '/work/next', { campaignId: campaign.id });
          statuses.push(next.status);
          if (next.status === 204) return;
          if (next.status !== 200) {
            await new Promise((resolve) => setTimeout(resolve, 50));
            continue;
          }
          const contactId = (next.body!.contact as { id: number }).id;
          const outcome = await call(base, token, `/work/${contactId}/outcome`, {
            statusId: done.id,
          });
          statuses.push(outcome.status);
          if (outcome.status === 201) {
            const interactionId = Number(outcome.body!.interactionId);
            confirmed.push({ interactionId, contactId, at: Date.now() });
          }
        }
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    execFileSync(CLUSTER, ['kill', '3']);
    killedAt.at = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 4000));
    stop = true;
    await load;

    expect(statuses.filter((s) => !ACCEPTED.has(s))).toEqual([]);
    expect(confirmed.filter((c) => c.at > killedAt.at).length).toBeGreaterThan(0);
    // Every 201 is a saved interaction (read through node 1), and no contact was worked twice.
    const saved = await db()
      .getRepository(Interaction)
      .findBy({ id: In(confirmed.map((c) => c.interactionId)) });
    expect(saved.map((i) => i.id).sort((a, b) => a - b)).toEqual(
      confirmed.map((c) => c.interactionId).sort((a, b) => a - b),
    );
    const perContact = await db().query<Array<{ contact_id: number; n: number | string }>>(
      'SELECT contact_id, COUNT(*) AS n FROM interactions GROUP BY contact_id HAVING COUNT(*) > 1',
    );
    expect(perContact).toEqual([]);
  });
});
