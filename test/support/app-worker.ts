import type { AddressInfo } from 'node:net';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { CallbacksService } from '../../src/callbacks/callbacks.service';
import { Clock } from '../../src/common/time/clock';
import { FollowUpSender, type SendRun } from '../../src/follow-ups/follow-up-sender.service';
import { NestExpressApplication } from '@nestjs/platform-express';
import { LeasesService } from '../../src/work/leases.service';
import { WebhookSender, type DeliveryRun } from '../../src/webhooks/webhook-sender.service';
import { createTestApp } from './test-app';

/** What one run of every clock job changed in an instance. */
export interface JobCounts {
  markedDue: number;
  escalated: number;
  expired: number;
  released: number;
}

type Command =
  | { op: 'clock'; at: string | null }
  | { op: 'jobs' }
  | { op: 'sendFollowUps' }
  | { op: 'deliverWebhooks' }
  | { op: 'close' };
type Reply = { id: number; result?: unknown; error?: string } | { port: number };

/** An app instance serving HTTP whose clock and clock jobs the test drives. */
export interface AppInstance {
  baseUrl: string;
  setClock(at: Date | null): Promise<void>;
  runJobs(): Promise<JobCounts>;
  /** One run of the follow-up e-mail sender. */
  sendFollowUps(): Promise<SendRun>;
  /** One run of the webhook sender. */
  deliverWebhooks(): Promise<DeliveryRun>;
  close(): Promise<void>;
}

/** Every clock job of the instance once, all at once, as their timers may fire together. */
export async function runClockJobs(app: NestExpressApplication): Promise<JobCounts> {
  const engine = app.get(CallbacksService);
  const [markedDue, escalated, expired, released] = await Promise.all([
    engine.markDue(),
    engine.escalate(),
    engine.expire(),
    app.get(LeasesService).releaseExpired(),
  ]);
  return { markedDue, escalated, expired, released };
}

/** This process's app (from createTestApp), listening on a free port, as an AppInstance. */
export async function listeningInstance(app: NestExpressApplication): Promise<AppInstance> {
  await app.listen(0, '127.0.0.1');
  return {
    baseUrl: `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`,
    setClock: (at) => Promise.resolve(app.get(Clock).set(at)),
    runJobs: () => runClockJobs(app),
    sendFollowUps: () => app.get(FollowUpSender).sendDue(),
    deliverWebhooks: () => app.get(WebhookSender).deliverDue(),
    // Closed by whoever created it (the test's own afterAll).
    close: () => Promise.resolve(),
  };
}

const ROLE = 'esito-app-instance';

/**
 * Another app instance on this worker's database, in a thread of its own: its requests and
 * jobs run beside this process's on the other core, and the test still sets its clock and
 * runs its jobs when it wants (its timers are off, as in createTestApp).
 */
export async function startAppWorker(): Promise<AppInstance> {
  // The thread loads this file again through ts-node (types not checked, as in the tests).
  const worker = new Worker(
    `require('ts-node').register({ transpileOnly: true }); require(${JSON.stringify(__filename)});`,
    // Jest gives each test file a copy of process.env (test/support/env.ts set this worker's
    // database in it): the thread gets that copy, not the process's own.
    { eval: true, workerData: { role: ROLE }, env: { ...process.env } },
  );
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let sent = 0;
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (reply: Reply) => {
      if ('port' in reply) return resolve(reply.port);
      const waiting = pending.get(reply.id);
      pending.delete(reply.id);
      if (reply.error !== undefined) waiting?.reject(new Error(reply.error));
      else waiting?.resolve(reply.result);
    });
  });
  const ask = <T>(command: Command) =>
    new Promise<T>((resolve, reject) => {
      const id = ++sent;
      // Each answer is what its command's method returns.
      pending.set(id, { resolve: (value) => resolve(value as T), reject });
      worker.postMessage({ id, ...command });
    });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    setClock: (at) => ask({ op: 'clock', at: at?.toISOString() ?? null }),
    runJobs: () => ask({ op: 'jobs' }),
    sendFollowUps: () => ask({ op: 'sendFollowUps' }),
    deliverWebhooks: () => ask({ op: 'deliverWebhooks' }),
    close: async () => {
      await ask({ op: 'close' });
      await worker.terminate();
    },
  };
}

/** The thread's side: the app, listening on a free port, and the commands it obeys. */
async function serve(): Promise<void> {
  const app = await createTestApp();
  const instance = await listeningInstance(app);
  const run = async (command: Command): Promise<unknown> => {
    switch (command.op) {
      case 'clock':
        return instance.setClock(command.at === null ? null : new Date(command.at));
      case 'jobs':
        return instance.runJobs();
      case 'sendFollowUps':
        return instance.sendFollowUps();
      case 'deliverWebhooks':
        return instance.deliverWebhooks();
      case 'close':
        await app.close();
        return null;
    }
  };
  parentPort!.on('message', ({ id, ...command }: Command & { id: number }) => {
    run(command).then(
      (result) => parentPort!.postMessage({ id, result }),
      (error: unknown) => parentPort!.postMessage({ id, error: String(error) }),
    );
  });
  parentPort!.postMessage({ port: Number(new URL(instance.baseUrl).port) });
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === ROLE) void serve();
