import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/time/clock';
import { AppConfigService } from '../config/app-config.service';
import { hostOf, resolvePublic } from './webhook-address';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { webhookSignature } from './webhook-signature';

/** Deliveries claimed per run of the sender. */
const BATCH = 100;
/** Deliveries in flight at once per instance: a receiver that hangs holds one of them only. */
const CONCURRENCY = 4;
/** The first retry waits about this long, each next one about twice as long, up to the cap. */
const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 60 * 60_000;
/** An endpoint is paused after this many failed attempts in a row ... */
export const PAUSE_AFTER_FAILURES = 20;
/** ... or once it has been failing for this long. */
export const PAUSE_AFTER_MS = 24 * 60 * 60_000;

/** Delivered events are kept in the log this long, then forgotten (failed ones stay for an admin). */
export const DELIVERED_KEPT_MS = 30 * 24 * 60 * 60_000;

export interface DeliveryRun {
  delivered: number;
  retried: number;
  failed: number;
}

/**
 * The wait before the attempt after `attempts` failed ones: exponential (30 s, 1, 2, 4 ...
 * 60 minutes) with "equal jitter", half of it fixed and half random, so that the deliveries
 * of an endpoint that was down do not all come back in the same second, and a wait is
 * never shorter than the one before.
 */
export function webhookRetryDelayMs(attempts: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

function describe(error: unknown, timeoutMs: number): string {
  const e = error as { name?: unknown; code?: unknown; message?: unknown } | null;
  if (e?.name === 'AbortError') return `no answer within ${timeoutMs} ms (timed out)`;
  const code = typeof e?.code === 'string' ? `${e.code}: ` : '';
  const text = typeof e?.message === 'string' ? e.message : String(error);
  return `${code}${text}`.replace(/\s+/g, ' ').slice(0, 500);
}

/** Runs `work` on every item, at most `limit` at once. */
async function eachWithLimit<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/**
 * Empties the webhook outbox. Each delivery is claimed with one conditional UPDATE (queued
 * and due, or a claim that expired → sending with this run's token) whose affected-row
 * count says who won, so two instances, or two runs in one, never make the same attempt;
 * the result is written only by the claim's holder. A delivery is posted with its
 * signature (webhook-signature.ts), its id and its event's type; a 2xx answer delivers
 * it, anything else (another status, a refused connection, no answer within
 * WEBHOOK_TIMEOUT_MS) puts it back in the queue with a growing back-off, until its last
 * attempt. An endpoint that keeps failing is paused, with an audit line.
 */
@Injectable()
export class WebhookSender {
  private readonly logger = new Logger(WebhookSender.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly config: AppConfigService,
    private readonly audit: AuditService,
  ) {}

  /** One run: claims and posts what is due, a few at a time. */
  async deliverDue(): Promise<DeliveryRun> {
    const run: DeliveryRun = { delivered: 0, retried: 0, failed: 0 };
    const now = this.clock.now();
    const repo = this.dataSource.getRepository(WebhookDelivery);
    const due = await repo
      .createQueryBuilder('d')
      .select('d.id', 'id')
      .innerJoin(WebhookEndpoint, 'w', 'w.id = d.endpointId')
      .where("d.state = 'queued' AND d.nextAttemptAt <= :now", { now })
      .andWhere('w.active = :active AND w.pausedAt IS NULL', { active: true })
      .orderBy('d.nextAttemptAt', 'ASC')
      .addOrderBy('d.id', 'ASC')
      .limit(BATCH)
      .getRawMany<{ id: number | string }>();
    const abandoned = await repo
      .createQueryBuilder('d')
      .select('d.id', 'id')
      .where("d.state = 'sending' AND d.claimUntil < :now", { now })
      .orderBy('d.claimUntil', 'ASC')
      .limit(BATCH)
      .getRawMany<{ id: number | string }>();
    const ids = [...abandoned, ...due].map((r) => Number(r.id));
    await eachWithLimit(ids, CONCURRENCY, async (id) => {
      const token = randomUUID();
      if (!(await this.claim(id, token, now))) return;
      try {
        run[await this.attempt(id, token)] += 1;
      } catch (error) {
        // A database hiccup: the claim expires and the attempt is made again.
        this.logger.error({ err: error, id }, 'webhook delivery could not be recorded');
      }
    });
    return run;
  }

  /** Forgets deliveries made more than {@link DELIVERED_KEPT_MS} ago; the number forgotten. */
  async forgetDelivered(): Promise<number> {
    const before = new Date(this.clock.now().getTime() - DELIVERED_KEPT_MS);
    const result = await this.dataSource
      .createQueryBuilder()
      .delete()
      .from(WebhookDelivery)
      .where("state = 'delivered' AND delivered_at < :before", { before })
      .execute();
    return result.affected ?? 0;
  }

  /** queued and due (or sending with an expired claim) → sending, ours; false when lost. */
  private async claim(id: number, token: string, now: Date): Promise<boolean> {
    const claimMs = this.config.get('WEBHOOK_TIMEOUT_MS') + 60_000;
    const result = await this.dataSource
      .createQueryBuilder()
      .update(WebhookDelivery)
      .set({
        state: 'sending',
        claimedBy: token,
        claimUntil: new Date(now.getTime() + claimMs),
        attempts: () => 'attempts + 1',
      })
      .where('id = :id', { id })
      .andWhere(
        "((state = 'queued' AND next_attempt_at <= :now) OR (state = 'sending' AND claim_until < :now))",
        { now },
      )
      .execute();
    return result.affected === 1;
  }

  private async attempt(id: number, token: string): Promise<keyof DeliveryRun> {
    const delivery = await this.dataSource
      .getRepository(WebhookDelivery)
      .findOne({ where: { id }, relations: { endpoint: true } });
    const endpoint = delivery?.endpoint;
    if (!delivery || !endpoint) return 'failed';
    const timeoutMs = this.config.get('WEBHOOK_TIMEOUT_MS');
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      statusCode = await this.post(endpoint, delivery, timeoutMs);
      if (statusCode < 200 || statusCode > 299) error = `HTTP ${statusCode}`;
    } catch (caught) {
      error = describe(caught, timeoutMs);
    }
    const now = this.clock.now();
    if (error === null) {
      await this.finish(id, token, {
        state: 'delivered',
        deliveredAt: now,
        lastAttemptAt: now,
        lastStatusCode: statusCode,
        lastError: null,
      });
      await this.endpointSucceeded(endpoint.id);
      return 'delivered';
    }
    const last = delivery.attempts >= this.config.get('WEBHOOK_MAX_ATTEMPTS');
    await this.finish(id, token, {
      state: last ? 'failed' : 'queued',
      lastAttemptAt: now,
      lastStatusCode: statusCode,
      lastError: error,
      ...(last
        ? {}
        : { nextAttemptAt: new Date(now.getTime() + webhookRetryDelayMs(delivery.attempts)) }),
    });
    await this.endpointFailed(endpoint.id, now);
    return last ? 'failed' : 'retried';
  }

  /** POSTs the stored body; the answer's status, or a throw (refused, timed out, private address). */
  private async post(
    endpoint: WebhookEndpoint,
    delivery: WebhookDelivery,
    timeoutMs: number,
  ): Promise<number> {
    const target = new URL(endpoint.url);
    const allowPrivate = this.config.get('WEBHOOKS_ALLOW_PRIVATE');
    // An address written in the URL is never looked up: checked here.
    if (isIP(hostOf(target)) !== 0) await resolvePublic(hostOf(target), allowPrivate);
    // A name is resolved again now, and connected to only at an address that passed.
    const lookup: LookupFunction = (hostname, options, callback) => {
      resolvePublic(hostname, allowPrivate).then(
        (addresses) => {
          if (options.all) callback(null, addresses);
          else callback(null, addresses[0]!.address, addresses[0]!.family);
        },
        (error: Error) => callback(error as NodeJS.ErrnoException, ''),
      );
    };
    const timestamp = Math.floor(this.clock.now().getTime() / 1000);
    const body = delivery.payload;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      return await new Promise<number>((resolve, reject) => {
        const request = (target.protocol === 'https:' ? https : http).request(
          target,
          {
            method: 'POST',
            lookup,
            signal: controller.signal,
            headers: {
              'Content-Type': 'application/json',
              'Content-Length': Buffer.byteLength(body),
              'User-Agent': 'Esito-CRM-Webhooks/1',
              'X-Esito-Event': delivery.eventType,
              'X-Esito-Delivery': String(delivery.id),
              'X-Esito-Attempt': String(delivery.attempts),
              'X-Esito-Timestamp': String(timestamp),
              'X-Esito-Signature': webhookSignature(endpoint.secret, timestamp, body),
            },
          },
          (response) => {
            // The body is not kept; reading it to the end frees the connection.
            response.resume();
            response.on('end', () => resolve(response.statusCode ?? 0));
            response.on('error', reject);
          },
        );
        request.on('error', reject);
        request.end(body);
      });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Records the result, only while the claim is still ours. */
  private async finish(
    id: number,
    token: string,
    changes: Partial<WebhookDelivery>,
  ): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .update(WebhookDelivery)
      .set({ ...changes, claimedBy: null, claimUntil: null })
      .where('id = :id AND claimed_by = :token', { id, token })
      .execute();
  }

  // Counters are written without the ORM's listeners: they are not the endpoint's
  // configuration, so they do not rewrite the stamp every instance watches.

  private async endpointSucceeded(endpointId: number): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .update(WebhookEndpoint)
      .set({ consecutiveFailures: 0, failingSince: null, updatedAt: () => 'updated_at' })
      .where('id = :id AND consecutive_failures > 0', { id: endpointId })
      .callListeners(false)
      .execute();
  }

  /** One more failure in a row; past the limits the endpoint is paused, once, with an audit line. */
  private async endpointFailed(endpointId: number, now: Date): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .update(WebhookEndpoint)
      .set({
        consecutiveFailures: () => 'consecutive_failures + 1',
        failingSince: () => 'COALESCE(failing_since, :now)',
        updatedAt: () => 'updated_at',
      })
      .where('id = :id', { id: endpointId })
      .setParameter('now', now)
      .callListeners(false)
      .execute();
    const endpoint = await this.dataSource
      .getRepository(WebhookEndpoint)
      .findOneBy({ id: endpointId });
    if (!endpoint || endpoint.pausedAt !== null) return;
    const failingMs = now.getTime() - (endpoint.failingSince ?? now).getTime();
    if (endpoint.consecutiveFailures < PAUSE_AFTER_FAILURES && failingMs < PAUSE_AFTER_MS) return;
    const hours = Math.floor(failingMs / 3_600_000);
    const reason = `${endpoint.consecutiveFailures} failed attempts in a row, failing for ${hours} h`;
    await this.dataSource.transaction(async (em) => {
      // Conditional: of two instances seeing the limit at once, one pauses and audits.
      const paused = await em
        .createQueryBuilder()
        .update(WebhookEndpoint)
        .set({ pausedAt: now, pauseReason: reason, updatedAt: () => 'updated_at' })
        .where('id = :id AND paused_at IS NULL', { id: endpointId })
        .callListeners(false)
        .execute();
      if (paused.affected !== 1) return;
      await this.audit.record(em, {
        userId: null,
        action: 'webhook.paused',
        entity: 'webhook_endpoint',
        entityId: endpointId,
        detail: `${endpoint.url}: ${reason}`,
      });
    });
    this.logger.warn({ endpointId, reason }, 'webhook endpoint paused');
  }
}
