import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, DataSource, In, Repository, SelectQueryBuilder } from 'typeorm';
import { Campaign } from '../campaigns/campaign.entity';
import { forUpdate } from '../common/database/row-lock';
import { escapeLike, isMysqlSource, LIKE_ESCAPE } from '../common/database/sql-dialect';
import { ConflictError, NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { contractsVisibleTo, mayViewContract } from './contract-visibility';
import type { AuthenticatedUser } from '../common/http/request-context';
import { Clock } from '../common/time/clock';
import type { ExportColumn, Row } from '../common/csv/export-cell';
import type { ExportTable } from '../common/csv/export-table';
import { datedName } from '../common/http/export-file-name';
import { PhoneNumbers } from '../common/phone/phone-number';
import { Interaction } from '../interactions/interaction.entity';
import { User } from '../users/user.entity';
import { webhookEvent } from '../webhooks/webhook-events';
import { WebhookOutbox } from '../webhooks/webhook-outbox';
import { CONTRACT_FIELDS, isFiscalCode, normaliseContractField } from './contract-fields';
import { ContractLine } from './contract-line.entity';
import { ContractReasonsService } from './contract-reasons.service';
import { ContractStatusChange } from './contract-status-change.entity';
import { Contract, CONTRACT_TRANSITIONS } from './contract.entity';
import {
  ContractCursor,
  ContractFilters,
  ContractPageQuery,
  ContractStatusDto,
  encodeContractCursor,
} from './dto/contract-query';
import type {
  ContractCampaignView,
  ContractDetailView,
  ContractFieldsView,
  ContractListItem,
  ContractPage,
  ContractUserView,
} from './dto/contract.view';

/** Rows per read of the CSV export: memory stays flat however many contracts match. */
const EXPORT_BATCH = 1000;

/** The caller's filters (and an operator's own-contracts rule) on `c`, and the index to read. */
interface Criteria {
  apply: (query: SelectQueryBuilder<Contract>) => void;
  index: string | null;
}

/** A campaign as the list names it; the export also dates rows in its zone. */
type CampaignHeading = ContractCampaignView & { timezone: string };

interface ListedRow {
  contract: Contract;
  cursor: ContractCursor;
}

/**
 * The backoffice's contracts: the list and its CSV export (newest first, keyset paging on
 * (created_at, id)), one contract with its lines and history, and the status workflow
 * new → verified → activated, or cancelled (with a reason) before it is activated.
 * Operators see only the contracts they closed; to them any other does not exist.
 */
/** The contracts export: the plain dialect's headers are these keys, as they always were. */
const CONTRACT_EXPORT_COLUMNS: readonly ExportColumn[] = [
  { key: 'protocolNumber', kind: 'text' },
  { key: 'date', kind: 'localTime' },
  { key: 'timezone', kind: 'text' },
  { key: 'status', kind: 'word', words: 'contractStatus' },
  { key: 'campaignCode', kind: 'text' },
  { key: 'campaignName', kind: 'text' },
  { key: 'operator', kind: 'text' },
  { key: 'firstName', kind: 'text' },
  { key: 'lastName', kind: 'text' },
  { key: 'phone', kind: 'text' },
  { key: 'totalNet', kind: 'money' },
  { key: 'totalVat', kind: 'money' },
  { key: 'total', kind: 'money' },
  // What the call captured; custom fields as name: value lines.
  ...CONTRACT_FIELDS.map((key): ExportColumn => ({ key, kind: 'text' })),
  { key: 'customFields', kind: 'text' },
];

@Injectable()
export class ContractsService {
  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(Contract) private readonly contracts: Repository<Contract>,
    @InjectRepository(ContractLine) private readonly lines: Repository<ContractLine>,
    @InjectRepository(ContractStatusChange)
    private readonly changes: Repository<ContractStatusChange>,
    @InjectRepository(Campaign) private readonly campaigns: Repository<Campaign>,
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(Interaction) private readonly interactions: Repository<Interaction>,
    private readonly webhooks: WebhookOutbox,
    private readonly reasons: ContractReasonsService,
    private readonly phones: PhoneNumbers,
    private readonly clock: Clock,
  ) {}

  async list(user: AuthenticatedUser, query: ContractPageQuery): Promise<ContractPage> {
    const criteria = await this.criteria(user, query);
    const rows = await this.batch(criteria, query.after, query.limit + 1);
    const page = rows.slice(0, query.limit);
    const [campaigns, users] = await Promise.all([
      this.campaignsById(page.map((r) => r.contract.campaignId)),
      this.usersById(page.map((r) => r.contract.operatorId)),
    ]);
    const last = page[page.length - 1];
    return {
      items: page.map(({ contract }) => toListItem(contract, campaigns, users)),
      next: last && rows.length > query.limit ? encodeContractCursor(last.cursor) : null,
    };
  }

  /** One contract with its lines, the call it came from and its history (404 if not theirs). */
  async detail(user: AuthenticatedUser, id: number): Promise<ContractDetailView> {
    const contract = await this.contracts.findOneBy({ id });
    if (!contract || !mayViewContract(user, contract)) throw new NotFoundError('contract', id);
    const [lines, history, interaction, campaigns] = await Promise.all([
      this.lines.find({ where: { contractId: id }, order: { id: 'ASC' } }),
      this.changes.find({ where: { contractId: id }, order: { id: 'ASC' } }),
      // Through the contact's calls (indexed on contact_id): few rows, and no index on contract_id.
      this.interactions.findOne({ where: { contactId: contract.contactId, contractId: id } }),
      this.campaignsById([contract.campaignId]),
    ]);
    const [users, reasonLabels] = await Promise.all([
      this.usersById([contract.operatorId, ...history.map((h) => h.userId)]),
      this.reasons.labels(history.map((h) => h.reasonCode)),
    ]);
    return {
      ...toListItem(contract, campaigns, users),
      statusChangedAt: contract.statusChangedAt?.toISOString() ?? null,
      contactId: contract.contactId,
      customer: contract.customer,
      fields: contractFieldsView(contract),
      lines: lines.map((l) => ({
        code: l.code,
        name: l.name,
        unitPrice: l.unitPrice,
        vatRate: l.vatRate,
        quantity: l.quantity,
        net: l.net,
        vat: l.vat,
        total: l.total,
        priceOverridden: l.priceOverridden,
      })),
      interaction: interaction
        ? {
            id: interaction.id,
            startedAt: interaction.startedAt.toISOString(),
            durationSeconds: interaction.durationSeconds,
            notes: interaction.notes,
          }
        : null,
      history: history.map((h) => ({
        from: h.fromStatus,
        to: h.toStatus,
        reason: h.reason,
        reasonCode: h.reasonCode,
        reasonLabel: h.reasonCode === null ? null : (reasonLabels.get(h.reasonCode) ?? null),
        at: h.at.toISOString(),
        user: h.userId === null ? null : (users.get(h.userId) ?? null),
      })),
    };
  }

  /**
   * Moves a contract along the workflow: the status, when it changed and the history line
   * (who, when, why) in one transaction. A cancelled contract keeps its protocol number.
   */
  async changeStatus(
    user: AuthenticatedUser,
    id: number,
    dto: ContractStatusDto,
  ): Promise<ContractDetailView> {
    const reason = dto.reason?.trim() || null;
    const reasonCode = dto.reasonCode?.trim() || null;
    if (dto.status === 'cancelled' && reason === null) {
      throw new ValidationError('reason', 'reason: a cancellation needs a reason').say(
        'contracts.errors.reasonRequired',
      );
    }
    await this.dataSource.transaction(async (em) => {
      // Row lock: two clerks moving one contract take turns; the second sees the first's status.
      const contract = await em.findOne(Contract, { where: { id }, ...forUpdate(em) });
      if (!contract || !mayViewContract(user, contract)) throw new NotFoundError('contract', id);
      const allowed = CONTRACT_TRANSITIONS[contract.status];
      if (!allowed.includes(dto.status)) {
        const next = allowed.length > 0 ? `only ${allowed.join(' or ')}` : 'it is final';
        throw new ConflictError(
          `status: contract ${contract.protocolNumber} is ${contract.status} and cannot become ${dto.status} (${next})`,
          'status',
          { currentStatus: contract.status, requestedStatus: dto.status },
        );
      }
      if (dto.status === 'suspended' && reasonCode === null) {
        throw new ValidationError(
          'reasonCode',
          'reasonCode: a suspension needs a reason from the list (GET /api/v1/contract-reasons)',
        ).say('contracts.errors.suspendReasonRequired');
      }
      if (contract.status === 'suspended' && reasonCode === null && reason === null) {
        throw new ValidationError(
          'reason',
          'reason: leaving a suspension needs a reason (reasonCode) or a note (reason)',
        ).say('contracts.errors.resumeReasonRequired');
      }
      // The list's reason as this transaction sees it: one deactivated a moment ago is refused.
      if (reasonCode !== null) await this.reasons.activeWithin(em, reasonCode, 'reasonCode');
      const now = this.clock.now();
      await em.update(Contract, { id }, { status: dto.status, statusChangedAt: now });
      await em.insert(ContractStatusChange, {
        contractId: id,
        fromStatus: contract.status,
        toStatus: dto.status,
        reason,
        reasonCode,
        userId: user.id,
        at: now,
      });
      // Invariant 16: the event in the change's transaction (the clerk's free-text reason is
      // not sent; the list's code is).
      const campaign = await em.findOne(Campaign, {
        where: { id: contract.campaignId },
        select: { id: true, code: true },
      });
      await this.webhooks.recordWithin(em, [
        webhookEvent('contract.status_changed', now, {
          campaignId: contract.campaignId,
          campaignCode: campaign?.code ?? null,
          contactId: contract.contactId,
          contract: {
            id,
            protocolNumber: contract.protocolNumber,
            total: contract.total,
            from: contract.status,
            to: dto.status,
            reasonCode,
          },
        }),
      ]);
    });
    return this.detail(user, id);
  }

  /**
   * The matching contracts as a table (CSV or XLSX), read in keyset batches so that a
   * million of them stream out in flat memory. Dates in each campaign's zone.
   */
  async exportTable(user: AuthenticatedUser, filters: ContractFilters): Promise<ExportTable> {
    // Resolved before the first byte: a bad filter is still a 400, not a cut download.
    const criteria = await this.criteria(user, filters);
    const campaignsById = (ids: number[]) => this.campaignsById(ids);
    const usersById = (ids: Array<number | null>) => this.usersById(ids);
    const batch = (cursor: ContractCursor | null) => this.batch(criteria, cursor, EXPORT_BATCH);
    async function* batches(): AsyncGenerator<Row[]> {
      let cursor: ContractCursor | null = null;
      for (;;) {
        const found = await batch(cursor);
        if (found.length === 0) return;
        const [campaigns, users] = await Promise.all([
          campaignsById(found.map((r) => r.contract.campaignId)),
          usersById(found.map((r) => r.contract.operatorId)),
        ]);
        yield found.map(({ contract: c }) => {
          const campaign = campaigns.get(c.campaignId);
          const zone = campaign?.timezone ?? 'UTC';
          return [
            c.protocolNumber,
            { at: c.createdAt, zone },
            zone,
            c.status,
            campaign?.code ?? '',
            campaign?.name ?? '',
            c.operatorId === null ? '' : (users.get(c.operatorId)?.name ?? ''),
            c.customerFirstName,
            c.customerLastName,
            c.customerPhone,
            c.totalNet,
            c.totalVat,
            c.total,
            ...CONTRACT_FIELDS.map((field) => c[field] ?? ''),
            customFieldsText(c.customFields),
          ];
        });
        cursor = found[found.length - 1]!.cursor;
      }
    }
    return {
      name: datedName('contracts'),
      zone: 'UTC',
      columns: CONTRACT_EXPORT_COLUMNS,
      batches: batches(),
    };
  }

  /**
   * What the backoffice list offers in its filters: the campaigns (with their zone, in which
   * the list dates its rows) and the operators, by name.
   */
  async filterOptions(): Promise<{
    campaigns: Array<ContractCampaignView & { timezone: string }>;
    operators: ContractUserView[];
  }> {
    const [campaigns, operators] = await Promise.all([
      this.campaigns.find({
        select: { id: true, code: true, name: true, timezone: true },
        order: { name: 'ASC', id: 'ASC' },
      }),
      this.users.find({
        where: { role: 'operator' },
        select: { id: true, displayName: true },
        order: { displayName: 'ASC', id: 'ASC' },
      }),
    ]);
    return {
      campaigns: campaigns.map((c) => ({
        id: c.id,
        code: c.code,
        name: c.name,
        timezone: c.timezone,
      })),
      operators: operators.map((u) => ({ id: u.id, name: u.displayName })),
    };
  }

  /** The time zone of a campaign (the contract page dates everything in it); UTC if gone. */
  async campaignZone(campaignId: number): Promise<string> {
    const campaign = await this.campaigns.findOne({
      where: { id: campaignId },
      select: { id: true, timezone: true },
    });
    return campaign?.timezone ?? 'UTC';
  }

  /** The WHERE of a list or an export, and the index that serves it. */
  private async criteria(user: AuthenticatedUser, filters: ContractFilters): Promise<Criteria> {
    const visible = contractsVisibleTo(user, 'c');
    if (visible === 'none') return { apply: (query) => query.andWhere('1 = 0'), index: null };
    // The one rule that narrows rows (an operator's own contracts) is on operator_id.
    const operatorId = visible === 'all' ? filters.operatorId : user.id;
    if (
      operatorId !== undefined &&
      filters.operatorId !== undefined &&
      operatorId !== filters.operatorId
    ) {
      // An operator asking for someone else's contracts sees none, like any other not theirs.
      return { apply: (query) => query.andWhere('1 = 0'), index: null };
    }
    const search = filters.q === undefined ? null : await this.search(filters.q);
    // The most selective filter's (..., created_at, id) index, read newest first; a search
    // is left to the optimizer (its own index finds few rows, sorted after).
    let index: string | null = 'IDX_contracts_created';
    if (search) index = null;
    else if (operatorId !== undefined) index = 'IDX_contracts_operator_created';
    else if (filters.campaignId !== undefined) index = 'IDX_contracts_campaign_created';
    else if (filters.status) index = 'IDX_contracts_status_created';
    return {
      index,
      apply: (query) => {
        if (filters.status) query.andWhere('c.status = :status', { status: filters.status });
        if (filters.campaignId !== undefined)
          query.andWhere('c.campaignId = :campaignId', { campaignId: filters.campaignId });
        if (operatorId !== undefined) query.andWhere('c.operatorId = :operatorId', { operatorId });
        if (filters.from)
          query.andWhere('c.createdAt >= :from', { from: sqlInstant(filters.from) });
        if (filters.before)
          query.andWhere('c.createdAt < :before', { before: sqlInstant(filters.before) });
        search?.(query);
      },
    };
  }

  /**
   * What `q` means: a protocol number when a contract has exactly that number (one probe of
   * the unique index); else any of: a part of a protocol number (`000123` finds
   * 2026/000123), a phone (E.164 exact, or its first digits), a fiscal code (exact, on its
   * index), the customer's name as the list writes it (last and first in either order, each
   * the beginning of the name; case as the database compares it: not at all), or the
   * beginning of the last name.
   */
  private async search(q: string): Promise<(query: SelectQueryBuilder<Contract>) => void> {
    if (await this.contracts.existsBy({ protocolNumber: q })) {
      return (query) => query.andWhere('c.protocolNumber = :protocol', { protocol: q });
    }
    const ways: Array<{ sql: string; params: Record<string, string> }> = [];
    if (/\d/.test(q) && /^[A-Za-z0-9/_.-]+$/.test(q)) {
      ways.push({
        sql: `c.protocolNumber LIKE :protocolPart ${LIKE_ESCAPE}`,
        params: { protocolPart: `%${escapeLike(q)}%` },
      });
    }
    const phone = this.phones.searchFor(q);
    if (phone && 'exact' in phone) {
      ways.push({ sql: 'c.customerPhone = :phone', params: { phone: phone.exact } });
    } else if (phone) {
      ways.push({
        sql: `c.customerPhone LIKE :phonePrefix ${LIKE_ESCAPE}`,
        params: { phonePrefix: `${escapeLike(phone.prefix)}%` },
      });
    }
    const fiscalCode = normaliseContractField('fiscalCode', q);
    if (isFiscalCode(fiscalCode)) {
      ways.push({ sql: 'c.fiscalCode = :fiscalCode', params: { fiscalCode } });
    }
    if (/\p{L}/u.test(q)) {
      ways.push({
        sql: `c.customerLastName LIKE :lastName ${LIKE_ESCAPE}`,
        params: { lastName: `${escapeLike(q)}%` },
      });
      // "Rossi Mario", "mario rossi", "De Luca Anna": every split of the words into the two names.
      const words = q.split(/\s+/).filter(Boolean).slice(0, 6);
      for (let at = 1; at < words.length; at++) {
        const head = `${escapeLike(words.slice(0, at).join(' '))}%`;
        const tail = `${escapeLike(words.slice(at).join(' '))}%`;
        ways.push({
          sql: `(c.customerLastName LIKE :nameHead${at} ${LIKE_ESCAPE} AND c.customerFirstName LIKE :nameTail${at} ${LIKE_ESCAPE})`,
          params: { [`nameHead${at}`]: head, [`nameTail${at}`]: tail },
        });
        ways.push({
          sql: `(c.customerFirstName LIKE :nameHead${at} ${LIKE_ESCAPE} AND c.customerLastName LIKE :nameTail${at} ${LIKE_ESCAPE})`,
          params: {},
        });
      }
    }
    if (ways.length === 0) return (query) => query.andWhere('1 = 0');
    return (query) =>
      query.andWhere(
        new Brackets((w) => {
          for (const way of ways) w.orWhere(way.sql, way.params);
        }),
      );
  }

  /**
   * Up to `size` contracts after `cursor`, newest first: first their keys, read from the
   * chosen index alone (forced on MySQL: left to itself MariaDB reads a low-cardinality
   * status by `ref` from the newest row down to the cursor, so page 1,000 would cost a
   * thousand pages), then the rows by primary key. The cursor carries created_at as the
   * database wrote it: a JS Date would drop MySQL's microseconds and skip or repeat rows.
   */
  private async batch(
    criteria: Criteria,
    cursor: ContractCursor | null,
    size: number,
  ): Promise<ListedRow[]> {
    const query = this.contracts
      .createQueryBuilder('c')
      .select('c.id', 'id')
      .addSelect('CAST(c.created_at AS CHAR)', 'created_at');
    criteria.apply(query);
    if (cursor) {
      // One range of the index: (created_at < at) or (created_at = at and id < id).
      query.andWhere(
        new Brackets((w) =>
          w
            .where('c.createdAt < :cursorAt', { cursorAt: cursor.createdAt })
            .orWhere('(c.createdAt = :cursorAt AND c.id < :cursorId)', { cursorId: cursor.id }),
        ),
      );
    }
    query.orderBy('c.createdAt', 'DESC').addOrderBy('c.id', 'DESC').limit(size);
    const [plain, parameters] = query.getQueryAndParameters();
    const keys = await this.dataSource.query<Array<{ id: number | string; created_at: string }>>(
      criteria.index && isMysqlSource(this.dataSource) ? forceIndex(plain, criteria.index) : plain,
      parameters,
    );
    if (keys.length === 0) return [];
    const found = await this.contracts.find({
      where: { id: In(keys.map((k) => Number(k.id))) },
      select: {
        id: true,
        protocolNumber: true,
        status: true,
        createdAt: true,
        campaignId: true,
        operatorId: true,
        customerFirstName: true,
        customerLastName: true,
        customerPhone: true,
        totalNet: true,
        totalVat: true,
        total: true,
        ...Object.fromEntries(CONTRACT_FIELDS.map((field) => [field, true])),
        customFields: true,
      },
    });
    const byId = new Map(found.map((c) => [c.id, c]));
    return keys.flatMap((k) => {
      const contract = byId.get(Number(k.id));
      return contract
        ? [{ contract, cursor: { createdAt: String(k.created_at), id: contract.id } }]
        : [];
    });
  }

  private async campaignsById(ids: number[]): Promise<Map<number, CampaignHeading>> {
    const wanted = [...new Set(ids)];
    if (wanted.length === 0) return new Map();
    const found = await this.campaigns.find({
      where: { id: In(wanted) },
      select: { id: true, code: true, name: true, timezone: true },
    });
    return new Map(found.map((c) => [c.id, c]));
  }

  private async usersById(ids: Array<number | null>): Promise<Map<number, ContractUserView>> {
    const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
    if (wanted.length === 0) return new Map();
    const found = await this.users.find({
      where: { id: In(wanted) },
      select: { id: true, displayName: true },
    });
    return new Map(found.map((u) => [u.id, { id: u.id, name: u.displayName }]));
  }
}

