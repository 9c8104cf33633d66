import { Injectable } from '@nestjs/common';
import {
  DataSource,
  type EntitySubscriberInterface,
  type InsertEvent,
  type ObjectLiteral,
  type RemoveEvent,
  type UpdateEvent,
} from 'typeorm';
import { Agent } from '../agents/agent.entity';
import { Campaign } from '../campaigns/campaign.entity';
import { ContractReason } from '../contracts/contract-reason.entity';
import { ContractStatusChange } from '../contracts/contract-status-change.entity';
import { DoNotCallNumber } from '../do-not-call/do-not-call-number.entity';
import { PauseReason } from '../monitor/pause-reason.entity';
import { OutcomeStatus } from '../outcome-statuses/outcome-status.entity';
import { Product } from '../products/product.entity';
import { User } from '../users/user.entity';
import { currentActor } from './audit-actor';
import { AuditEntry } from './audit-entry.entity';

/** What each audited table is called in the trail, and how its rows are named. */
const AUDITED = new Map<
  unknown,
  {
    name: string;
    key: (row: ObjectLiteral) => number | null;
    /** A write the trail leaves out (it is recorded elsewhere, and costs a hot path nothing). */
    skip?: (row: ObjectLiteral) => boolean;
  }
>([
  [User, { name: 'user', key: (r) => id(r.id) }],
  [Campaign, { name: 'campaign', key: (r) => id(r.id) }],
  [OutcomeStatus, { name: 'outcome_status', key: (r) => id(r.id) }],
  [Product, { name: 'product', key: (r) => id(r.id) }],
  [Agent, { name: 'agent', key: (r) => id(r.id) }],
  [PauseReason, { name: 'pause_reason', key: (r) => id(r.id) }],
  [ContractReason, { name: 'contract_reason', key: (r) => id(r.id) }],
  // A backoffice move with its reason, keyed by the contract; the close's first line is not
  // (the outcome's transaction writes it, and the contract says who closed it).
  [
    ContractStatusChange,
    {
      name: 'contract_status',
      key: (r) => id(r.contractId),
      skip: (r) => r.fromStatus === null || r.fromStatus === undefined,
    },
  ],
  [DoNotCallNumber, { name: 'do_not_call', key: () => null }],
]);

/** Never written to the trail: secrets, and what changes by itself on every sign-in or save. */
const UNRECORDED = new Set([
  'passwordHash',
  'calendarToken',
  'lastLoginAt',
  'createdAt',
  'updatedAt',
]);

/** A value as the trail shows it: short, and JSON for lists and objects. */
function shown(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return value.length > 80 ? `${value.slice(0, 79)}…` : value;
  if (value !== null && typeof value === 'object') return shown(JSON.stringify(value));
  return value ?? null;
}

function id(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}

/**
 * The audit trail of configuration and accounts: every write of users, campaigns,
 * statuses, products, agents, pause reasons and the do-not-call list (a campaign's
 * workflow and links are summed up by its save: campaigns.service.ts), whoever makes it (a page, the API, a job), becomes a line in the same transaction:
 * who (the request's user), when, what, and the fields changed, before -> after when the
 * write read the row first. Passwords and tokens are never written.
 */
@Injectable()
export class AuditTrail implements EntitySubscriberInterface {
  constructor(dataSource: DataSource) {
    dataSource.subscribers.push(this);
  }

  async afterInsert(event: InsertEvent<ObjectLiteral>): Promise<void> {
    const audited = AUDITED.get(event.metadata.target);
    if (!audited || audited.skip?.(event.entity ?? {})) return;
    const after: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(event.entity ?? {})) {
      if (!UNRECORDED.has(field) && value !== undefined && typeof value !== 'function')
        after[field] = shown(value);
    }
    await this.line(
      event,
      `${audited.name}.created`,
      audited.name,
      audited.key(event.entity ?? {}),
      after,
    );
  }

  async afterUpdate(event: UpdateEvent<ObjectLiteral>): Promise<void> {
    const audited = AUDITED.get(event.metadata.target);
    if (!audited) return;
    const before = event.databaseEntity as ObjectLiteral | undefined;
    const entity = event.entity ?? {};
    const changes: Record<string, unknown> = {};
    const fields = event.updatedColumns.length
      ? event.updatedColumns.map((c) => c.propertyName)
      : Object.keys(entity);
    for (const field of fields) {
      if (UNRECORDED.has(field) || typeof entity[field] === 'function') continue;
      const next = shown(entity[field]);
      if (before) {
        const previous = shown(before[field]);
        if (JSON.stringify(previous) !== JSON.stringify(next)) changes[field] = [previous, next];
      } else {
        changes[field] = next;
      }
    }
    if (Object.keys(changes).length === 0) return;
    // A number on the list has no id: the line says which number changed.
    if (audited.name === 'do_not_call') changes.phone = shown((before ?? entity).phone);
    await this.line(
      event,
      `${audited.name}.updated`,
      audited.name,
      audited.key(before ?? entity),
      changes,
    );
  }

  async afterRemove(event: RemoveEvent<ObjectLiteral>): Promise<void> {
    const audited = AUDITED.get(event.metadata.target);
    if (!audited) return;
    const row = event.databaseEntity ?? event.entity ?? {};
    const key = audited.key(row) ?? id(event.entityId);
    const detail: Record<string, unknown> = {};
    if (audited.name === 'do_not_call' && typeof row.phone === 'string') detail.phone = row.phone;
    await this.line(event, `${audited.name}.deleted`, audited.name, key, detail);
  }

  private async line(
    event: { manager: InsertEvent<ObjectLiteral>['manager'] },
    action: string,
    entity: string,
    entityId: number | null,
    detail: Record<string, unknown>,
  ): Promise<void> {
    const text = Object.keys(detail).length ? JSON.stringify(detail) : null;
    await event.manager.insert(AuditEntry, {
      userId: currentActor(),
      action: action.slice(0, 40),
      entity: entity.slice(0, 40),
      entityId,
      detail: text && text.length > 500 ? `${text.slice(0, 499)}…` : text,
    });
  }
}
