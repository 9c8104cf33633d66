import { Injectable } from '@nestjs/common';
import { format as formatSql } from 'mysql2';
import { DataSource, EntityManager } from 'typeorm';
import { retriedTransaction } from '../common/database/retried-transaction';
import { insertIgnore, isMysqlSource, listPlaceholders } from '../common/database/sql-dialect';
import { DoNotCallService } from '../do-not-call/do-not-call.service';
import type { InsertRow, PendingBatch } from './contact-row-reader';

/**
 * The contacts' columns an import writes, in the order of ContactRowReader's rows: the
 * campaign first and the list last (SQLite's statement writes those two inline).
 */
const INSERT_COLUMNS = [
  'campaign_id',
  'first_name',
  'last_name',
  'phone',
  'email',
  'language',
  'city',
  'province',
  'address',
  'postal_code',
  'fields',
  'call_reason',
  'preferred_channel',
  'consent',
  'tags',
  'other_phones',
  'list_id',
] as const;
const WIDTH = INSERT_COLUMNS.length;
/** What an update-mode import changes of a contact already in the campaign. */
const UPDATED_COLUMNS = [
  'first_name',
  'last_name',
  'email',
  'language',
  'city',
  'province',
  'address',
  'postal_code',
  'fields',
  'consent',
  'other_phones',
] as const;
/** Never empty in a row: taken as they are. */
const REQUIRED_UPDATES: readonly string[] = ['first_name', 'last_name'];
const PHONE = INSERT_COLUMNS.indexOf('phone');
const LOCK_RETRIES = 6;

/** A batch ready to write: its INSERT (null when nothing is left to insert) and counts. */
export interface PreparedInsert {
  rowCount: number;
  blockedCount: number;
  sql: string | null;
  params: Array<string | number | null>;
  /** Update mode: the distinct phones of the rows, to count which were in the campaign. */
  phones: string[] | null;
  campaignId: number;
}

/** Columns 0-3 (campaign, names, phone) and the last (list) are written whatever they hold. */
const OPTIONAL_FIRST = PHONE + 1;
const OPTIONAL_END = WIDTH - 1;

/**
 * The columns a batch writes: those its rows fill. A list without addresses, tags or other
 * numbers leaves those columns out (they default to NULL) rather than sending eight NULLs a
 * row for the database to parse; the rows are cut to the same columns.
 */
export function writtenColumns(rows: InsertRow[]): { columns: number[]; rows: InsertRow[] } {
  const columns: number[] = [];
  for (let c = 0; c < WIDTH; c++) {
    if (c < OPTIONAL_FIRST || c >= OPTIONAL_END || rows.some((row) => row[c] !== null)) {
      columns.push(c);
    }
  }
  if (columns.length === WIDTH) return { columns, rows };
  return { columns, rows: rows.map((row) => columns.map((c) => row[c]!)) };
}

/** `(7,?,...,?,12),...`: each row's campaign and list inline, its other values bound. */
function sqliteValues(rows: InsertRow[]): string {
  const inline = (value: string | number | null | undefined): string => {
    if (value === null || value === undefined) return 'NULL';
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw new Error(`an import row's campaign or list is not an id: ${String(value)}`);
    }
    return String(value);
  };
  const width = rows[0]?.length ?? WIDTH;
  const bound = new Array<string>(width - 2).fill('?').join(',');
  return rows.map((row) => `(${inline(row[0])},${bound},${inline(row[width - 1])})`).join(',');
}

/**
 * Writes an import's batches: drops the numbers on the do-not-call list, then one multi-row
 * INSERT that skips phones already in the campaign (the unique index on (campaign_id,
 * phone) decides, also between two imports at once) or, in update mode, updates them, with
 * the import's progress in the same transaction.
 */
@Injectable()
export class ContactBatchWriter {
  constructor(
    private readonly dataSource: DataSource,
    private readonly doNotCall: DoNotCallService,
  ) {}

  /**
   * Readies a batch while the previous one is written: asks which phones are on the
   * do-not-call list (on another connection), drops them and builds the INSERT.
   */
  async prepare(batch: PendingBatch, update: boolean): Promise<PreparedInsert> {
    let rows = batch.rows;
    // Every row of an import is its campaign's (column 0): the list's rule for that campaign.
    const blocked =
      rows.length > 0
        ? await this.doNotCall.isBlocked(batch.phones, rows[0]![0] as number)
        : new Set();
    if (blocked.size > 0) rows = rows.filter((row) => !blocked.has(row[PHONE]));
    const rowCount = rows.length;
    const blockedCount = batch.rows.length - rowCount;
    if (rowCount === 0) {
      return { rowCount, blockedCount, sql: null, params: [], phones: null, campaignId: 0 };
    }
    const campaignId = rows[0]![0] as number;
    const phones = update ? [...new Set(rows.map((row) => row[PHONE] as string))] : null;
    const written = writtenColumns(rows);
    rows = written.rows;
    const [head, tail] = update
      ? [this.upsertHead(written.columns), this.upsertTail(written.columns)]
      : [this.insertHead(written.columns), ''];
    // MySQL: the statement is escaped here, off the path between two INSERTs, with one
    // placeholder for all the rows (as mysql2 would, just before sending); SQLite binds.
    return isMysqlSource(this.dataSource)
      ? {
          rowCount,
          blockedCount,
          sql: formatSql(`${head}?${tail}`, [rows]),
          params: [],
          phones,
          campaignId,
        }
      : {
          rowCount,
          blockedCount,
          // SQLite binds at most 32,766 values a statement: the campaign and the list, the
          // same integers on every row of a file, are written into it instead.
          sql: `${head}${sqliteValues(rows)}${tail}`,
          params: rows.flatMap((row) => row.slice(1, -1)),
          phones,
          campaignId,
        };
  }

