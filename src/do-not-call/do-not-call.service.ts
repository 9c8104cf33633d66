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
import { forUpdate } from '../common/database/row-lock';
import { PhoneNumbers } from '../common/phone/phone-number';
import { addDays, isCalendarDay } from '../common/time/calendar-day';
import { Clock } from '../common/time/clock';
import { instantInZone, toZonedLocal, zonedLocalToUtc } from '../common/time/local-time';
import {
  escapeLike,
  insertIgnore,
  LIKE_ESCAPE,
  listPlaceholders,
  valuePlaceholders,
} from '../common/database/sql-dialect';
import {
  DoNotCallNumber,
  type DoNotCallScope,
  type DoNotCallSource,
} from './do-not-call-number.entity';
import { blocksSql, expired, sqlInstant } from './do-not-call-rule';
import {
  AddDoNotCallDto,
  DoNotCallImportSummary,
  DoNotCallView,
  publicImportSummary,
  REGISTER_DATE_MESSAGE,
} from './dto/do-not-call.dto';

const BATCH_ROWS = 1000;
const MAX_STORED_ERRORS = 1000;
const REASON_MAX = 200;

/** The zone a day written without a time is read in (the list serves Italian call centres). */
export const DO_NOT_CALL_ZONE = 'Europe/Rome';

function toView(entry: DoNotCallNumber, now: Date): DoNotCallView {
  return {
    phone: entry.phone,
    reason: entry.reason,
    addedBy: entry.addedBy,
    source: entry.source,
    registerDate: entry.registerDate,
    scope: entry.scope,
    expiresAt: entry.expiresAt?.toISOString() ?? null,
    expired: expired(entry, now),
    createdAt: entry.createdAt.toISOString(),
  };
}

/** What an entry says besides its number and reason. */
interface EntryTerms {
  source: DoNotCallSource;
  scope: DoNotCallScope;
  registerDate: string | null;
  expiresAt: Date | null;
}

/**
 * Whether `next` blocks more than `current` does at `now`: `current` has expired, or `next`
 * covers at least its scope for at least as long, and more of one of them.
 */
