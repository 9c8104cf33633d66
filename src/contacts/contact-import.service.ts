import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Campaign } from '../campaigns/campaign.entity';
import { ConflictError, NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { isUniqueViolation } from '../common/errors/unique-violation';
import { ContactImport } from './contact-import.entity';
import { ContactList } from './contact-list.entity';
import { REQUIRED_COLUMNS, StandardColumn } from './contact-rules';
import {
  ContactRowReader,
  type ContactRowDefaults,
  MAX_STORED_ERRORS,
  PendingBatch,
} from './contact-row-reader';
import { HeaderError } from '../common/csv/csv-header';
import { readContactHeader } from './contact-header';
import type { MappedColumn } from './contact-import-mapping.entity';
import type { ContactImportQueryDto, OnDuplicate } from './dto/import-options.dto';
import type { CsvUpload } from '../common/csv/csv-upload';
import { type ImportPreview, ImportMappings } from './import-mappings';
import { ContactBatchWriter, type PreparedInsert } from './contact-batch-writer';
import { type CsvEncoding, CsvFileError, CsvReader } from '../common/csv/csv-reader';
import { ImportRefusedError } from '../common/csv/import-refused.error';
import {
  ImportFailure,
  ImportSummary,
  StoredLineError,
  toImportSummary,
} from './dto/import-summary.view';
import { PhoneNumbers } from '../common/phone/phone-number';

/** Rows per multi-row INSERT: big enough to amortise the round trip, small enough to stay flat. */
export const IMPORT_BATCH_ROWS = 2000;
/** ...within what the errors column holds (TEXT: 64 KB on MySQL), leaving room for the failure. */
const MAX_ERRORS_BYTES = 60_000;
const IMPORT_KEY_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;
/**
 * Rows read between two chances for the database's answers to be handled (well under a
 * millisecond of work): each batch waits for four answers (begin, INSERT, progress, commit),
 * and each one waited on average half of the reading done in between.
 */
const YIELD_EVERY_ROWS = 50;

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
  /** What the columns become (a coordinator's choice, or the campaign's saved mapping). */
  mapping?: MappedColumn[];
  /** A phone already in the campaign: skip the line (default) or update that contact. */
  onDuplicate?: OnDuplicate;
  /** Once the file is imported, `mapping` becomes the campaign's saved one. */
  saveMapping?: boolean;
  /** The list's name (default: the file's name, else the day of the import). */
  listName?: string;
}

/** The counts of an import so far: only lines whose batch was committed are counted. */
class ImportTally {
  processed = 0;
  imported = 0;
  updated = 0;
  skippedDuplicates = 0;
  skippedDoNotCall = 0;
  errorCount = 0;
  errors: StoredLineError[] = [];
  errorBytes = 0;
  /** The last line of the file whose outcome is counted (the header until a batch commits). */
  lastLine = 1;
}

/**
 * The CSV import of a campaign's contacts. The file streams through the CSV reader, its
 * header read by name, alias or the coordinator's mapping, and each batch is written by
 * ContactBatchWriter while the next one is read. Memory holds two batches whatever the
 * size of the file.
 */
@Injectable()
export class ContactImportService {
  private readonly logger = new Logger(ContactImportService.name);

  constructor(
    @InjectRepository(ContactImport) private readonly imports: Repository<ContactImport>,
    @InjectRepository(Campaign) private readonly campaigns: Repository<Campaign>,
    private readonly phones: PhoneNumbers,
    private readonly mappings: ImportMappings,
    private readonly writer: ContactBatchWriter,
  ) {}

  /**
   * An uploaded file with its choices (the query's, or the form's fields sent before the
   * file): imports it, and lets the rest of the request go whatever happens.
   */
  async importUpload(
    campaignId: number,
    upload: CsvUpload,
    query: ContactImportQueryDto,
    userId: number,
  ): Promise<ImportSummary> {
    try {
      const { key, ...choices } = await this.mappings.choices(campaignId, query, upload.fields);
      return await this.importContacts(campaignId, upload.stream, {
        ...choices,
        key,
        userId,
        fileName: upload.fileName,
        encoding: upload.encoding,
      });
    } finally {
      upload.drain();
    }
  }

  /** A file's first lines and what each column would become (400 for a file that is none). */
  async preview(campaignId: number, upload: CsvUpload): Promise<ImportPreview> {
    try {
      if (!(await this.campaigns.existsBy({ id: campaignId }))) {
        throw new NotFoundError('campaign', campaignId);
      }
      return await this.mappings.preview(campaignId, upload.stream, upload.encoding);
    } catch (error) {
      if (error instanceof CsvFileError) throw new ValidationError(error.field, error.message);
      throw error;
    } finally {
      upload.drain();
    }
  }

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
    if (options.saveMapping && options.mapping && options.mapping.length > 0) {
      await this.mappings.save(campaignId, options.mapping, options.userId);
    }
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
      // The import and its list, together; the unique index on import_key decides between
      // two uploads that chose the same key.
      return await this.imports.manager.transaction(async (em) => {
        const list = await em.save(
          em.create(ContactList, {
            campaignId,
            name: (options.listName ?? options.fileName ?? `Import ${key}`).slice(0, 200),
            sourceFile: options.fileName ?? null,
            createdBy: options.userId,
            active: true,
          }),
        );
        return em.save(
          em.create(ContactImport, {
            importKey: key,
            campaignId,
            listId: list.id,
            userId: options.userId,
            fileName: options.fileName ?? null,
            state: 'running',
            errors: [],
            failure: null,
            finishedAt: null,
          }),
        );
      });
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
    const update = options.onDuplicate === 'update';
    const commit = async (full: PendingBatch): Promise<void> => {
      const prepared = this.writer.prepare(full, update);
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
              readContactHeader(
                values,
                options.requiredColumns ?? REQUIRED_COLUMNS,
                options.mapping,
              ),
              record.campaignId,
              this.phones,
              options.requiredColumns ?? REQUIRED_COLUMNS,
              { ...options.defaults, listId: record.listId },
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
    // Update mode: every row not new updated a contact; else every row not new was skipped.
    const updatedOf = (inserted: number) => (statement.phones ? rowCount - inserted : 0);
    const written = await this.writer.write(statement, (inserted) => {
      const counts = countsOf({
        processed: tally.processed + batch.records,
        imported: tally.imported + inserted,
        updated: tally.updated + updatedOf(inserted),
        skippedDuplicates: tally.skippedDuplicates + rowCount - inserted - updatedOf(inserted),
        skippedDoNotCall: tally.skippedDoNotCall + blockedCount,
        errorCount: tally.errorCount + batch.errorCount,
      });
      return [
        counts.processed,
        counts.imported,
        counts.updated,
        counts.skipped,
        counts.skippedDuplicates,
        counts.skippedDoNotCall,
        counts.errorCount,
        record.id,
      ];
    });
    tally.processed += batch.records;
    tally.imported += written;
    tally.updated += updatedOf(written);
    tally.skippedDuplicates += rowCount - written - updatedOf(written);
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
    'processed' | 'imported' | 'updated' | 'skippedDuplicates' | 'skippedDoNotCall' | 'errorCount'
  >,
) {
  return {
    processed: tally.processed,
    imported: tally.imported,
    updated: tally.updated,
    skipped: tally.skippedDuplicates + tally.skippedDoNotCall + tally.errorCount,
    skippedDuplicates: tally.skippedDuplicates,
    skippedDoNotCall: tally.skippedDoNotCall,
    errorCount: tally.errorCount,
  };
}