  /**
   * INSERT IGNORE of the rows, then the progress UPDATE, committed together. Two imports of
   * overlapping files can deadlock on the unique index: the transaction was rolled back
   * whole, so it is simply tried again.
   */
  async write(
    statement: PreparedInsert,
    progress: (inserted: number) => number[],
  ): Promise<number> {
    return retriedTransaction(
      this.dataSource,
      async (em) => {
        let inserted = 0;
        if (statement.sql !== null && statement.phones) {
          // Which phones are new is asked first: the upsert's own count mixes the two.
          inserted = statement.phones.length - (await this.existing(em, statement));
          await em.queryRunner!.query(statement.sql, statement.params);
        } else if (statement.sql !== null) {
          const result = (await em.queryRunner!.query(statement.sql, statement.params, true)) as {
            affected?: number;
          };
          inserted = result.affected ?? 0;
        }
        await em.query(this.progressSql, progress(inserted));
        return inserted;
      },
      { attempts: LOCK_RETRIES, pauseMs: 40 },
    );
  }

  /** How many of the batch's phones the campaign has already (locked until the commit). */
  private async existing(em: EntityManager, statement: PreparedInsert): Promise<number> {
    const phones = statement.phones!;
    const campaignId = statement.campaignId;
    const rows = await em.query<Array<{ n: number | string }>>(
      `SELECT COUNT(*) AS n FROM ${this.q('contacts')} WHERE ${this.q('campaign_id')} = ? ` +
        `AND ${this.q('phone')} IN (${listPlaceholders(phones.length)})` +
        (isMysqlSource(this.dataSource) ? ' FOR UPDATE' : ''),
      [campaignId, ...phones],
    );
    return Number(rows[0]?.n ?? 0);
  }

  private q(name: string): string {
    return this.dataSource.driver.escape(name);
  }

  /**
   * The upsert of update mode: a contact whose phone is in the campaign gets the file's
   * data (names, e-mail, address, numbers, custom fields, consent); a value the file leaves
   * empty keeps the contact's. Its place in the queue, tags and history stay.
   */
  private upsertHead(columns: number[]): string {
    return `INSERT INTO ${this.q('contacts')} (${this.columnList(columns)}) VALUES `;
  }

  /** A column the batch leaves out would be COALESCE(NULL, itself): it is not set at all. */
  private upsertTail(columns: number[]): string {
    const mysql = isMysqlSource(this.dataSource);
    const incoming = (c: string) => (mysql ? `VALUES(${this.q(c)})` : `excluded.${this.q(c)}`);
    const written = new Set(columns.map((c) => INSERT_COLUMNS[c]));
    const set = UPDATED_COLUMNS.filter((c) => written.has(c))
      .map((c) =>
        REQUIRED_UPDATES.includes(c)
          ? `${this.q(c)} = ${incoming(c)}`
          : `${this.q(c)} = COALESCE(${incoming(c)}, ${this.q(c)})`,
      )
      .join(', ');
    return mysql
      ? ` ON DUPLICATE KEY UPDATE ${set}`
      : ` ON CONFLICT(${this.q('campaign_id')}, ${this.q('phone')}) DO UPDATE SET ${set}`;
  }

  private insertHead(columns: number[]): string {
    return `${insertIgnore(this.dataSource)} ${this.q('contacts')} (${this.columnList(columns)}) VALUES `;
  }

  private columnList(columns: number[]): string {
    return columns.map((c) => this.q(INSERT_COLUMNS[c]!)).join(',');
  }

  private get progressSql(): string {
    const q = (name: string) => this.dataSource.driver.escape(name);
    const set = [
      'processed',
      'imported',
      'updated',
      'skipped',
      'skipped_duplicates',
      'skipped_do_not_call',
      'error_count',
    ]
      .map((column) => `${q(column)} = ?`)
      .join(', ');
    return `UPDATE ${q('contact_imports')} SET ${set} WHERE ${q('id')} = ?`;
  }
}
