import type { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryRunner, Repository } from 'typeorm';
import { ConflictError, NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { isUniqueViolation } from '../common/errors/unique-violation';
import {
  basicProblemMessage,
  invalidPhone,
  quoted,
  required,
  tooLong,
} from '../common/csv/field-problem';
import { HeaderError, headerName, readHeader } from '../common/csv/csv-header';
import { type CsvEncoding, CsvFileError, CsvReader } from '../common/csv/csv-reader';
import { ImportRefusedError } from '../common/csv/import-refused.error';
import { PhoneNumbers } from '../common/phone/phone-number';
import {
  escapeLike,
  insertIgnore,
  LIKE_ESCAPE,
  listPlaceholders,
  valuePlaceholders,
} from '../common/database/sql-dialect';
import { DoNotCallNumber } from './do-not-call-number.entity';
import {
  AddDoNotCallDto,
  DoNotCallImportSummary,
  DoNotCallView,
  publicImportSummary,
} from './dto/do-not-call.dto';

const BATCH_ROWS = 1000;
const MAX_STORED_ERRORS = 1000;
const REASON_MAX = 200;

function toView(entry: DoNotCallNumber): DoNotCallView {
  return {
    phone: entry.phone,
    reason: entry.reason,
    addedBy: entry.addedBy,
    createdAt: entry.createdAt.toISOString(),
  };
}

/** The Italian (and other English) names of the list's two columns. */
const DO_NOT_CALL_HEADER_ALIASES: ReadonlyMap<string, string> = new Map(
  [
    ['telefono', 'phone'],
    ['tel', 'phone'],
    ['numero', 'phone'],
    ['cellulare', 'phone'],
    ['phonenumber', 'phone'],
    ['motivo', 'reason'],
    ['note', 'reason'],
    ['causale', 'reason'],
  ].map(([alias, column]) => [headerName(alias!), column!] as [string, string]),
);

/**
 * The global do-not-call list, by phone number (E.164). Imports skip these numbers and
 * dispatch must ask `isBlocked` before offering a contact.
 */
@Injectable()
export class DoNotCallService {
  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(DoNotCallNumber) private readonly numbers: Repository<DoNotCallNumber>,
    private readonly phones: PhoneNumbers,
  ) {}

  /**
   * Adds a number. Idempotent: a number already listed is returned as it is (created:
   * false), so a web site or PBX can report opt-outs without first asking.
   */
  async add(
    dto: AddDoNotCallDto,
    userId: number | null,
  ): Promise<{ entry: DoNotCallView; created: boolean }> {
    const phone = this.normalise(dto.phone);
    try {
      // The primary key (phone) decides between two people adding the same number at once.
      await this.numbers.insert({ phone, reason: dto.reason || null, addedBy: userId });
      return { entry: toView(await this.numbers.findOneByOrFail({ phone })), created: true };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return { entry: toView(await this.numbers.findOneByOrFail({ phone })), created: false };
    }
  }

  /**
   * Lists a number (E.164) inside the caller's transaction, as a do-not-call outcome does:
   * a number already listed keeps its first reason, and nothing waits on a duplicate key.
   */
  async addWithin(
    em: EntityManager,
    phone: string,
    reason: string,
    userId: number | null,
  ): Promise<void> {
    const table = em.connection.driver.escape('do_not_call_numbers');
    await em.query(
      `${insertIgnore(em.connection)} ${table} (phone, reason, added_by) VALUES (?, ?, ?)`,
      [phone, reason.slice(0, REASON_MAX), userId],
    );
  }

  /** The newest numbers, or those matching `q` (a whole number or its first digits). */
  async list(q?: string, limit = 100): Promise<DoNotCallView[]> {
    const query = this.numbers.createQueryBuilder('n').orderBy('n.createdAt', 'DESC').take(limit);
    const text = q?.trim() ?? '';
    if (text !== '') {
      const search = this.phones.searchFor(text);
      if (!search) throw new ValidationError('q', `${quoted(text)} is not a phone number`);
      if ('exact' in search) query.where('n.phone = :phone', { phone: search.exact });
      else
        query.where(`n.phone LIKE :prefix ${LIKE_ESCAPE}`, {
          prefix: `${escapeLike(search.prefix)}%`,
        });
      query.orderBy('n.phone', 'ASC');
    }
    return (await query.getMany()).map(toView);
  }

  count(): Promise<number> {
    return this.numbers.count();
  }

  async remove(rawPhone: string): Promise<void> {
    const phone = this.normalise(rawPhone);
    // Removed as a row, so the audit trail says which number left the list.
    const entry = await this.numbers.findOneBy({ phone });
    if (!entry) throw new NotFoundError('do-not-call number', phone);
    await this.numbers.remove(entry);
  }

  /**
   * The numbers among `phones` (E.164) that are on the list: one query per thousand.
   * `runner` lets an import ask on its own connection.
   */
  async isBlocked(phones: readonly string[], runner?: QueryRunner): Promise<Set<string>> {
    const blocked = new Set<string>();
    const table = this.dataSource.driver.escape('do_not_call_numbers');
    for (let start = 0; start < phones.length; start += BATCH_ROWS) {
      const chunk = phones.slice(start, start + BATCH_ROWS);
      const rows = (await (runner ?? this.dataSource).query(
        `SELECT phone FROM ${table} WHERE phone IN (${listPlaceholders(chunk.length)})`,
        chunk,
      )) as Array<{ phone: string }>;
      for (const row of rows) blocked.add(row.phone);
    }
    return blocked;
  }

  /**
   * A number about to be called (E.164): 409 naming `field` when it is on the list, which
   * is never called (invariant 8), whichever of the contact's numbers it is.
   */
  async refuseListed(phone: string, field: string, runner?: QueryRunner): Promise<void> {
    if ((await this.isBlocked([phone], runner)).size === 0) return;
    throw new ConflictError(
      `${field}: ${phone} is on the do-not-call list; it may not be called`,
      field,
    ).say('contacts.errors.doNotCall', { phone });
  }

  /**
   * Imports a CSV with a `phone` column (and optionally `reason`), streamed, in batches.
   * Numbers already listed are skipped; a broken file stops at its line, keeping the
   * batches already written (the summary says which lines).
   */
  async importNumbers(
    source: Readable,
    userId: number | null,
    encoding?: CsvEncoding,
  ): Promise<DoNotCallImportSummary> {
    const summary: DoNotCallImportSummary = {
      importId: null,
      processed: 0,
      imported: 0,
      skipped: 0,
      skippedDuplicates: 0,
      skippedDoNotCall: 0,
      errorCount: 0,
      errors: [],
      failure: null,
    };
    let through = 1;
    const reader = new CsvReader(encoding);
    let columns: { phone: number; reason: number } | null = null;
    let pending: { params: Array<string | number | null>; lines: number; errors: number } = {
      params: [],
      lines: 0,
      errors: 0,
    };
    let pendingErrors: DoNotCallImportSummary['errors'] = [];
    let lastLine = 1;
    const commit = async () => {
      const rows = pending.params.length / 3;
      const written = rows > 0 ? await this.insertNumbers(rows, pending.params) : 0;
      summary.processed += pending.lines;
      summary.imported += written;
      summary.skippedDuplicates += rows - written;
      summary.errorCount += pending.errors;
      for (const error of pendingErrors)
        if (summary.errors.length < MAX_STORED_ERRORS) summary.errors.push(error);
      summary.skipped = summary.skippedDuplicates + summary.errorCount;
      through = lastLine;
      pending = { params: [], lines: 0, errors: 0 };
      pendingErrors = [];
    };
    try {
      for await (const records of reader.records(source)) {
        for (const { line, values } of records) {
          if (columns === null) {
            const header = readHeader(values, {
              known: ['phone', 'reason'] as const,
              required: ['phone'] as const,
              maxCustom: 0,
              maxCustomKey: 0,
              aliases: DO_NOT_CALL_HEADER_ALIASES,
            });
            columns = header.index;
            through = line;
            continue;
          }
          if (values.every((value) => value.trim() === '')) continue;
          lastLine = line;
          pending.lines++;
          const raw = (values[columns.phone] ?? '').trim();
          const reason = columns.reason >= 0 ? (values[columns.reason] ?? '').trim() : '';
          const phone = raw === '' ? null : this.phones.normalise(raw);
          const problem =
            raw === ''
              ? required('phone')
              : phone === null
                ? invalidPhone(raw)
                : reason.length > REASON_MAX
                  ? tooLong('reason', REASON_MAX)
                  : null;
          if (problem || phone === null) {
            pending.errors++;
            if (pendingErrors.length < MAX_STORED_ERRORS)
              pendingErrors.push({
                line,
                field: problem!.field,
                message: basicProblemMessage(problem!),
                problems: [problem!],
              });
          } else {
            pending.params.push(phone, reason === '' ? null : reason, userId);
          }
          if (pending.lines >= BATCH_ROWS) await commit();
        }
      }
      if (columns === null) {
        throw new HeaderError(
          'empty',
          'the file is empty; its first line must name the columns, e.g. phone,reason',
        );
      }
      if (pending.lines > 0) await commit();
      return summary;
    } catch (error) {
      if (error instanceof HeaderError) {
        summary.failure = {
          code: error.code,
          field: 'header',
          line: 1,
          message: error.message,
          through,
        };
        throw new ImportRefusedError(
          'header',
          error.message,
          summary,
          publicImportSummary(summary),
        );
      }
      if (error instanceof CsvFileError) {
        const kept =
          summary.processed > 0
            ? `; lines 2-${through} were imported, nothing after line ${through}`
            : '; nothing was imported';
        const message = `${error.message}${kept}`;
        summary.failure = {
          code: error.code,
          field: error.field,
          line: error.line,
          message,
          through,
        };
        throw new ImportRefusedError(error.field, message, summary, publicImportSummary(summary));
      }
      throw error;
    }
  }

  private async insertNumbers(
    rows: number,
    params: Array<string | number | null>,
  ): Promise<number> {
    const driver = this.dataSource.driver;
    const sql =
      `${insertIgnore(this.dataSource)} ${driver.escape('do_not_call_numbers')} ` +
      `(${['phone', 'reason', 'added_by'].map((c) => driver.escape(c)).join(',')}) ` +
      `VALUES ${valuePlaceholders(rows, 3)}`;
    // The primary key skips numbers already listed, also those another import is adding.
    return this.dataSource.transaction(async (em) => {
      const result = (await em.queryRunner!.query(sql, params, true)) as { affected?: number };
      return result.affected ?? 0;
    });
  }

  private normalise(raw: string): string {
    const phone = this.phones.normalise(raw);
    if (!phone) throw new ValidationError('phone', `${quoted(raw)} is not a valid phone number`);
    return phone;
  }
}
