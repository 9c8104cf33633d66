import { NestExpressApplication } from '@nestjs/platform-express';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import request from 'supertest';
import { DataSource, In } from 'typeorm';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { ACTIVE_CALLBACK_STATES, Callback } from '../../src/callbacks/callback.entity';
import { CallbacksService } from '../../src/callbacks/callbacks.service';
import type { CallbackItem } from '../../src/callbacks/dto/callback.view';
import type { Campaign } from '../../src/campaigns/campaign.entity';
import { Clock } from '../../src/common/time/clock';
import { AppConfigService } from '../../src/config/app-config.service';
import { Contact } from '../../src/contacts/contact.entity';
import { Interaction } from '../../src/interactions/interaction.entity';
import type { OutcomeStatus } from '../../src/outcome-statuses/outcome-status.entity';
import { ContactLease } from '../../src/work/contact-lease.entity';
import { LeasesService } from '../../src/work/leases.service';
import {
  createCallback,
  createWaitingCallbacks,
  createWebSession,
  type WaitingCallback,
} from '../factories/callback.factory';
import { createCallbackStatuses, createCampaign } from '../factories/catalogue.factory';
import { createContact } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { type AppProcess, killAppProcess, startAppProcess } from '../support/app-process';
import { type AppInstance, listeningInstance, startAppWorker } from '../support/app-worker';
import { createTestApp, isMysqlRun, removeSqliteData, resetDatabase } from '../support/test-app';

interface Desk {
  id: number;
  token: string;
}

/** An HTTP answer read as JSON. */
interface Answer {
  status: number;
  body: unknown;
}

/** A dispatched work item, as POST /work/next answers it. */
interface WorkItemBody {
  contact: { id: number };
  callback: { id: number } | null;
}

/** Monday 30 November 2026, 11:00 in Rome. */
const MONDAY = new Date('2026-11-30T10:00:00Z');
const MINUTE = 60_000;
const at = (minutes: number) => new Date(MONDAY.getTime() + minutes * MINUTE);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/**
 * A JSON call over a kept-alive connection (Node's fetch pools them), to an instance
 * listening on a port: thousands of calls cost what the app does, not a socket each.
 */
async function call(base: string, token: string, path: string, body?: object): Promise<Answer> {
  const res = await fetch(`${base}/api/v1${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
}

function expectStatus(answer: Answer, status: number, what: string): void {
  if (answer.status !== status) {
    throw new Error(`${what}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
  }
}

