import type { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DateUtils } from 'typeorm/util/DateUtils';
import { AuditService } from '../audit/audit.service';
import { CAMPAIGN_PURPOSES } from '../campaigns/campaign.entity';
import { type CsvEncoding, CsvFileError, CsvReader } from '../common/csv/csv-reader';
import { shown } from '../common/csv/field-problem';
import { ImportRefusedError } from '../common/csv/import-refused.error';
import { retriedTransaction } from '../common/database/retried-transaction';
import { isMysqlSource } from '../common/database/sql-dialect';
import { ValidationError } from '../common/errors/domain-errors';
import { PhoneNumbers } from '../common/phone/phone-number';
import { Clock } from '../common/time/clock';
import { checkRegisterDate } from './do-not-call.service';
import type { RecheckSummary, RegisterImportSummary } from './dto/do-not-call.dto';
import { QueueCheckHooks } from './queue-check-hooks';

/** Numbers per INSERT: a few hundred KB of statement, one write in flight while the next is read. */
export const REGISTER_BATCH_ROWS = 5000;
/** Bad lines the answer lists (all are counted). */
export const LISTED_BAD_LINES = 100;
/** What the normaliser returns, checked again before it is written into a statement. */
const E164 = /^\+[0-9]{6,19}$/;
const LOCK_RETRIES = 6;

/**
 * The opposition register (Registro Pubblico delle Opposizioni): its files are imported
 * streamed, at constant memory whatever their size, as entries of source `register` with
 * the file's date and scope `marketing`; then the campaigns' queues are checked against
 * the list, so the numbers it matches leave them (counted per campaign).
 */
@Injectable()
export class DoNotCallRegister {
  constructor(
    private readonly dataSource: DataSource,
    private readonly phones: PhoneNumbers,
    private readonly clock: Clock,
    private readonly queues: QueueCheckHooks,
    private readonly audit: AuditService,
  ) {}

  /**
   * One number a line (a CSV's first column; a first line without a digit is a header).
   * Bad lines are counted and the first {@link LISTED_BAD_LINES} listed by line; the good
   * ones are written in batches of one INSERT each, a number already listed by the register
   * taking the new date (an expired entry of another source becomes the register's; one that
   * still blocks stays as it is). A file broken part-way (encoding, quotes) stops at its line
   * with what came before imported and no check (400). Then the marketing campaigns'
   * queues are checked (the register's scope does not reach service campaigns).
   */
  async importRegister(
    source: Readable,
    givenDate: string | undefined,
    userId: number | null,
    encoding?: CsvEncoding,
  ): Promise<RegisterImportSummary> {
    const text = givenDate?.trim() ?? '';
    if (text === '') {
      throw new ValidationError(
        'registerDate',
        'registerDate is required: the date of the register file, YYYY-MM-DD',
      );
    }
    const now = this.clock.now();
    const registerDate = checkRegisterDate(text, now);
    const summary: RegisterImportSummary = {
      registerDate,
      imported: 0,
      badCount: 0,
      badLines: [],
      removed: 0,
      removedByCampaign: [],
      failure: null,
    };
    const statement = this.upsert(registerDate, userId, now);
    const bad = (line: number, reason: string) => {
      summary.badCount++;
      if (summary.badLines.length < LISTED_BAD_LINES) summary.badLines.push({ line, reason });
    };
    let rows: string[] = [];
    // One batch is written while the next is read: the database and the parser overlap.
    const pending: { write: Promise<void> | null } = { write: null };
    const flush = async () => {
      const written = rows;
      rows = [];
      if (pending.write) await pending.write;
      const write = this.write(`${statement.head}${written.join(',')}${statement.tail}`).then(
        () => {
          summary.imported += written.length;
        },
      );
      write.catch(() => undefined); // awaited before the next one; never left unhandled
      pending.write = write;
    };
    const reader = new CsvReader(encoding);
    let first = true;
    try {
      for await (const records of reader.records(source)) {
        for (const { line, values } of records) {
          const raw = (values[0] ?? '').trim();
          if (raw === '' && values.every((value) => value.trim() === '')) continue;
          if (first) {
            first = false;
            if (!/[0-9]/.test(raw)) continue; // the header: "telefono", "numero;data"...
          }
          if (raw === '') {
            bad(line, 'the number is missing (first column)');
            continue;
          }
          const phone = this.phones.normalise(raw);
          if (phone === null || !E164.test(phone)) {
            bad(line, `"${shown(raw)}" is not a valid phone number`);
            continue;
          }
          // E.164 (checked above) and the row's constants: nothing to escape.
          rows.push(`('${phone}${statement.rowEnd}`);
          if (rows.length >= REGISTER_BATCH_ROWS) await flush();
        }
      }
      if (rows.length > 0) await flush();
      if (pending.write) await pending.write;
    } catch (error) {
      if (!(error instanceof CsvFileError)) {
        if (pending.write) await pending.write.catch(() => undefined);
        throw error;
      }
      // The good lines before the broken one are written, and counted, before the answer.
      if (rows.length > 0) await flush();
      if (pending.write) await pending.write;
      const message = `${error.message}; ${summary.imported} numbers before line ${error.line} were imported, nothing from it on`;
      summary.failure = { line: error.line, message };
      await this.record(userId, 'do_not_call.register_imported', summary);
      throw new ImportRefusedError(error.field, message, summary);
    }
    Object.assign(summary, await this.queues.check(['marketing']));
    await this.record(userId, 'do_not_call.register_imported', summary);
    return summary;
  }

