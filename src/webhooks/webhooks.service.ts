import { Injectable } from '@nestjs/common';
import { DataSource, In, IsNull, Not } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { ConflictError, NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { Clock } from '../common/time/clock';
import { AppConfigService } from '../config/app-config.service';
import type {
  CreateWebhookDto,
  UpdateWebhookDto,
  WebhookDeliveryView,
  WebhookEndpointView,
} from './dto/webhook-endpoint.dto';
import { AddressRefused, hostOf, resolvePublic, urlShapeProblem } from './webhook-address';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { WEBHOOK_EVENT_TYPES } from './webhook-events';

interface Actor {
  id: number;
}

export function endpointView(e: WebhookEndpoint): WebhookEndpointView {
  return {
    id: e.id,
    url: e.url,
    events: e.events.split(',').filter(Boolean),
    active: e.active,
    paused: e.pausedAt !== null,
    pausedAt: e.pausedAt?.toISOString() ?? null,
    pauseReason: e.pauseReason,
    consecutiveFailures: e.consecutiveFailures,
    failingSince: e.failingSince?.toISOString() ?? null,
    secretHint: `…${e.secret.slice(-4)}`,
    createdAt: e.createdAt.toISOString(),
  };
}

export function deliveryView(d: WebhookDelivery): WebhookDeliveryView {
  return {
    id: d.id,
    endpointId: d.endpointId,
    eventId: d.eventId,
    eventType: d.eventType,
    state: d.state,
    attempts: d.attempts,
    nextAttemptAt: d.state === 'queued' ? d.nextAttemptAt.toISOString() : null,
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
  };
}

/** The subscribed types as stored: `,type,type,` in the catalogue's order (one LIKE finds them). */
function storedEvents(events: string[]): string {
  const chosen = WEBHOOK_EVENT_TYPES.filter((t) => events.includes(t));
  return `,${chosen.join(',')},`;
}

/**
 * Webhook endpoints (admins): registration with the URL checked where it points, changes,
 * removal, the delivery log, a retry of one delivery and the resumption of a paused
 * endpoint. Every change of an endpoint is audited; writes go through the ORM, so they
 * rewrite the stamp by which every instance's outbox learns of them (webhook-outbox.ts).
 */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly config: AppConfigService,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<WebhookEndpointView[]> {
    const rows = await this.dataSource
      .getRepository(WebhookEndpoint)
      .find({ order: { id: 'ASC' } });
    return rows.map(endpointView);
  }

  async get(id: number): Promise<WebhookEndpointView> {
    return endpointView(await this.endpoint(id));
  }

  async create(actor: Actor, dto: CreateWebhookDto): Promise<WebhookEndpointView> {
    await this.checkUrl(dto.url);
    const id = await this.dataSource.transaction(async (em) => {
      const inserted = await em.insert(WebhookEndpoint, {
        url: dto.url,
        events: storedEvents(dto.events),
        secret: dto.secret,
        active: true,
        pausedAt: null,
        pauseReason: null,
        consecutiveFailures: 0,
        failingSince: null,
        createdBy: actor.id,
      });
      const newId = Number(inserted.identifiers[0]!.id);
      await this.audit.record(em, {
        userId: actor.id,
        action: 'webhook.created',
        entity: 'webhook_endpoint',
        entityId: newId,
        detail: `${dto.url} (${dto.events.join(', ')})`,
      });
      return newId;
    });
    return this.get(id);
  }

  async update(actor: Actor, id: number, dto: UpdateWebhookDto): Promise<WebhookEndpointView> {
    if (dto.url !== undefined) await this.checkUrl(dto.url);
    await this.dataSource.transaction(async (em) => {
      const current = await em.findOneBy(WebhookEndpoint, { id });
      if (!current) throw new NotFoundError('webhook', id);
      const changes: Partial<WebhookEndpoint> = {};
      if (dto.url !== undefined) changes.url = dto.url;
      if (dto.events !== undefined) changes.events = storedEvents(dto.events);
      if (dto.active !== undefined) changes.active = dto.active;
      if (dto.secret !== undefined) changes.secret = dto.secret;
      if (Object.keys(changes).length === 0) return;
      await em.update(WebhookEndpoint, { id }, changes);
      const said = Object.keys(changes)
        .map((k) =>
          k === 'secret'
            ? 'secret replaced'
            : `${k}: ${String(changes[k as keyof typeof changes])}`,
        )
        .join('; ');
      await this.audit.record(em, {
        userId: actor.id,
        action: 'webhook.updated',
        entity: 'webhook_endpoint',
        entityId: id,
        detail: said,
      });
    });
    return this.get(id);
  }

  /** The endpoint and its delivery log. */
  async remove(actor: Actor, id: number): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      const current = await em.findOneBy(WebhookEndpoint, { id });
      if (!current) throw new NotFoundError('webhook', id);
      await em.delete(WebhookDelivery, { endpointId: id });
      await em.delete(WebhookEndpoint, { id });
      await this.audit.record(em, {
        userId: actor.id,
        action: 'webhook.deleted',
        entity: 'webhook_endpoint',
        entityId: id,
        detail: current.url,
      });
    });
  }

  /** A paused endpoint sends again: its failures forgotten, its waiting deliveries due now. */
  async resume(actor: Actor, id: number): Promise<WebhookEndpointView> {
    const now = this.clock.now();
    await this.dataSource.transaction(async (em) => {
      const current = await em.findOneBy(WebhookEndpoint, { id });
      if (!current) throw new NotFoundError('webhook', id);
      if (current.pausedAt === null) {
        throw new ConflictError(`id: webhook ${id} is not paused`, 'id');
      }
      await em.update(
        WebhookEndpoint,
        { id },
        { pausedAt: null, pauseReason: null, consecutiveFailures: 0, failingSince: null },
      );
      await em.update(WebhookDelivery, { endpointId: id, state: 'queued' }, { nextAttemptAt: now });
      await this.audit.record(em, {
        userId: actor.id,
        action: 'webhook.resumed',
        entity: 'webhook_endpoint',
        entityId: id,
        detail: current.url,
      });
    });
    return this.get(id);
  }

  /** The latest deliveries, of one endpoint or of all. */
  async deliveries(filter: {
    endpointId?: number;
    limit?: number;
  }): Promise<WebhookDeliveryView[]> {
    if (filter.endpointId !== undefined) await this.endpoint(filter.endpointId);
    const rows = await this.dataSource.getRepository(WebhookDelivery).find({
      where: filter.endpointId === undefined ? {} : { endpointId: filter.endpointId },
      order: { id: 'DESC' },
      take: Math.min(filter.limit ?? 100, 500),
    });
    return rows.map(deliveryView);
  }

  /** Retry now: a failed or waiting delivery is due at once (a failed one with fresh attempts). */
  async retry(id: number): Promise<WebhookDeliveryView> {
    const repo = this.dataSource.getRepository(WebhookDelivery);
    const current = await repo.findOneBy({ id });
    if (!current) throw new NotFoundError('webhook delivery', id);
    const result = await this.dataSource
      .createQueryBuilder()
      .update(WebhookDelivery)
      .set({
        state: 'queued',
        nextAttemptAt: this.clock.now(),
        ...(current.state === 'failed' ? { attempts: 0 } : {}),
      })
      .where({ id, state: In(['failed', 'queued']) })
      .execute();
    if (result.affected !== 1) {
      const now = await repo.findOneByOrFail({ id });
      throw new ConflictError(
        `id: webhook delivery ${id} is ${now.state}; only a failed or waiting one can be retried`,
        'id',
      );
    }
    return deliveryView(await repo.findOneByOrFail({ id }));
  }

  /** Endpoints the sender paused, for the admins' banner. */
  async paused(): Promise<WebhookEndpointView[]> {
    const rows = await this.dataSource
      .getRepository(WebhookEndpoint)
      .find({ where: { pausedAt: Not(IsNull()), active: true }, order: { id: 'ASC' } });
    return rows.map(endpointView);
  }

  private async endpoint(id: number): Promise<WebhookEndpoint> {
    const row = await this.dataSource.getRepository(WebhookEndpoint).findOneBy({ id });
    if (!row) throw new NotFoundError('webhook', id);
    return row;
  }

  /** 400 naming `url`: not http(s), or a host that resolves to a private address (unless allowed). */
  private async checkUrl(raw: string): Promise<void> {
    const problem = urlShapeProblem(raw);
    if (problem) throw new ValidationError('url', problem);
    const host = hostOf(new URL(raw));
    try {
      await resolvePublic(host, this.config.get('WEBHOOKS_ALLOW_PRIVATE'));
    } catch (error) {
      if (error instanceof AddressRefused)
        throw new ValidationError('url', `url: ${error.message}`);
      throw new ValidationError('url', `url: the host ${host} cannot be resolved`);
    }
  }
}
