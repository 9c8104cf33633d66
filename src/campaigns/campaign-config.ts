import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Injectable } from '@nestjs/common';
import {
  DataSource,
  EntityManager,
  type EntitySubscriberInterface,
  type InsertEvent,
  type QueryRunner,
  type RemoveEvent,
  type SoftRemoveEvent,
  type TransactionCommitEvent,
  type TransactionRollbackEvent,
  type UpdateEvent,
} from 'typeorm';
import { Agent } from '../agents/agent.entity';
import { OutcomeStatus } from '../outcome-statuses/outcome-status.entity';
import { Product } from '../products/product.entity';
import { CampaignAgent } from './campaign-agent.entity';
import { CampaignProduct } from './campaign-product.entity';
import { CampaignStatus } from './campaign-status.entity';
import { CampaignStep } from './campaign-step.entity';
import { Campaign } from './campaign.entity';
import { ConfigVersion } from './config-version.entity';

/** A campaign as every call reads it: its row, its workflow and what it links to. */
export interface CampaignConfig {
  readonly campaign: Readonly<Campaign>;
  /** In order of position. */
  readonly steps: readonly Readonly<CampaignStep>[];
  /** The statuses it offers, archived ones included (callers filter). */
  readonly statuses: readonly Readonly<OutcomeStatus>[];
  /** Its products, inactive ones included. */
  readonly products: readonly Readonly<Product>[];
  /** Its agents, inactive ones included. */
  readonly agents: readonly Readonly<Agent>[];
}

/** The tables whose rows make up a campaign's configuration. */
const CONFIG_ENTITIES: ReadonlySet<unknown> = new Set([
  Campaign,
  CampaignStep,
  CampaignStatus,
  CampaignProduct,
  CampaignAgent,
  OutcomeStatus,
  Product,
  Agent,
]);

/** How long an instance trusts its copy without asking for the stamp: an edit elsewhere shows within this. */
export const CONFIG_CHECK_MS = 500;

/**
 * Campaign configuration kept in memory by each instance, since it changes a few times a
 * day and is read on every call. Every write of it through the ORM (admin pages, API,
 * jobs, the demo and the tests' factories alike) rewrites one stamp in the same
 * transaction and drops this instance's copy; other instances see the new stamp within
 * {@link CONFIG_CHECK_MS}. A transaction whose rule depends on the configuration (the
 * outcome's status and answers) reads the stamp inside itself, so it never applies a
 * rule an admin has already changed.
 */
@Injectable()
export class CampaignConfigCache implements EntitySubscriberInterface {
  /** The stamp the copies below were read after; undefined: ask before trusting them. */
  private stamp: string | null | undefined;
  private checkedAt = 0;
  private checking: Promise<void> | null = null;
  private readonly campaigns = new Map<number, Promise<CampaignConfig | null>>();
  private catalogue: Promise<ReadonlyMap<number, Readonly<OutcomeStatus>>> | null = null;
  /** Transactions that wrote configuration: dropped again once they commit or roll back. */
  private readonly writers = new WeakSet<QueryRunner>();
  /** The stamp each open transaction read in campaignIn (SQLite reuses one runner: cleared at its end). */
  private readonly seen = new WeakMap<QueryRunner, string | null>();
  /** The tables whose writes rewrite the stamp: the configuration's, and those registered. */
  private readonly stamped = new Set<unknown>(CONFIG_ENTITIES);

  constructor(private readonly dataSource: DataSource) {
    dataSource.subscribers.push(this);
  }

  /** The campaign's configuration as last committed (at most {@link CONFIG_CHECK_MS} old); null: no such campaign. */
  async campaign(campaignId: number): Promise<CampaignConfig | null> {
    await this.fresh();
    return this.cached(campaignId, this.dataSource.manager);
  }

  /**
   * The configuration as the caller's transaction sees it: the stamp is read in it, and a
   * copy older than the stamp is read again through it.
   */
  async campaignIn(em: EntityManager, campaignId: number): Promise<CampaignConfig | null> {
    const stamp = await readStamp(em);
    if (em.queryRunner?.isTransactionActive) this.seen.set(em.queryRunner, stamp);
    if (stamp !== this.stamp) return loadCampaign(em, campaignId);
    return this.cached(campaignId, em);
  }

  /** Every outcome status by id, archived ones included (names and colours of past calls). */
  async statuses(): Promise<ReadonlyMap<number, Readonly<OutcomeStatus>>> {
    await this.fresh();
    if (!this.catalogue) {
      const loading = this.dataSource
        .getRepository(OutcomeStatus)
        .find()
        .then((rows) => new Map(rows.map((s) => [s.id, deepFreeze(s)])));
      this.catalogue = loading;
      loading.catch(() => {
        if (this.catalogue === loading) this.catalogue = null;
      });
    }
    return this.catalogue;
  }

  /**
   * The stamp the caller's transaction read in {@link campaignIn}, undefined when it read
   * none. Whatever was read after that stamp was committed (and is still current while the
   * stamp is the same) holds for the transaction too, without asking again.
   */
  stampSeenIn(em: EntityManager): string | null | undefined {
    const runner = em.queryRunner;
    if (!runner?.isTransactionActive) return undefined;
    return this.seen.get(runner);
  }