describe('Callbacks under races, faults and clock changes', () => {
  let app: NestExpressApplication;
  let db: DataSource;
  let clock: Clock;
  let service: CallbacksService;
  let statuses: Record<'callback' | 'notInterested', OutcomeStatus>;
  const http = () => request(app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const callbacks = () => db.getRepository(Callback);
  const callback = (id: number) => callbacks().findOneByOrFail({ id });
  const contact = (id: number) => db.getRepository(Contact).findOneByOrFail({ id });
  const audit = (action: string) =>
    db.getRepository(AuditEntry).find({ where: { action }, order: { id: 'ASC' } });
  const leases = () => db.getRepository(ContactLease);
  const message = (body: { message: string | string[] }) =>
    Array.isArray(body.message) ? body.message.join(' | ') : body.message;

  async function desk(role: 'operator' | 'coordinator' = 'operator'): Promise<Desk> {
    const user = await createUser(app, { role });
    return { id: user.id, token: await tokenFor(app, user) };
  }
  const desks = (n: number) => Promise.all(range(n).map(() => desk()));
  const campaignFor = (operators: Desk[], overrides: Partial<Campaign> = {}) =>
    createCampaign(app, overrides, {
      statusIds: Object.values(statuses).map((s) => s.id),
      operatorIds: operators.map((o) => o.id),
    });
  const next = (token: string, campaignId: number) =>
    http().post('/api/v1/work/next').set(as(token)).send({ campaignId });
  const confirm = (token: string, contactId: number, body: object) =>
    http().post(`/api/v1/work/${contactId}/outcome`).set(as(token)).send(body);
  const discard = (token: string, contactId: number) =>
    http().post(`/api/v1/work/${contactId}/discard`).set(as(token));
  /** Each operator takes the next contact of the campaign, all at once. */
  async function takeAll(operators: Desk[], campaignId: number) {
    const answers = await Promise.all(operators.map((o) => next(o.token, campaignId)));
    return answers.map((answer, i) => {
      expect(answer.status).toBe(200);
      const item = answer.body as WorkItemBody;
      return { operator: operators[i]!, contactId: item.contact.id, callbackId: item.callback!.id };
    });
  }

  /** `n` operators of one campaign, each holding (leased to them) a due callback of their own. */
  async function holding(n: number, callbackFields: Partial<Callback> = {}) {
    const operators = await desks(n);
    const campaign = await campaignFor(operators);
    for (const o of operators) {
      await createCallback(app, campaign.id, {
        ownerId: o.id,
        state: 'due',
        dueAt: at(-5),
        ...callbackFields,
      });
    }
    return { operators, campaign, held: await takeAll(operators, campaign.id) };
  }

  /**
   * Consistent after any interleaving: at most one active callback per contact, the lease
   * gone, nothing left being called, and the contact's state matching its callbacks.
   */
  async function expectConsistent(contactIds: number[]): Promise<void> {
    expect(await leases().countBy({ contactId: In(contactIds) })).toBe(0);
    for (const contactId of contactIds) {
      const rows = await callbacks().findBy({ contactId });
      const active = rows.filter((cb) => ACTIVE_CALLBACK_STATES.includes(cb.state));
      expect(active.length).toBeLessThanOrEqual(1);
      expect(rows.filter((cb) => cb.state === 'in_progress')).toEqual([]);
      const { state } = await contact(contactId);
      expect(state).toBe(active.length === 1 ? 'callback' : 'final');
    }
  }

  beforeAll(async () => {
    app = await createTestApp();
    db = app.get(DataSource);
    clock = app.get(Clock);
    service = app.get(CallbacksService);
  });
  beforeEach(async () => {
    clock.set(MONDAY);
    await resetDatabase(app);
    statuses = await createCallbackStatuses(app);
  });
  afterAll(async () => {
    clock.set(null);
    await app.close();
    removeSqliteData();
  });

  describe('a discard racing the other actors on the same callback', () => {
    it('an operator discards while a coordinator cancels, reassigns or makes private the callback being discarded', async () => {
      const coordinator = await desk('coordinator');
      const { operators, campaign, held } = await holding(9);
      const raced = await Promise.all(
        held.map(async ({ operator, contactId, callbackId }, i) => {
          const action = (['cancel', 'reassign', 'visibility'] as const)[i % 3]!;
          const newOwner = operators[(i + 1) % operators.length]!.id;
          const coordinate = http()
            .post(`/api/v1/callbacks/${callbackId}/${action}`)
            .set(as(coordinator.token))
            .send(
              action === 'cancel'
                ? { reason: 'il cliente ha richiamato lui' }
                : action === 'reassign'
                  ? { ownerId: newOwner }
                  : { visibility: 'private' },
            );
          const [discarded, coordinated] = await Promise.all([
            discard(operator.token, contactId),
            coordinate,
          ]);
          return { action, newOwner, contactId, callbackId, discarded, coordinated };
        }),
      );
      for (const { action, newOwner, contactId, callbackId, discarded, coordinated } of raced) {
        expect(discarded.status).toBe(204);
        // Either the coordinator came first (409: being called) or after the discard (200).
        expect([200, 409]).toContain(coordinated.status);
        const after = await callback(callbackId);
        if (coordinated.status === 409) {
          expect(message(coordinated.body)).toContain('being called right now');
          expect(after).toMatchObject({ state: 'due', visibility: 'public' });
          continue;
        }
        switch (action) {
          case 'cancel':
            expect(after.state).toBe('cancelled');
            expect(await contact(contactId)).toMatchObject({ state: 'final' });
            break;
          case 'reassign':
            expect(after).toMatchObject({ state: 'due', ownerId: newOwner });
            break;
          case 'visibility':
            expect(after).toMatchObject({ state: 'due', visibility: 'private' });
            break;
        }
      }
      await expectConsistent(held.map((h) => h.contactId));
      const lines = await audit('lease.discarded');
      expect(lines.map((l) => l.entityId).sort()).toEqual(held.map((h) => h.contactId).sort());
      // What was not cancelled is still dispatchable: the campaign's operators drain it.
      const waiting = await callbacks().countBy({ state: 'due' });
      let served = 0;
      for (const o of operators) {
        for (let res = await next(o.token, campaign.id); res.status === 200; served++) {
          await confirm(o.token, (res.body as WorkItemBody).contact.id, {
            statusId: statuses.notInterested.id,
          }).expect(201);
          res = await next(o.token, campaign.id);
        }
      }
      expect(served).toBe(waiting);
      expect(await callbacks().countBy({ state: In([...ACTIVE_CALLBACK_STATES]) })).toBe(0);
    });

    it('an operator discards while the jobs escalate and expire the callback: each happens once, and it ends expired', async () => {
      // Their own, 15 days late: private until it is released (a lease counts as present).
      const { operators, held } = await holding(8, {
        visibility: 'private',
        dueAt: at(-15 * 24 * 60),
      });
      expect(held.map((h) => h.operator.id)).toEqual(operators.map((o) => o.id));
      // Both jobs tick over and over while the discards land, each catching what it can.
      let discarding = true;
      const ticking = (job: () => Promise<number>) =>
        (async () => {
          const counts: number[] = [];
          while (discarding) {
            counts.push(await job());
            // Let the requests in: on SQLite a job resolves without ever leaving the microtasks.
            await new Promise((resolve) => setImmediate(resolve));
          }
          return counts;
        })();
      const jobs = [ticking(() => service.escalate()), ticking(() => service.expire())];
      await Promise.all(
        held.map(({ operator, contactId }) => discard(operator.token, contactId).expect(204)),
      );
      discarding = false;
      const counts = (await Promise.all(jobs)).flat();
      // Whatever the jobs did not reach during the race, the next tick does.
      const later = [await service.escalate(), await service.expire()];
      await expectConsistent(held.map((h) => h.contactId));
      const ids = held.map((h) => h.callbackId).sort();
      const expired = await audit('callback.expired');
      expect(expired.map((l) => l.entityId).sort()).toEqual(ids);
      const escalated = (await audit('callback.escalated')).map((l) => l.entityId!);
      expect(new Set(escalated).size).toBe(escalated.length);
      expect(escalated.length).toBeLessThanOrEqual(ids.length);
      expect([...counts, ...later].reduce((a, b) => a + b, 0)).toBe(
        expired.length + escalated.length,
      );
      expect(await callbacks().countBy({ state: 'expired' })).toBe(ids.length);
      expect(await db.getRepository(Contact).countBy({ state: 'final' })).toBe(ids.length);
    });

    it('a new callback agreed (outcome R) racing a discard of the same contact: one of them wins, whole', async () => {
      const { held } = await holding(8);
      const raced = await Promise.all(
        held.map(async ({ operator, contactId, callbackId }) => {
          const [outcome, discarded] = await Promise.all([
            confirm(operator.token, contactId, {
              statusId: statuses.callback.id,
              callback: { at: at(24 * 60).toISOString() },
            }),
            discard(operator.token, contactId),
          ]);
          return { contactId, callbackId, outcome, discarded };
        }),
      );
      for (const { contactId, callbackId, outcome, discarded } of raced) {
        // The lease is locked first by both: the loser finds it gone (403).
        expect([outcome.status, discarded.status].sort()).toEqual(
          outcome.status === 201 ? [201, 403] : [204, 403],
        );
        const rows = await callbacks().find({ where: { contactId }, order: { id: 'ASC' } });
        const interactions = await db.getRepository(Interaction).countBy({ contactId });
        if (outcome.status === 201) {
          expect(rows.map((cb) => [cb.id, cb.state])).toEqual([
            [callbackId, 'done'],
            [(outcome.body as { callback: { id: number } }).callback.id, 'scheduled'],
          ]);
          expect(interactions).toBe(1);
        } else {
          expect(rows.map((cb) => [cb.id, cb.state])).toEqual([[callbackId, 'due']]);
          expect(interactions).toBe(0);
        }
      }
      await expectConsistent(held.map((h) => h.contactId));
    });

    it('the lease-expiry job releasing a contact while its operator confirms a new callback on it', async () => {
      const { held } = await holding(8);
      // The browsers went quiet past the lease; the job runs as the outcomes arrive.
      clock.set(at(app.get(AppConfigService).get('LEASE_MINUTES') + 1));
      const [released, ...outcomes] = await Promise.all([
        app.get(LeasesService).releaseExpired(),
        ...held.map(({ operator, contactId }) =>
          confirm(operator.token, contactId, {
            statusId: statuses.callback.id,
            callback: { at: at(24 * 60).toISOString() },
          }),
        ),
      ]);
      const confirmed = outcomes.filter((o) => o.status === 201).length;
      expect(outcomes.map((o) => o.status).every((s) => s === 201 || s === 403)).toBe(true);
      expect(released + confirmed).toBe(held.length);
      expect(await audit('lease.expired')).toHaveLength(released);
      expect(await callbacks().countBy({ state: 'scheduled' })).toBe(confirmed);
      expect(await callbacks().countBy({ state: 'due' })).toBe(released);
      await expectConsistent(held.map((h) => h.contactId));
    });
  });

  describe('daylight saving in Europe/Rome', () => {
    /** Friday 15:00 in Rome before the change, and the following Monday. */
    const weekends = [
      {
        name: 'spring forward (29 March 2026)',
        friday: new Date('2026-03-27T14:00:00Z'),
        monday: '2026-03-30',
        tenUtc: '2026-03-30T08:00:00.000Z',
      },
      {
        name: 'autumn back (25 October 2026)',
        friday: new Date('2026-10-23T13:00:00Z'),
        monday: '2026-10-26',
        tenUtc: '2026-10-26T09:00:00.000Z',
      },
    ];
    let operator: Desk;
    let campaign: Campaign;

    beforeEach(async () => {
      operator = await desk();
      campaign = await campaignFor([operator], { timezone: 'Europe/Rome' });
    });
    /** Takes the next new contact and agrees a callback at `when`. */
    async function agree(when: string) {
      await createContact(app, campaign.id);
      const taken = await next(operator.token, campaign.id).expect(200);
      const contactId = (taken.body as WorkItemBody).contact.id;
      return {
        contactId,
        res: await confirm(operator.token, contactId, {
          statusId: statuses.callback.id,
          callback: { at: when },
        }),
      };
    }
    const listed = async (path: string) =>
      (await http().get(`/api/v1/callbacks${path}`).set(as(operator.token)).expect(200))
        .body as CallbackItem[];

    for (const { name, friday, monday, tenUtc } of weekends) {
      it(`${name}: agreed on the Friday for Monday 10:00, it is stored at 10:00 Rome and falls due then`, async () => {
        clock.set(friday);
        // As the page's datetime-local holds it (no offset) and as the page sends it (UTC).
        const local = await agree(`${monday}T10:00`);
        const utc = await agree(tenUtc);
        for (const { res } of [local, utc]) {
          expect(res.status).toBe(201);
          expect(res.body.callback.dueAt).toBe(tenUtc);
        }
        const ids = [local.res.body.callback.id, utc.res.body.callback.id] as number[];
        for (const id of ids) expect((await callback(id)).dueAt.toISOString()).toBe(tenUtc);
        const item = (await listed('?scope=mine')).find((i) => i.id === ids[0])!;
        expect(item).toMatchObject({ dueAt: tenUtc, dueLocal: `${monday} 10:00` });

        clock.set(new Date(Date.parse(tenUtc) - MINUTE));
        expect(await service.markDue()).toBe(0);
        expect(await callbacks().countBy({ state: 'scheduled' })).toBe(2);
        // The notice announces it at its local time, and it is not yet due.
        const notices = await listed('/notices');
        expect(notices.map((n) => [n.id, n.dueLocal, n.state])).toEqual(
          ids.map((id) => [id, `${monday} 10:00`, 'scheduled']),
        );
        expect(await listed('?due=true')).toEqual([]);

        clock.set(new Date(tenUtc));
        expect(await service.markDue()).toBe(2);
        const due = await listed('?due=true');
        expect(due.map((d) => [d.id, d.dueLocal, d.state])).toEqual(
          ids.map((id) => [id, `${monday} 10:00`, 'due']),
        );
      });
    }

    it('a time in the hour the spring change skips is refused naming callback.at, unless its offset makes it one instant', async () => {
      clock.set(weekends[0]!.friday);
      const skipped = await agree('2026-03-29T02:30');
      expect(skipped.res.status).toBe(400);
      expect(message(skipped.res.body)).toBe(
        'callback.at: 2026-03-29 02:30 does not exist in Europe/Rome (the clocks go forward that night); choose another time',
      );
      // Nothing was saved and the contact is still the operator's: agreed again, with an offset.
      expect(await callbacks().count()).toBe(0);
      const again = await confirm(operator.token, skipped.contactId, {
        statusId: statuses.callback.id,
        callback: { at: '2026-03-29T02:30:00+01:00' },
      }).expect(201);
      expect(again.body.callback.dueAt).toBe('2026-03-29T01:30:00.000Z');
      const [item] = await listed('?scope=mine');
      expect(item).toMatchObject({ dueLocal: '2026-03-29 03:30' });
    });

    it('a time in the hour the autumn change repeats is the later one without an offset, the one named with it', async () => {
      clock.set(weekends[1]!.friday);
      const later = await agree('2026-10-25T02:30');
      const earlier = await agree('2026-10-25T02:30:00+02:00');
      expect(later.res.body.callback.dueAt).toBe('2026-10-25T01:30:00.000Z');
      expect(earlier.res.body.callback.dueAt).toBe('2026-10-25T00:30:00.000Z');
      const items = await listed('?scope=mine');
      expect(items.map((i) => i.dueLocal)).toEqual(['2026-10-25 02:30', '2026-10-25 02:30']);
      clock.set(new Date('2026-10-25T00:30:00Z'));
      expect(await service.markDue()).toBe(1);
      expect((await callback(earlier.res.body.callback.id)).state).toBe('due');
      clock.set(new Date('2026-10-25T01:29:00Z'));
      expect(await service.markDue()).toBe(0);
      clock.set(new Date('2026-10-25T01:30:00Z'));
      expect(await service.markDue()).toBe(1);
      expect((await callback(later.res.body.callback.id)).state).toBe('due');
    });
  });

  (isMysqlRun() ? describe : describe.skip)(
    'several instances and processes on one MySQL database',
    () => {
      // This process's app and two more in threads of their own (both cores at work).
      let instances: AppInstance[];

      beforeAll(async () => {
        instances = await Promise.all([listeningInstance(app), startAppWorker(), startAppWorker()]);
      });
      afterAll(async () => {
        await Promise.all(instances.map((instance) => instance.close()));
      });

      // About 2 minutes on 2 cores alone: each of the 10,000 goes through next and outcome
      // over HTTP. In CI another test file runs beside it on the same two cores, which has
      // made it last over 7 minutes: the limit only says it finished, never how fast.
      it('10,000 callbacks falling due at once, jobs and 30 operators on three instances: each worked by one operator at a time, once, none lost', async () => {
        const TOTAL = 10_000;
        const operators = await desks(30);
        const absent = await desk();
        for (const o of operators) await createWebSession(app, o.id, at(24 * 60));
        const campaign = await campaignFor([...operators, absent]);
        // 85% public, 10% private of an operator at work, 5% private of one who is away.
        const rows: WaitingCallback[] = range(TOTAL).map((i) => ({
          ownerId:
            i % 20 < 17 ? null : i % 20 < 19 ? operators[i % operators.length]!.id : absent.id,
          visibility: i % 20 < 17 ? 'public' : 'private',
          state: 'scheduled',
          dueAt: at(-1),
        }));
        const made = await createWaitingCallbacks(app, campaign.id, rows);
        const indexOf = new Map(made.map((cb, i) => [cb.id, i]));
        // Discarded the first time they are taken: public, private of one at work, escalated.
        const discardOnce = (i: number) => [3, 17, 19].includes(i % 40);
        await Promise.all(instances.map((instance) => instance.setClock(MONDAY)));

        let running = true;
        const marked = [0, 0, 0];
        const jobs = (async () => {
          while (running) {
            await Promise.all(
              instances.map(async (instance, k) => {
                marked[k]! += (await instance.runJobs()).markedDue;
              }),
            );
            await sleep(1000);
          }
        })();

        interface Take {
          operatorId: number;
          instance: number;
          contactId: number;
          receivedAt: number;
          discardSentAt?: number;
        }
        const takes = new Map<number, Take[]>();
        const open = () => callbacks().countBy({ state: In(['scheduled', 'due', 'in_progress']) });
        let failed = false;
        const work = async (operator: Desk, n: number) => {
          const instance = n % 3;
          const base = instances[instance]!.baseUrl;
          while (!failed) {
            const got = await call(base, operator.token, '/work/next', { campaignId: campaign.id });
            if (got.status === 204) {
              // Rows a job or another desk holds this instant are skipped, not lost: ask again.
              if ((await open()) === 0) return;
              await sleep(25);
              continue;
            }
            expectStatus(got, 200, 'next');
            const item = got.body as WorkItemBody;
            const callbackId = item.callback!.id;
            const take: Take = {
              operatorId: operator.id,
              instance,
              contactId: item.contact.id,
              receivedAt: performance.now(),
            };
            const before = takes.get(callbackId) ?? [];
            takes.set(callbackId, [...before, take]);
            if (before.length === 0 && discardOnce(indexOf.get(callbackId)!)) {
              take.discardSentAt = performance.now();
              expectStatus(
                await call(base, operator.token, `/work/${take.contactId}/discard`),
                204,
                'discard',
              );
            } else {
              expectStatus(
                await call(base, operator.token, `/work/${take.contactId}/outcome`, {
                  statusId: statuses.notInterested.id,
                }),
                201,
                'outcome',
              );
            }
          }
        };
        try {
          await Promise.all(
            operators.map((o, n) =>
              work(o, n).catch((error: unknown) => {
                failed = true;
                throw error;
              }),
            ),
          );
        } finally {
          running = false;
          await jobs;
        }

        // Every callback was taken: once, or twice when discarded the first time.
        expect(new Set(takes.keys())).toEqual(new Set(made.map((cb) => cb.id)));
        const discarded = made.filter((_, i) => discardOnce(i));
        for (const cb of made) {
          const taken = takes.get(cb.id)!;
          expect(taken.map((t) => t.contactId)).toEqual(
            discardOnce(indexOf.get(cb.id)!) ? [cb.contactId, cb.contactId] : [cb.contactId],
          );
          // Never held by two at once: taken again only after the discard was sent.
          if (taken.length === 2)
            expect(taken[1]!.receivedAt).toBeGreaterThan(taken[0]!.discardSentAt!);
        }
        // Private ones of an operator at work went to that operator alone; the away one's were
        // made public once each, and others called them.
        for (const [i, row] of rows.entries()) {
          if (row.visibility !== 'private') continue;
          const operatorIds = takes.get(made[i]!.id)!.map((t) => t.operatorId);
          if (row.ownerId === absent.id) expect(operatorIds).not.toContain(absent.id);
          else expect(new Set(operatorIds)).toEqual(new Set([row.ownerId]));
        }
        const escalated = (await audit('callback.escalated')).map((l) => l.entityId);
        expect(escalated.sort((a, b) => a! - b!)).toEqual(
          made.filter((_, i) => rows[i]!.ownerId === absent.id).map((cb) => cb.id),
        );
        // All three instances served operators, and the jobs of more than one marked some due.
        const allTakes = [...takes.values()].flat();
        expect(new Set(allTakes.map((t) => t.instance))).toEqual(new Set([0, 1, 2]));
        expect(marked.filter((n) => n > 0).length).toBeGreaterThan(1);
        expect(marked.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(TOTAL);

        // The database says the same: each callback done once, one interaction per contact.
        expect(await callbacks().countBy({ state: 'done' })).toBe(TOTAL);
        const interactions = await db
          .getRepository(Interaction)
          .find({ select: { contactId: true } });
        expect(interactions).toHaveLength(TOTAL);
        expect(new Set(interactions.map((i) => i.contactId))).toEqual(
          new Set(made.map((cb) => cb.contactId)),
        );
        expect(await leases().count()).toBe(0);
        const discardLines = await audit('lease.discarded');
        expect(discardLines.map((l) => l.entityId).sort((a, b) => a! - b!)).toEqual(
          discarded.map((cb) => cb.contactId),
        );
        expect(await db.getRepository(Contact).countBy({ state: 'final' })).toBe(TOTAL);
      }, 900_000);

      describe('an app process killed with SIGKILL mid-dispatch', () => {
        let child: AppProcess | undefined;
        afterEach(async () => {
          if (child) await killAppProcess(child);
          clock.set(MONDAY);
        });

        it('loses nothing: its open transactions roll back, its leases expire, every callback ends done or due again', async () => {
          const TOTAL = 800;
          // The other process runs on the real clock, so this test does too.
          const now = Date.now();
          clock.set(null);
          const operators = await desks(12);
          const campaign = await campaignFor(operators);
          const made = await createWaitingCallbacks(
            app,
            campaign.id,
            range(TOTAL).map((i) => ({
              ownerId: null,
              visibility: 'public',
              state: i % 2 === 0 ? 'due' : 'scheduled',
              dueAt: new Date(now - 10 * MINUTE),
            })),
          );
          const monitor = await createConnection(process.env.DATABASE_URL!);
          try {
            const connections = async () => {
              const [rows] = await monitor.query<RowDataPacket[]>(
                'SELECT ID AS id FROM information_schema.PROCESSLIST WHERE DB = DATABASE()',
              );
              return rows.map((r) => Number(r.id));
            };
            // Its connections: those to this database opened after ours (nothing here opens one).
            const ours = new Set(await connections());
            child = await startAppProcess();
            const theirs = async () => (await connections()).filter((id) => !ours.has(id));

            // Operators work through the other process until it is killed under them.
            const confirmed = new Set<number>();
            let killing = false;
            let cutOff = 0;
            const work = async (operator: Desk) => {
              for (;;) {
                try {
                  const got = await call(child!.baseUrl, operator.token, '/work/next', {
                    campaignId: campaign.id,
                  });
                  expectStatus(got, 200, 'next');
                  const item = got.body as WorkItemBody;
                  const done = await call(
                    child!.baseUrl,
                    operator.token,
                    `/work/${item.contact.id}/outcome`,
                    { statusId: statuses.notInterested.id },
                  );
                  expectStatus(done, 201, 'outcome');
                  confirmed.add(item.callback!.id);
                } catch (error) {
                  if (!killing) throw error;
                  cutOff++;
                  return;
                }
              }
            };
            let settled = false;
            const working = Promise.all(operators.map(work)).finally(() => (settled = true));
            while (!settled && confirmed.size < 150) await sleep(20);
            // Killed the moment one of its transactions is seen open with rows written. The
            // server refreshes INNODB_TRX only when it has not been read for 0.1 s: read slower.
            let open: RowDataPacket[] = [];
            let killed: number[] = [];
            for (let tries = 0; !settled && open.length === 0 && tries < 200; tries++) {
              await sleep(110);
              killed = await theirs();
              [open] = await monitor.query<RowDataPacket[]>(
                `SELECT trx_mysql_thread_id AS id FROM information_schema.INNODB_TRX
                 WHERE trx_rows_modified > 0 AND trx_mysql_thread_id IN (${killed.join(',') || 0})`,
              );
            }
            killing = true;
            await killAppProcess(child);
            await working;
            expect(open.length).toBeGreaterThan(0);
            // Requests were in flight: their callers got no answer.
            expect(cutOff).toBeGreaterThan(0);

            // The server drops the dead process's connections, rolling back what they had
            // open (INNODB_TRX is a view the server refreshes every 0.1 s: polled past that).
            const leftOver = async () => {
              const ids = killed.join(',');
              const [connected] = await monitor.query<RowDataPacket[]>(
                `SELECT ID FROM information_schema.PROCESSLIST WHERE ID IN (${ids})`,
              );
              const [transactions] = await monitor.query<RowDataPacket[]>(
                `SELECT trx_id FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id IN (${ids})`,
              );
              return { connections: connected.length, transactions: transactions.length };
            };
            for (let i = 0; i < 100; i++) {
              const { connections, transactions } = await leftOver();
              if (connections + transactions === 0) break;
              await sleep(150);
            }
            expect(await leftOver()).toEqual({ connections: 0, transactions: 0 });

            // Only whole outcomes and whole dispatches are left: no half of either.
            const byState = async (state: Callback['state']) =>
              (await callbacks().find({ select: { contactId: true }, where: { state } })).map(
                (cb) => cb.contactId,
              );
            const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);
            const doneContacts = sorted(await byState('done'));
            const interactions = await db
              .getRepository(Interaction)
              .find({ select: { contactId: true } });
            expect(sorted(interactions.map((i) => i.contactId))).toEqual(doneContacts);
            const finals = await db
              .getRepository(Contact)
              .find({ select: { id: true }, where: { state: 'final' } });
            expect(sorted(finals.map((c) => c.id))).toEqual(doneContacts);
            const [counters] = await db.query<Array<{ counted: string | number }>>(
              'SELECT COALESCE(SUM(count), 0) AS counted FROM outcome_counters',
            );
            expect(Number(counters?.counted)).toBe(interactions.length);
            // Every outcome answered 201 stayed; outcomes cut off may or may not have committed.
            const doneIds = new Set(
              (await callbacks().find({ select: { id: true }, where: { state: 'done' } })).map(
                (cb) => cb.id,
              ),
            );
            expect([...confirmed].filter((id) => !doneIds.has(id))).toEqual([]);
            const left = await leases().find();
            expect(sorted(left.map((l) => l.contactId))).toEqual(
              sorted(await byState('in_progress')),
            );
            const inProgress = await db
              .getRepository(Contact)
              .find({ select: { id: true }, where: { state: 'in_progress' } });
            expect(sorted(inProgress.map((c) => c.id))).toEqual(
              sorted(left.map((l) => l.contactId)),
            );
            expect(left.length).toBeGreaterThan(0);

            // Past the lease, this instance's jobs give the dead process's contacts back.
            const leaseMinutes = app.get(AppConfigService).get('LEASE_MINUTES');
            clock.set(new Date(Date.now() + (leaseMinutes + 1) * MINUTE));
            expect(await app.get(LeasesService).releaseExpired()).toBe(left.length);
            await service.markDue();
            await service.escalate();
            expect(await service.expire()).toBe(0);
            expect(await leases().count()).toBe(0);
            expect(await callbacks().countBy({ state: 'in_progress' })).toBe(0);
            expect(await db.getRepository(Contact).countBy({ state: 'in_progress' })).toBe(0);
            const due = await byState('due');
            expect(due.length + doneContacts.length).toBe(TOTAL);

            // And they are dispatchable: the survivors' operators call every one of them once.
            const base = instances[0]!.baseUrl;
            await Promise.all(
              operators.map(async (operator) => {
                for (;;) {
                  const got = await call(base, operator.token, '/work/next', {
                    campaignId: campaign.id,
                  });
                  if (got.status === 204) return;
                  expectStatus(got, 200, 'next after the kill');
                  const item = got.body as WorkItemBody;
                  expectStatus(
                    await call(base, operator.token, `/work/${item.contact.id}/outcome`, {
                      statusId: statuses.notInterested.id,
                    }),
                    201,
                    'outcome after the kill',
                  );
                }
              }),
            );
            expect(await callbacks().countBy({ state: 'done' })).toBe(TOTAL);
            const all = await db.getRepository(Interaction).find({ select: { contactId: true } });
            expect(sorted(all.map((i) => i.contactId))).toEqual(
              sorted(made.map((cb) => cb.contactId)),
            );
          } finally {
            await monitor.end();
          }
        }, 180_000);
      });
    },
  );
});
