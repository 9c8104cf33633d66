import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CampaignConfigCache } from '../campaigns/campaign-config';
import { escapeLike, LIKE_ESCAPE } from '../common/database/sql-dialect';
import { Clock } from '../common/time/clock';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import type { WebhookEvent } from './webhook-events';

/** What this instance knows of the active endpoints, as of a configuration stamp. */
interface KnownEndpoints {
  stamp: string | null;
  /** The event types some active endpoint subscribes to. */
  types: ReadonlySet<string>;
}

/**
 * Writes events into the webhook outbox inside the transaction that causes them
 * (invariant 16: a rolled-back outcome sends nothing): ONE INSERT ... SELECT puts a
 * delivery row for every active endpoint subscribed to each event, however many events
 * and endpoints.
 *
 * The statement is skipped when this instance knows no active endpoint wants the events,
 * and only when that knowledge is provably current for the caller's transaction: every
 * write of an endpoint rewrites the configuration stamp (CampaignConfigCache), which the
 * outcome's transaction reads anyway; the endpoints were read after that stamp, so while
 * the transaction sees the same stamp no endpoint has changed since. A transaction that
 * read no stamp (a contract's status change, an agenda change) always runs the INSERT.
 */
@Injectable()
export class WebhookOutbox {
  private readonly logger = new Logger(WebhookOutbox.name);
  private known: KnownEndpoints | null = null;
  private refreshing: Promise<void> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly configs: CampaignConfigCache,
    private readonly clock: Clock,
  ) {
    configs.stampWritesOf(WebhookEndpoint);
  }

  /** Queues the events for every active endpoint subscribed to them, in the caller's transaction. */
  async recordWithin(em: EntityManager, events: readonly WebhookEvent[]): Promise<void> {
    if (events.length === 0) return;
    const seen = this.configs.stampSeenIn(em);
    let wanted = events;
    if (seen !== undefined) {
      const known = this.known;
      if (known && known.stamp === seen) {
        wanted = events.filter((e) => known.types.has(e.type));
        if (wanted.length === 0) return;
      } else {
        // Learnt again outside this transaction; meanwhile the INSERT decides. A refresh
        // may run at any moment: it reads the stamp before the endpoints, so what it learns
        // is never older than the stamp it files it under.
        setImmediate(() => void this.refresh());
      }
    }
    const driver = em.connection.driver;
    const meta = em.connection.getMetadata(WebhookDelivery);
    const when = driver.preparePersistentValue(
      this.clock.now(),
      meta.findColumnWithPropertyName('nextAttemptAt')!,
    ) as unknown;
    const rows = wanted.map(
      () => 'SELECT ? AS event_id, ? AS event_type, ? AS payload, ? AS pattern',
    );
    const params: unknown[] = [when, when];
    for (const event of wanted) {
      params.push(event.id, event.type, JSON.stringify(event), `%,${escapeLike(event.type)},%`);
    }
    await em.query(
      `INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, payload, state, attempts, next_attempt_at, created_at)
       SELECT w.id, ev.event_id, ev.event_type, ev.payload, 'queued', 0, ?, ?
       FROM webhook_endpoints w
       JOIN (${rows.join(' UNION ALL ')}) ev ON w.events LIKE ev.pattern ${LIKE_ESCAPE}
       WHERE w.active = 1`,
      params,
    );
  }

  /** Reads the stamp, then the active endpoints: what they say holds as of that stamp. */
  refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      try {
        const stamp = await this.configs.currentStamp();
        const rows = await this.dataSource
          .getRepository(WebhookEndpoint)
          .find({ where: { active: true }, select: { id: true, events: true } });
        const types = new Set(rows.flatMap((r) => r.events.split(',').filter(Boolean)));
        this.known = { stamp, types };
      } catch (error) {
        this.logger.warn({ err: error }, 'webhook endpoints could not be read');
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }
}
