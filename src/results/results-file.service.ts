import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { mayViewCallback } from '../callbacks/callback-visibility';
import type { Viewer } from '../common/access/viewer';
import type { ExportColumn, Row } from '../common/csv/export-cell';
import type { ExportTable } from '../common/csv/export-table';
import { NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { isMysqlSource } from '../common/database/sql-dialect';
import { datedName } from '../common/http/export-file-name';
import type { AuthenticatedUser } from '../common/http/request-context';
import { addDays } from '../common/time/calendar-day';
import { zonedLocalToUtc } from '../common/time/local-time';
import { mayViewContract } from '../contracts/contract-visibility';

/** Rows read per query: big enough to keep the database busy, small enough to stay flat. */
export const RESULTS_BATCH = 2000;

/** What narrows the results file; days are local days of the campaign's zone, both included. */
export interface ResultsFilters {
  campaignId: number;
  from?: string;
  to?: string;
  listId?: number;
  operatorIds?: readonly number[];
  statusIds?: readonly number[];
}

/** The campaign the file is about, with what its columns need. */
export interface ResultsCampaign {
  id: number;
  code: string;
  name: string;
  timezone: string;
  /** Its question and consent steps, in workflow order: one column each. */
  steps: Array<{ id: number; title: string; kind: string }>;
}

export interface ResultsChoice {
  id: number;
  name: string;
}

/** The results page's choices. */
export interface ResultsChoices {
  campaigns: Array<{ id: number; code: string; name: string }>;
  campaign:
    | (ResultsCampaign & {
        lists: ResultsChoice[];
        operators: ResultsChoice[];
        statuses: ResultsChoice[];
      })
    | null;
}

/** One interaction with what its row shows, as the batch query reads it. */
interface ResultsRecord {
  id: number | string;
  created_key: string;
  created_at: Date | string;
  operator_id: number | string | null;
  status_id: number | string;
  notes: string | null;
  answers: string | null;
  duration_seconds: number | string;
  dialled_phone: string | null;
  contact_id: number | string;
  first_name: string;
  last_name: string;
  phone: string;
  other_phones: string | null;
  list_id: number | string | null;
  callback_id: number | string | null;
  callback_due_at: Date | string | null;
  callback_visibility: string | null;
  callback_owner_id: number | string | null;
  contract_id: number | string | null;
  contract_protocol: string | null;
  contract_total: string | number | null;
  contract_operator_id: number | string | null;
  appointment_at: Date | string | null;
  appointment_agent_id: number | string | null;
}

/** A position in (created_at, id) order: created_at as the database writes it. */
interface ResultsCursor {
  createdKey: string;
  id: number;
}

const FIXED_COLUMNS: readonly ExportColumn[] = [
  { key: 'interactionId', kind: 'integer' },
  { key: 'date', kind: 'localTime' },
  { key: 'campaignCode', kind: 'text' },
  { key: 'campaign', kind: 'text' },
  { key: 'list', kind: 'text' },
  { key: 'contactId', kind: 'integer' },
  { key: 'firstName', kind: 'text' },
  { key: 'lastName', kind: 'text' },
  { key: 'phone', kind: 'text' },
  { key: 'otherPhones', kind: 'text' },
  { key: 'dialledPhone', kind: 'text' },
  { key: 'operator', kind: 'text' },
  { key: 'statusCode', kind: 'text' },
  { key: 'statusLabel', kind: 'text' },
  { key: 'statusType', kind: 'text' },
  { key: 'customerReached', kind: 'flag' },
  { key: 'notes', kind: 'text' },
];

const TAIL_COLUMNS: readonly ExportColumn[] = [
  { key: 'callbackAt', kind: 'localTime' },
  { key: 'contractProtocol', kind: 'text' },
  { key: 'contractTotal', kind: 'money' },
  { key: 'appointmentAt', kind: 'localTime' },
  { key: 'appointmentAgent', kind: 'text' },
  { key: 'durationSeconds', kind: 'integer' },
];

/**
 * The results file ("esitazione") a call centre owes its client: one row per confirmed call
 * of a campaign, with its contact, operator, outcome, each question and consent answer in
 * its own column, and the callback, contract and appointment it made. Read in keyset
 * batches over IDX_interactions_campaign_created (campaign_id, created_at, and the primary
 * key every index ends with), so that two million rows stream out in flat memory; a client
 * that leaves stops the reading after the batch in hand.
 */
@Injectable()
export class ResultsFileService {
  constructor(private readonly dataSource: DataSource) {}

  /** The campaign and its answer columns; a campaign that does not exist is a 404. */
  async campaign(campaignId: number): Promise<ResultsCampaign> {
    const [campaign] = await this.dataSource.query<
      Array<{ id: number | string; code: string; name: string; timezone: string }>
    >('SELECT id, code, name, timezone FROM campaigns WHERE id = ?', [campaignId]);
    if (!campaign) throw new NotFoundError('campaign', campaignId);
    const steps = await this.dataSource.query<
      Array<{ id: number | string; title: string; kind: string }>
    >(
      "SELECT id, title, kind FROM campaign_steps WHERE campaign_id = ? AND kind IN ('question', 'consent') ORDER BY position, id",
      [campaignId],
    );
    return {
      id: Number(campaign.id),
      code: campaign.code,
      name: campaign.name,
      timezone: campaign.timezone,
      steps: steps.map((s) => ({ id: Number(s.id), title: s.title, kind: s.kind })),
    };
  }

  /** What the results page offers: the campaigns, and the chosen one's lists, operators, statuses. */
  async choices(campaignId: number | undefined): Promise<ResultsChoices> {
    const campaigns = await this.dataSource.query<
      Array<{ id: number | string; code: string; name: string }>
    >('SELECT id, code, name FROM campaigns ORDER BY name, id');
    const all = campaigns.map((c) => ({ id: Number(c.id), code: c.code, name: c.name }));
    if (campaignId === undefined) return { campaigns: all, campaign: null };
    const campaign = await this.campaign(campaignId);
    const named = (rows: Array<{ id: number | string; name: string }>) =>
      rows.map((r) => ({ id: Number(r.id), name: r.name }));
    const [lists, operators, statuses] = await Promise.all([
      this.dataSource.query<Array<{ id: number | string; name: string }>>(
        'SELECT id, name FROM contact_lists WHERE campaign_id = ? ORDER BY id',
        [campaignId],
      ),
      this.dataSource.query<Array<{ id: number | string; name: string }>>(
        `SELECT u.id, u.display_name AS name FROM campaign_operators co
        JOIN users u ON u.id = co.user_id WHERE co.campaign_id = ? ORDER BY u.display_name, u.id`,
        [campaignId],
      ),
      this.dataSource.query<Array<{ id: number | string; code: string; label: string }>>(
        `SELECT s.id, s.code, s.label FROM campaign_statuses cs
        JOIN outcome_statuses s ON s.id = cs.status_id WHERE cs.campaign_id = ? ORDER BY s.code, s.id`,
        [campaignId],
      ),
    ]);
    return {
      campaigns: all,
      campaign: {
        ...campaign,
        lists: named(lists),
        operators: named(operators),
        statuses: statuses.map((s) => ({ id: Number(s.id), name: `${s.code} · ${s.label}` })),
      },
    };
  }

  /**
   * The file as a table for the writer. Everything a filter could refuse is checked here,
   * before the first byte: a wrong one is a 400 naming it, never a cut download.
   */
  async table(viewer: Viewer, filters: ResultsFilters): Promise<ExportTable> {
    const campaign = await this.campaign(filters.campaignId);
    if (filters.listId !== undefined) {
      const [list] = await this.dataSource.query<Array<{ id: number }>>(
        'SELECT id FROM contact_lists WHERE id = ? AND campaign_id = ?',
        [filters.listId, campaign.id],
      );
      if (!list)
        throw new ValidationError(
          'listId',
          `listId: list ${filters.listId} is not a list of campaign ${campaign.code}`,
        );
    }
    const where = this.where(campaign, filters);
    const names = new NameBook(this.dataSource, campaign.id);
    const read = (cursor: ResultsCursor | null) => this.batch(where, cursor);
    const steps = campaign.steps;
    const zone = campaign.timezone;
    async function* batches(): AsyncGenerator<Row[]> {
      let cursor: ResultsCursor | null = null;
      for (;;) {
        const records = await read(cursor);
        if (records.length === 0) return;
        await names.load(records);
        yield records.map((r) => resultRow(r, viewer, campaign, steps, names));
        const last = records[records.length - 1]!;
        cursor = { createdKey: last.created_key, id: Number(last.id) };
        if (records.length < RESULTS_BATCH) return;
      }
    }
    const suffix = [filters.from, filters.to].filter(Boolean).join('_');
    return {
      name: `${datedName(`results-${campaign.code.replace(/[^A-Za-z0-9_-]/g, '_')}`)}${suffix ? `_${suffix}` : ''}`,
      zone,
      columns: [
        ...FIXED_COLUMNS,
        ...steps.map((s): ExportColumn => ({
          key: 'answer',
          kind: 'text',
          title: s.title,
        })),
        ...TAIL_COLUMNS,
      ],
      batches: batches(),
    };
  }

  /** The WHERE of every batch: the campaign, its days in its zone, and the chosen filters. */
  private where(
    campaign: ResultsCampaign,
    filters: ResultsFilters,
  ): { sql: string; params: unknown[] } {
    const parts = ['i.campaign_id = ?'];
    const params: unknown[] = [campaign.id];
    if (filters.from !== undefined) {
      parts.push('i.created_at >= ?');
      params.push(sqlInstant(dayStart(filters.from, campaign.timezone)));
    }
    if (filters.to !== undefined) {
      parts.push('i.created_at < ?');
      params.push(sqlInstant(dayStart(addDays(filters.to, 1), campaign.timezone)));
    }
    if (filters.listId !== undefined) {
      parts.push('c.list_id = ?');
      params.push(filters.listId);
    }
    for (const [column, ids] of [
      ['i.operator_id', filters.operatorIds],
      ['i.status_id', filters.statusIds],
    ] as const) {
      if (ids === undefined || ids.length === 0) continue;
      parts.push(`${column} IN (${ids.map(() => '?').join(', ')})`);
      params.push(...ids);
    }
    return { sql: parts.join(' AND '), params };
  }

  private batch(
    where: { sql: string; params: unknown[] },
    cursor: ResultsCursor | null,
  ): Promise<ResultsRecord[]> {
    const mysql = isMysqlSource(this.dataSource);
    // One range of the index: created_at from the cursor on, and past its id at that moment.
    const after = cursor ? ' AND i.created_at >= ? AND (i.created_at > ? OR i.id > ?)' : '';
    const afterParams = cursor ? [cursor.createdKey, cursor.createdKey, cursor.id] : [];
    const hint = mysql ? ' FORCE INDEX (IDX_interactions_campaign_created)' : '';
    return this.dataSource.query<ResultsRecord[]>(
      `SELECT i.id, CAST(i.created_at AS CHAR) AS created_key, i.created_at, i.operator_id,
        i.status_id, i.notes, i.answers, i.duration_seconds, i.dialled_phone, i.contact_id,
        c.first_name, c.last_name, c.phone, c.other_phones, c.list_id,
        i.callback_id, cb.due_at AS callback_due_at, cb.visibility AS callback_visibility,
        cb.owner_id AS callback_owner_id,
        i.contract_id, ct.protocol_number AS contract_protocol, ct.total AS contract_total,
        ct.operator_id AS contract_operator_id,
        ap.starts_at AS appointment_at, ap.agent_id AS appointment_agent_id
      FROM interactions i${hint}
      JOIN contacts c ON c.id = i.contact_id
      LEFT JOIN callbacks cb ON cb.id = i.callback_id
      LEFT JOIN contracts ct ON ct.id = i.contract_id
      LEFT JOIN appointments ap ON ap.id = i.appointment_id
      WHERE ${where.sql}${after}
      ORDER BY i.created_at, i.id
      LIMIT ${RESULTS_BATCH}`,
      [...where.params, ...afterParams],
    );
  }
}

/**
 * Who is exporting, for the visibility rules: admins and coordinators (the only roles the
 * routes let in), whose rules need no list of campaigns.
 */
export function exportViewer(user: Pick<AuthenticatedUser, 'id' | 'role'>): Viewer {
  return { id: user.id, role: user.role, campaignIds: [] };
}

/** The names a batch's rows show (lists, operators, statuses, agents): each read once. */
class NameBook {
  readonly lists = new Map<number, string>();
  readonly users = new Map<number, string>();
  readonly statuses = new Map<
    number,
    { code: string; label: string; type: string; reached: boolean }
  >();
  readonly agents = new Map<number, string>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly campaignId: number,
  ) {}

  async load(records: readonly ResultsRecord[]): Promise<void> {
    const missing = (book: Map<number, unknown>, ids: Array<number | string | null>) => [
      ...new Set(
        ids
          .filter((id) => id !== null)
          .map(Number)
          .filter((id) => !book.has(id)),
      ),
    ];
    const lists = missing(
      this.lists,
      records.map((r) => r.list_id),
    );
    const users = missing(
      this.users,
      records.map((r) => r.operator_id),
    );
    const statuses = missing(
      this.statuses,
      records.map((r) => r.status_id),
    );
    const agents = missing(
      this.agents,
      records.map((r) => r.appointment_agent_id),
    );
    const inList = (ids: number[]) => ids.map(() => '?').join(', ');
    await Promise.all([
      lists.length &&
        this.dataSource
          .query<Array<{ id: number | string; name: string }>>(
            `SELECT id, name FROM contact_lists WHERE campaign_id = ? AND id IN (${inList(lists)})`,
            [this.campaignId, ...lists],
          )
          .then((rows) => rows.forEach((r) => this.lists.set(Number(r.id), r.name))),
      users.length &&
        this.dataSource
          .query<Array<{ id: number | string; display_name: string }>>(
            `SELECT id, display_name FROM users WHERE id IN (${inList(users)})`,
            users,
          )
          .then((rows) => rows.forEach((r) => this.users.set(Number(r.id), r.display_name))),
      statuses.length &&
        this.dataSource
          .query<
            Array<{
              id: number | string;
              code: string;
              label: string;
              type: string;
              customer_reached: number | boolean | string;
            }>
          >(
            `SELECT id, code, label, type, customer_reached FROM outcome_statuses WHERE id IN (${inList(statuses)})`,
            statuses,
          )
          .then((rows) =>
            rows.forEach((r) =>
              this.statuses.set(Number(r.id), {
                code: r.code,
                label: r.label,
                type: r.type,
                reached: Number(r.customer_reached) === 1 || r.customer_reached === true,
              }),
            ),
          ),
      agents.length &&
        this.dataSource
          .query<Array<{ id: number | string; name: string }>>(
            `SELECT id, name FROM agents WHERE id IN (${inList(agents)})`,
            agents,
          )
          .then((rows) => rows.forEach((r) => this.agents.set(Number(r.id), r.name))),
    ]);
  }
}