  /**
   * `POST /do-not-call/recheck`: every campaign's queue checked against the list as it is
   * now (an entry of scope `all` reaches service campaigns too).
   */
  async recheck(userId: number | null): Promise<RecheckSummary> {
    const summary = await this.queues.check(CAMPAIGN_PURPOSES);
    await this.record(userId, 'do_not_call.rechecked', summary);
    return summary;
  }

  /**
   * The batch statement: the rows' constant end, and the upsert that gives a number already
   * listed the new date when it is the register's or has expired (MySQL assigns in order,
   * reading what the assignments before have set: `source` and `expires_at` come last).
   */
  private upsert(
    registerDate: string,
    userId: number | null,
    now: Date,
  ): { head: string; rowEnd: string; tail: string } {
    const at = DateUtils.mixedDateToUtcDatetimeString(now) as string;
    const lapsed = `(expires_at IS NOT NULL AND expires_at <= '${at}')`;
    const replace = `(source = 'register' OR ${lapsed})`;
    const adopt = `(source <> 'register' AND ${lapsed})`;
    const head =
      'INSERT INTO do_not_call_numbers (phone, source, scope, register_date, added_by) VALUES ';
    const rowEnd = `','register','marketing','${registerDate}',${userId === null ? 'NULL' : Math.trunc(userId)})`;
    const tail = isMysqlSource(this.dataSource)
      ? ' ON DUPLICATE KEY UPDATE ' +
        `register_date = IF(${replace}, VALUES(register_date), register_date), ` +
        `scope = IF(${adopt}, 'marketing', scope), ` +
        `added_by = IF(${replace}, VALUES(added_by), added_by), ` +
        `source = IF(${replace}, 'register', source), ` +
        "expires_at = IF(source = 'register', NULL, expires_at)"
      : ' ON CONFLICT (phone) DO UPDATE SET ' +
        `register_date = CASE WHEN ${replace} THEN excluded.register_date ELSE register_date END, ` +
        `scope = CASE WHEN ${adopt} THEN 'marketing' ELSE scope END, ` +
        `added_by = CASE WHEN ${replace} THEN excluded.added_by ELSE added_by END, ` +
        `source = CASE WHEN ${replace} THEN 'register' ELSE source END, ` +
        `expires_at = CASE WHEN ${replace} THEN NULL ELSE expires_at END`;
    return { head, rowEnd, tail };
  }

  /** One batch, alone in its transaction; two imports at once may deadlock: tried again. */
  private async write(sql: string): Promise<void> {
    await retriedTransaction(
      this.dataSource,
      async (em) => {
        await em.query(sql);
      },
      {
        attempts: LOCK_RETRIES,
        pauseMs: 40,
      },
    );
  }

  /** One audit line with the counts (never the numbers). */
  private async record(
    userId: number | null,
    action: string,
    summary: RecheckSummary & Partial<RegisterImportSummary>,
  ): Promise<void> {
    const detail: Record<string, unknown> = {};
    if (summary.registerDate !== undefined) {
      Object.assign(detail, {
        registerDate: summary.registerDate,
        imported: summary.imported,
        badCount: summary.badCount,
        ...(summary.failure ? { stoppedAtLine: summary.failure.line } : {}),
      });
    }
    detail.removed = summary.removed;
    detail.byCampaign = summary.removedByCampaign.map((c) => [c.campaignId, c.removed]);
    await this.audit.record(this.dataSource.manager, {
      userId,
      action,
      entity: 'do_not_call',
      entityId: null,
      detail: JSON.stringify(detail),
    });
  }
}