function blocksMore(next: EntryTerms, current: DoNotCallNumber, now: Date): boolean {
  if (expired(current, now)) return true;
  const until = (at: Date | null) => at?.getTime() ?? Number.POSITIVE_INFINITY;
  const wider = next.scope === 'all' && current.scope === 'marketing';
  const narrower = next.scope === 'marketing' && current.scope === 'all';
  const longer = until(next.expiresAt) > until(current.expiresAt);
  const shorter = until(next.expiresAt) < until(current.expiresAt);
  return !narrower && !shorter && (wider || longer);
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
    private readonly clock: Clock,
  ) {}

  /**
   * Adds a number with its source, scope and expiry (every call, for good, a customer's,
   * unless told). Idempotent: a number already listed is returned as it is (created: false),
   * so a web site or PBX can report opt-outs without first asking; only an entry that
   * blocks more (a wider scope, a later or no expiry, or one that has expired) replaces it.
   */
  async add(
    dto: AddDoNotCallDto,
    userId: number | null,
  ): Promise<{ entry: DoNotCallView; created: boolean }> {
    const phone = this.normalise(dto.phone);
    const now = this.clock.now();
    const terms = this.termsOf(dto, now);
    const reason = dto.reason || null;
    try {
      // The primary key (phone) decides between two people adding the same number at once.
      await this.numbers.insert({ phone, reason, addedBy: userId, ...terms });
      return { entry: toView(await this.numbers.findOneByOrFail({ phone }), now), created: true };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    const entry = await this.dataSource.transaction(async (em) => {
      // The row's lock: of two widening it at once, the second compares with the first's.
      const current = await em.findOne(DoNotCallNumber, { where: { phone }, ...forUpdate(em) });
      if (!current) throw new NotFoundError('do-not-call number', phone);
      if (!blocksMore(terms, current, now)) return current;
      return em.save(Object.assign(current, { reason, addedBy: userId, ...terms }));
    });
    return { entry: toView(entry, now), created: false };
  }

  /**
   * Lists a number (E.164) inside the caller's transaction, as a do-not-call outcome (source
   * customer) and an erasure do: for every call, for good. A number already listed keeps
   * its entry, and nothing waits on a duplicate key.
   */
  async addWithin(
    em: EntityManager,
    phone: string,
    reason: string,
    userId: number | null,
    source: 'customer' | 'erasure' = 'customer',
  ): Promise<void> {
    const table = em.connection.driver.escape('do_not_call_numbers');
    await em.query(
      `${insertIgnore(em.connection)} ${table} (phone, reason, added_by, source, scope) VALUES (?, ?, ?, ?, 'all')`,
      [phone, reason.slice(0, REASON_MAX), userId, source],
    );
  }

  /** The source, scope, register date and expiry given, checked (400 naming the field). */
  private termsOf(dto: AddDoNotCallDto, now: Date): EntryTerms {
    const source = dto.source ?? 'customer';
    let registerDate: string | null = null;
    if (source === 'register') {
      if (dto.registerDate === undefined) {
        throw new ValidationError('registerDate', 'registerDate is required with source register');
      }
      registerDate = checkRegisterDate(dto.registerDate, now);
    } else if (dto.registerDate !== undefined) {
      throw new ValidationError('registerDate', 'registerDate is only for source register');
    }
    return {
      source,
      // The register opposes marketing calls; anyone else asked not to be called at all.
      scope: dto.scope ?? (source === 'register' ? 'marketing' : 'all'),
      registerDate,
      expiresAt: dto.expiresAt === undefined ? null : expiryOf(dto.expiresAt, now),
    };
  }

  /** The newest numbers, or those matching `q` (a whole number or its first digits), expired ones too. */
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
    const now = this.clock.now();
    return (await query.getMany()).map((entry) => toView(entry, now));
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
   * The numbers among `phones` (E.164) the campaign may not call now: listed, not expired,
   * with a scope that covers the campaign's purpose (do-not-call-rule.ts; a campaign not
   * found counts as marketing). One query per thousand; `runner` lets an import or a
   * transaction ask on its own connection.
   */
  async isBlocked(
    phones: readonly string[],
    campaignId: number,
    runner?: QueryRunner,
  ): Promise<Set<string>> {
    const blocked = new Set<string>();
    if (phones.length === 0) return blocked;
    const q = (name: string) => this.dataSource.driver.escape(name);
    const now = sqlInstant(this.dataSource, this.clock.now());
    const rule = blocksSql('d', null, '?', "COALESCE(cp.purpose, 'marketing')");
    for (let start = 0; start < phones.length; start += BATCH_ROWS) {
      const chunk = phones.slice(start, start + BATCH_ROWS);
      const rows = (await (runner ?? this.dataSource).query(
        `SELECT d.phone AS phone FROM ${q('do_not_call_numbers')} d LEFT JOIN ${q('campaigns')} cp ON cp.id = ? ` +
          `WHERE d.phone IN (${listPlaceholders(chunk.length)}) AND ${rule}`,
        [campaignId, ...chunk, now],
      )) as Array<{ phone: string }>;
      for (const row of rows) blocked.add(row.phone);
    }
    return blocked;
  }

  /**
   * A number about to be called (E.164) by the campaign: 409 naming `field` when the list
   * blocks it, so it is never called (invariant 8), whichever of the contact's numbers it is.
   */
  async refuseListed(
    phone: string,
    field: string,
    campaignId: number,
    runner?: QueryRunner,
  ): Promise<void> {
    if ((await this.isBlocked([phone], campaignId, runner)).size === 0) return;
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

/** 'YYYY-MM-DD' naming a day that exists and has begun in Italy (a register file is not from the future). */
export function checkRegisterDate(text: string, now: Date): string {
  if (!isCalendarDay(text)) throw new ValidationError('registerDate', REGISTER_DATE_MESSAGE);
  if (text > toZonedLocal(now, DO_NOT_CALL_ZONE).slice(0, 10)) {
    throw new ValidationError('registerDate', 'registerDate must not be in the future');
  }
  return text;
}

/**
 * When an entry stops blocking: a day blocks through that day in Italy; a date and time
 * is that instant (in Italy when it names no offset). It must be in the future.
 */
function expiryOf(text: string, now: Date): Date {
  const message =
    'expiresAt must be a day (YYYY-MM-DD: the entry blocks through that day, Italian time) or an ISO 8601 date and time';
  let at: Date | 'skipped' | null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    at = isCalendarDay(text)
      ? zonedLocalToUtc(`${addDays(text, 1)}T00:00`, DO_NOT_CALL_ZONE)
      : null;
  } else {
    at = instantInZone(text, DO_NOT_CALL_ZONE);
  }
  if (at === null || at === 'skipped') throw new ValidationError('expiresAt', message);
  if (at.getTime() <= now.getTime()) {
    throw new ValidationError('expiresAt', 'expiresAt must be in the future');
  }
  return at;
}