/**
 * One row of the file. A call whose callback or contract the viewer may not see keeps its
 * outcome but not its words (notes, answers), as a contact's history shows it (invariant 15);
 * coordinators and admins, the only ones who export, see every callback and contract.
 */
function resultRow(
  r: ResultsRecord,
  viewer: Viewer,
  campaign: ResultsCampaign,
  steps: ResultsCampaign['steps'],
  names: NameBook,
): Row {
  const callbackShown =
    r.callback_id === null ||
    r.callback_visibility === null ||
    mayViewCallback(viewer, {
      ownerId: r.callback_owner_id === null ? null : Number(r.callback_owner_id),
      visibility: r.callback_visibility,
      campaignId: campaign.id,
    });
  const contractShown =
    r.contract_id === null ||
    mayViewContract(viewer, {
      operatorId: r.contract_operator_id === null ? null : Number(r.contract_operator_id),
    });
  const wordsShown = callbackShown && contractShown;
  const answers = wordsShown ? parseJson<Record<string, string>>(r.answers) : null;
  const status = names.statuses.get(Number(r.status_id));
  const otherPhones = parseJson<Array<{ number: string; label: string }>>(r.other_phones) ?? [];
  const operatorId = r.operator_id === null ? null : Number(r.operator_id);
  return [
    Number(r.id),
    instant(r.created_at),
    campaign.code,
    campaign.name,
    r.list_id === null ? null : (names.lists.get(Number(r.list_id)) ?? null),
    Number(r.contact_id),
    r.first_name,
    r.last_name,
    r.phone,
    otherPhones.map((p) => (p.label ? `${p.label}: ${p.number}` : p.number)).join(', '),
    r.dialled_phone ?? r.phone,
    operatorId === null ? null : (names.users.get(operatorId) ?? null),
    status?.code ?? null,
    status?.label ?? null,
    status?.type ?? null,
    status?.reached ?? null,
    wordsShown ? r.notes : null,
    ...steps.map((s) => answers?.[String(s.id)] ?? null),
    callbackShown ? instant(r.callback_due_at) : null,
    contractShown ? r.contract_protocol : null,
    contractShown ? money(r.contract_total) : null,
    instant(r.appointment_at),
    r.appointment_agent_id === null
      ? null
      : (names.agents.get(Number(r.appointment_agent_id)) ?? null),
    Number(r.duration_seconds),
  ];
}

/** A DATETIME as mysql2 (a Date, timezone Z) or SQLite (UTC text) hands it back. */
function instant(value: Date | string | null): Date | null {
  if (value === null) return null;
  if (value instanceof Date) return value;
  return new Date(`${value.replace(' ', 'T')}Z`);
}

/** A DECIMAL(12,2): MySQL sends text, SQLite a number. */
function money(value: string | number | null): string | null {
  if (value === null) return null;
  return typeof value === 'number' ? value.toFixed(2) : value;
}

function parseJson<T>(text: string | null): T | null {
  if (text === null || text === '') return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

/** Midnight of a local day in the zone (the first minute that exists, should a clock change skip it). */
function dayStart(day: string, zone: string): Date {
  for (const time of ['00:00', '01:00', '02:00']) {
    const at = zonedLocalToUtc(`${day}T${time}`, zone);
    if (at) return at;
  }
  return new Date(`${day}T00:00:00Z`);
}

/** An instant as the database writes a DATETIME (compared as text by SQLite). */
function sqlInstant(at: Date): string {
  const text = at.toISOString().replace('T', ' ').replace('Z', '');
  return text.endsWith('.000') ? text.slice(0, -4) : text;
}