function toListItem(
  c: Contract,
  campaigns: Map<number, CampaignHeading>,
  users: Map<number, ContractUserView>,
): ContractListItem {
  const campaign = campaigns.get(c.campaignId);
  return {
    id: c.id,
    protocolNumber: c.protocolNumber,
    status: c.status,
    createdAt: c.createdAt.toISOString(),
    campaign: campaign ? { id: campaign.id, code: campaign.code, name: campaign.name } : null,
    operator: c.operatorId === null ? null : (users.get(c.operatorId) ?? null),
    customer: {
      firstName: c.customerFirstName,
      lastName: c.customerLastName,
      phone: c.customerPhone,
    },
    totalNet: c.totalNet,
    totalVat: c.totalVat,
    total: c.total,
  };
}

/**
 * A bound for created_at as the database writes it: SQLite compares DATETIMEs as text, and
 * rows written by its default carry no fraction ("...:00" sorts before "...:00.000").
 */
function sqlInstant(at: Date): string {
  const text = at.toISOString().replace('T', ' ').replace('Z', '');
  return text.endsWith('.000') ? text.slice(0, -4) : text;
}

/** `FROM contracts c` → `FROM contracts c FORCE INDEX (index)` (MySQL/MariaDB only). */
function forceIndex(sql: string, index: string): string {
  const from = ' `c` ';
  const at = sql.indexOf(from);
  if (at === -1) throw new Error(`cannot place the index hint in: ${sql}`);
  return `${sql.slice(0, at + from.length)}FORCE INDEX (\`${index}\`) ${sql.slice(at + from.length)}`;
}

/** The contract's fields as the page and the API show them: only those the call filled. */
function contractFieldsView(c: Contract): ContractFieldsView {
  const standard = CONTRACT_FIELDS.flatMap((field) => {
    const value = c[field];
    return value === null ? [] : [{ field, value }];
  });
  const custom = Object.entries(c.customFields ?? {}).map(([name, value]) => ({
    field: `custom:${name}`,
    value,
  }));
  return [...standard, ...custom];
}

/** Custom fields in one cell: `name: value` a line. */
function customFieldsText(fields: Record<string, string> | null): string {
  return Object.entries(fields ?? {})
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n');
}