  /**
   * The stamp as this instance last checked it (at most {@link CONFIG_CHECK_MS} old, the
   * check shared with every other read of the configuration); undefined right after a
   * write of this instance. A view kept under it is current while it is the same.
   */
  async knownStamp(): Promise<string | null | undefined> {
    await this.fresh();
    return this.stamp;
  }

  /** The stamp as last committed (read now). */
  currentStamp(): Promise<string | null> {
    return readStamp(this.dataSource.manager);
  }

  /**
   * Every write of this entity rewrites the stamp too, in the writer's transaction: a
   * capability whose rows instances keep a view of (webhook endpoints) learns of a change
   * elsewhere the way campaign configuration does.
   */
  stampWritesOf(entity: unknown): void {
    this.stamped.add(entity);
  }

  private cached(campaignId: number, em: EntityManager): Promise<CampaignConfig | null> {
    let entry = this.campaigns.get(campaignId);
    if (!entry) {
      const loading = loadCampaign(em, campaignId);
      entry = loading;
      this.campaigns.set(campaignId, loading);
      // A campaign not found (yet) or a failed read is asked again next time.
      const drop = () => {
        if (this.campaigns.get(campaignId) === loading) this.campaigns.delete(campaignId);
      };
      loading.then((config) => config ?? drop(), drop);
    }
    return entry;
  }

  private async fresh(): Promise<void> {
    if (this.stamp !== undefined && performance.now() - this.checkedAt < CONFIG_CHECK_MS) return;
    this.checking ??= this.check().finally(() => (this.checking = null));
    await this.checking;
  }

  private async check(): Promise<void> {
    const before = this.stamp;
    const stamp = await readStamp(this.dataSource.manager);
    // Dropped by a local write meanwhile: the next read asks again.
    if (this.stamp !== before) return;
    if (stamp !== before) this.forget();
    this.stamp = stamp;
    this.checkedAt = performance.now();
  }

  /** Drops every copy; the next read asks for the stamp first. */
  forget(): void {
    this.stamp = undefined;
    this.campaigns.clear();
    this.catalogue = null;
  }

  // ---- the ORM's events: every configuration write rewrites the stamp in its transaction

  async afterInsert(event: InsertEvent<unknown>): Promise<void> {
    await this.written(event.metadata.target, event.queryRunner);
  }

  async afterUpdate(event: UpdateEvent<unknown>): Promise<void> {
    await this.written(event.metadata.target, event.queryRunner);
  }

  async afterRemove(event: RemoveEvent<unknown>): Promise<void> {
    await this.written(event.metadata.target, event.queryRunner);
  }

  async afterSoftRemove(event: SoftRemoveEvent<unknown>): Promise<void> {
    await this.written(event.metadata.target, event.queryRunner);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    this.ended(event.queryRunner);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    this.ended(event.queryRunner);
  }

  private async written(target: unknown, runner: QueryRunner): Promise<void> {
    if (!this.stamped.has(target)) return;
    this.forget();
    this.seen.delete(runner);
    if (runner.isTransactionActive) this.writers.add(runner);
    const mysql = runner.connection.options.type !== 'better-sqlite3';
    await runner.query(
      mysql
        ? 'INSERT INTO config_versions (id, stamp) VALUES (1, ?) ON DUPLICATE KEY UPDATE stamp = VALUES(stamp)'
        : 'INSERT INTO config_versions (id, stamp) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET stamp = excluded.stamp',
      [randomUUID()],
    );
  }

  /** A copy read while the write was not yet committed may be the old one: dropped again. */
  private ended(runner: QueryRunner): void {
    this.seen.delete(runner);
    if (!this.writers.has(runner)) return;
    this.writers.delete(runner);
    this.forget();
  }
}

async function readStamp(em: EntityManager): Promise<string | null> {
  const row = await em
    .getRepository(ConfigVersion)
    .findOne({ where: { id: 1 }, select: ['stamp'] });
  return row?.stamp ?? null;
}

async function loadCampaign(em: EntityManager, campaignId: number): Promise<CampaignConfig | null> {
  const campaign = await em.getRepository(Campaign).findOneBy({ id: campaignId });
  if (!campaign) return null;
  const linked = <T extends object>(entity: new () => T, link: new () => object, key: string) =>
    em
      .getRepository(entity)
      .createQueryBuilder('e')
      .innerJoin(link, 'l', `l.${key} = e.id AND l.campaignId = :campaignId`, { campaignId })
      .orderBy('e.id', 'ASC')
      .getMany();
  const [steps, statuses, products, agents] = await Promise.all([
    em.getRepository(CampaignStep).find({ where: { campaignId }, order: { position: 'ASC' } }),
    linked(OutcomeStatus, CampaignStatus, 'statusId'),
    linked(Product, CampaignProduct, 'productId'),
    linked(Agent, CampaignAgent, 'agentId'),
  ]);
  // Shared by every request of this instance: read only (a write would change them for all).
  return deepFreeze({ campaign, steps, statuses, products, agents });
}

function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return Object.freeze(value);
}
