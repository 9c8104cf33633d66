import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Injectable, Logger } from '@nestjs/common';
import { format as formatSql } from 'mysql2';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { Campaign } from '../campaigns/campaign.entity';
import { ConflictError, NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { isUniqueViolation } from '../common/errors/unique-violation';
import { DoNotCallService } from '../do-not-call/do-not-call.service';
import { ContactImport } from './contact-import.entity';
import { REQUIRED_COLUMNS, StandardColumn } from './contact-rules';
import {
  ContactRowReader,
  type ContactRowDefaults,
  MAX_STORED_ERRORS,
  PendingBatch,
} from './contact-row-reader';
import { HeaderError } from '../common/csv/csv-header';
import { readContactHeader } from './contact-header';
import { type CsvEncoding, CsvFileError, CsvReader } from '../common/csv/csv-reader';
import { ImportRefusedError } from '../common/csv/import-refused.error';
import {
  ImportFailure,
  ImportSummary,
  StoredLineError,
  toImportSummary,
} from './dto/import-summary.view';
import { PhoneNumbers } from '../common/phone/phone-number';
import { insertIgnore, isMysqlSource, valuePlaceholders } from '../common/database/sql-dialect';
import { retriedTransaction } from '../common/database/retried-transaction';

/** Rows per multi-row INSERT: big enough to amortise the round trip, small enough to stay flat. */
export const IMPORT_BATCH_ROWS = 2000;
/** ...within what the errors column holds (TEXT: 64 KB on MySQL), leaving room for the failure. */
const MAX_ERRORS_BYTES = 60_000;
const IMPORT_KEY_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;
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
] as const;
const WIDTH = INSERT_COLUMNS.length;
const PHONE = INSERT_COLUMNS.indexOf('phone');
const LOCK_RETRIES = 6;
/** Rows read between two chances for the database's answers to be handled. */
const YIELD_EVERY_ROWS = 250;

export interface ImportOptions {
  /** Chosen by the page so it can poll progress while the file uploads; generated otherwise. */
  key?: unknown;
  userId: number | null;
  fileName?: string | null;
  /** Columns the header must name (firstName, lastName, phone unless said otherwise). */
  requiredColumns?: readonly StandardColumn[];
  /** Values for rows that leave them empty (an outage list: its call reason and tag). */
  defaults?: ContactRowDefaults;
  /** The encoding the upload declared; found from the bytes when not. */
  encoding?: CsvEncoding;
}

/** The counts of an import so far: only lines whose batch was committed are counted. */
class ImportTally {
  processed = 0;
  imported = 0;
  skippedDuplicates = 0;
  skippedDoNotCall = 0;
  errorCount = 0;
  errors: StoredLineError[] = [];
  errorBytes = 0;
  /** The last line of the file whose outcome is counted (the header until a batch commits). */
  lastLine = 1;
}

/** A batch ready to write: its INSERT (null when nothing is left to insert) and counts. */
interface PreparedInsert {
  rowCount: number;
  blockedCount: number;
  sql: string | null;
  params: Array<string | number | null>;
}

/**
 * The CSV import of a campaign's contacts. The file streams through the CSV reader and is
 * written in multi-row INSERTs that skip phones already in the campaign (the unique index
 * on (campaign_id, phone) decides, also between two imports running at once), while the
 * next batch is being read. Memory holds two batches whatever the size of the file.
 */
@Injectable()
export class ContactImportService {
  private readonly logger = new Logger(ContactImportService.name);

  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(ContactImport) private readonly imports: Repository<ContactImport>,
    @InjectRepository(Campaign) private readonly campaigns: Repository<Campaign>,
    private readonly doNotCall: DoNotCallService,
    private readonly phones: PhoneNumbers,
  ) {}

  /**
   * Imports `source` into the campaign. A broken file throws ImportRefusedError (400) whose
   * summary says what was committed before the broken line; a small file (one batch) that is
   * broken imports nothing.
   */
  async importContacts(
    campaignId: number,
    source: Readable,
    options: ImportOptions,
  ): Promise<ImportSummary> {
    const key = this.importKey(options.key);
    if (!(await this.campaigns.existsBy({ id: campaignId }))) {
      throw new NotFoundError('campaign', campaignId);
    }
    const record = await this.start(campaignId, key, options);
    const tally = new ImportTally();
    try {
      await this.readInto(record, tally, source, options);
    } catch (error) {
      const failure = this.failureOf(error, tally);
      await this.finish(record, tally, failure).catch((finishError: unknown) =>
        this.logger.error({ err: finishError }, 'could not record the end of an import'),
      );
      if (failure.code === 'internal') throw error;
      throw new ImportRefusedError(failure.field, failure.message, toImportSummary(record));
    }
    await this.finish(record, tally, null);
    return toImportSummary(record);
  }

  async progress(key: string): Promise<ImportSummary> {
    const record = IMPORT_KEY_PATTERN.test(key)
      ? await this.imports.findOneBy({ importKey: key })
      : null;
    if (!record) throw new NotFoundError(`contact import "${key.slice(0, 64)}"`);
    return toImportSummary(record);
  }

  /** The stored import of a campaign (with its error lines' broken rules, for the page). */
  async storedImport(campaignId: number, key: string): Promise<ContactImport> {
    const record = IMPORT_KEY_PATTERN.test(key)
      ? await this.imports.findOneBy({ importKey: key, campaignId })
      : null;
    if (!record) throw new NotFoundError(`contact import "${key.slice(0, 64)}"`);
    return record;
  }

  async recentForCampaign(campaignId: number, limit = 5): Promise<ImportSummary[]> {
    const records = await this.imports.find({
      where: { campaignId },
      order: { id: 'DESC' },
      take: limit,
    });
    return records.map(toImportSummary);
  }

  private importKey(raw: unknown): string {
    if (raw === undefined || raw === '') return randomBytes(12).toString('base64url');
    if (typeof raw !== 'string' || !IMPORT_KEY_PATTERN.test(raw)) {
      throw new ValidationError('key', 'key must be 8-64 letters, digits, "-" or "_"');
    }
    return raw;
  }

  private async start(
    campaignId: number,
    key: string,
    options: ImportOptions,
  ): Promise<ContactImport> {
    try {
      // The unique index on import_key decides between two uploads that chose the same key.
      return await this.imports.save(
        this.imports.create({
          importKey: key,
          campaignId,
          userId: options.userId,
          fileName: options.fileName ?? null,
          state: 'running',
          errors: [],
          failure: null,
          finishedAt: null,
        }),
      );
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError(`key "${key}" is already used by another import`, 'key');
      }
      throw error;
    }
  }

  private async readInto(
    record: ContactImport,
    tally: ImportTally,
    source: Readable,
    options: ImportOptions,
  ): Promise<void> {
    const reader = new CsvReader(options.encoding);
    let rows: ContactRowReader | null = null;
    let batch = new PendingBatch();
    // One batch is written while the next is read: the database and the parser overlap.
    const inFlight: { write: Promise<void> | null } = { write: null };
    const commit = async (full: PendingBatch): Promise<void> => {
      const prepared = this.prepare(full);
      prepared.catch(() => undefined);
      if (inFlight.write) await inFlight.write;
      const write = prepared.then((statement) => this.commit(record, tally, full, statement));
      write.catch(() => undefined); // awaited before the next one; never left unhandled
      inFlight.write = write;
    };
    let sinceYield = 0;
    try {
      for await (const records of reader.records(source)) {
        for (const { line, values } of records) {
          if (rows === null) {
            rows = new ContactRowReader(
              readContactHeader(values, options.requiredColumns ?? REQUIRED_COLUMNS),
              record.campaignId,
              this.phones,
              options.requiredColumns ?? REQUIRED_COLUMNS,
              options.defaults ?? {},
            );
            tally.lastLine = line;
            continue;
          }
          if (rows.isBlank(values)) continue;
          rows.add(line, values, batch);
          if (batch.records >= IMPORT_BATCH_ROWS) {
            await commit(batch);
            batch = new PendingBatch();
          }
          // Let the database's answers in now and then, so the next INSERT leaves at once.
          if (++sinceYield >= YIELD_EVERY_ROWS) {
            sinceYield = 0;
            if (inFlight.write) await yieldToEventLoop();
          }
        }
      }
      if (rows === null) {
        throw new HeaderError(
          'empty',
          'the file is empty; its first line must name the columns, e.g. firstName,lastName,phone',
        );
      }
      if (batch.records > 0) await commit(batch);
    } finally {
      // Whatever stopped the reading, the batch being written is counted (or its error thrown).
      if (inFlight.write) await inFlight.write;
    }
  }

  /**
   * Readies a batch while the previous one is written: asks which phones are on the
   * do-not-call list (on another connection), drops them and builds the INSERT.
   */
  private async prepare(batch: PendingBatch): Promise<PreparedInsert> {
    let rows = batch.rows;
    const blocked = rows.length > 0 ? await this.doNotCall.isBlocked(batch.phones) : new Set();
    if (blocked.size > 0) rows = rows.filter((row) => !blocked.has(row[PHONE]));
    const rowCount = rows.length;
    const blockedCount = batch.rows.length - rowCount;
    if (rowCount === 0) return { rowCount, blockedCount, sql: null, params: [] };
    // MySQL: the statement is escaped here, off the path between two INSERTs, with one
    // placeholder for all the rows (as mysql2 would, just before sending); SQLite binds.
    return isMysqlSource(this.dataSource)
      ? { rowCount, blockedCount, sql: formatSql(`${this.insertSql}?`, [rows]), params: [] }
      : {
          rowCount,
          blockedCount,
          sql: `${this.insertSql}${valuePlaceholders(rowCount, WIDTH)}`,
          params: rows.flat(),
        };
  }

  /**
   * Writes one batch and its progress in one transaction: the counts the page polls are
   * always those of committed rows.
   */
  private async commit(
    record: ContactImport,
    tally: ImportTally,
    batch: PendingBatch,
    statement: PreparedInsert,
  ): Promise<void> {
    const { rowCount, blockedCount } = statement;
    const written = await this.writeBatch(statement, (inserted) => {
      const counts = countsOf({
        processed: tally.processed + batch.records,
        imported: tally.imported + inserted,
        skippedDuplicates: tally.skippedDuplicates + rowCount - inserted,
        skippedDoNotCall: tally.skippedDoNotCall + blockedCount,
        errorCount: tally.errorCount + batch.errorCount,
      });
      return [
        counts.processed,
        counts.imported,
        counts.skipped,
        counts.skippedDuplicates,
        counts.skippedDoNotCall,
        counts.errorCount,
        record.id,
      ];
    });
    tally.processed += batch.records;
    tally.imported += written;
    tally.skippedDuplicates += rowCount - written;
    tally.skippedDoNotCall += blockedCount;
    tally.errorCount += batch.errorCount;
    for (const error of batch.errors) {
      const size = Buffer.byteLength(JSON.stringify(error));
      if (tally.errors.length >= MAX_STORED_ERRORS || tally.errorBytes + size > MAX_ERRORS_BYTES)
        break;
      tally.errors.push(error);
      tally.errorBytes += size;
    }
    tally.lastLine = batch.lastLine;
  }

  /**
   * INSERT IGNORE of the rows, then the progress UPDATE, committed together. Two imports of
   * overlapping files can deadlock on the unique index: the transaction was rolled back
   * whole, so it is simply tried again.
   */
  private async writeBatch(
    statement: PreparedInsert,
    progress: (inserted: number) => number[],
  ): Promise<number> {
    return retriedTransaction(
      this.dataSource,
      async (em) => {
        let inserted = 0;
        if (statement.sql !== null) {
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

  private get insertSql(): string {
    const driver = this.dataSource.driver;
    return (
      `${insertIgnore(this.dataSource)} ${driver.escape('contacts')} ` +
      `(${INSERT_COLUMNS.map((c) => driver.escape(c)).join(',')}) VALUES `
    );
  }

  private get progressSql(): string {
    const q = (name: string) => this.dataSource.driver.escape(name);
    const set = [
      'processed',
      'imported',
      'skipped',
      'skipped_duplicates',
      'skipped_do_not_call',
      'error_count',
    ]
      .map((column) => `${q(column)} = ?`)
      .join(', ');
    return `UPDATE ${q('contact_imports')} SET ${set} WHERE ${q('id')} = ?`;
  }

  private failureOf(error: unknown, tally: ImportTally): ImportFailure {
    const through = tally.lastLine;
    if (error instanceof HeaderError) {
      return {
        code: error.code,
        field: 'header',
        line: 1,
        message: error.message,
        args: error.args,
        through,
      };
    }
    if (error instanceof CsvFileError) {
      const kept =
        tally.processed > 0
          ? `; lines 2-${through} were imported, nothing after line ${through}`
          : '; nothing was imported';
      return {
        code: error.code,
        field: error.field,
        line: error.line,
        message: `${error.message}${kept}`,
        args: {},
        through,
      };
    }
    return {
      code: 'internal',
      field: 'file',
      line: through + 1,
      message: 'the import stopped because of a server error',
      args: {},
      through,
    };
  }

  private async finish(
    record: ContactImport,
    tally: ImportTally,
    failure: ImportFailure | null,
  ): Promise<void> {
    Object.assign(record, countsOf(tally), {
      state: failure ? 'failed' : 'done',
      errors: failure ? [...tally.errors, { ...failure, failure: true }] : tally.errors,
      failure: failure ? failure.message.slice(0, 500) : null,
      // The column keeps whole seconds: so does the summary answered now.
      finishedAt: new Date(Math.floor(Date.now() / 1000) * 1000),
    });
    await this.imports.save(record);
  }
}

function countsOf(
  tally: Pick<
    ImportTally,
    'processed' | 'imported' | 'skippedDuplicates' | 'skippedDoNotCall' | 'errorCount'
  >,
) {
  return {
    processed: tally.processed,
    imported: tally.imported,
    skipped: tally.skippedDuplicates + tally.skippedDoNotCall + tally.errorCount,
    skippedDuplicates: tally.skippedDuplicates,
    skippedDoNotCall: tally.skippedDoNotCall,
    errorCount: tally.errorCount,
  };
}
