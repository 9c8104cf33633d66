import { once } from 'node:events';
import { Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import type { Response } from 'express';
import { recordDownload } from '../../audit/audit-actor';
import { wallClock } from '../time/wall-clock';
import { type ExportDialect, PLAIN } from './export-dialect';
import { type Cell, type ExportColumn, momentOf, type Row, stringOf } from './export-cell';
import { safeCell } from './safe-cell';

/**
 * The one writer of every file the product exports: a table of typed columns, written as
 * CSV in a dialect (plain, or Italian Excel) or as XLSX, streamed batch by batch.
 */

export interface ExportTable {
  /** The file's name without its extension: "contracts-2026-11-30". */
  name: string;
  /** Where local times are read: the campaign's zone, or the call centre's. */
  zone: string;
  columns: readonly ExportColumn[];
  /** Batches of rows (a keyset batch each, or all of a small report at once). */
  batches: AsyncIterable<readonly Row[]> | Iterable<readonly Row[]>;
}

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportChoice {
  format: ExportFormat;
  dialect: ExportDialect;
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** A CSV chunk is pushed once it holds this much text (or its batch is done). */
const CSV_CHUNK = 64 * 1024;
/** The rows an Excel sheet holds below its header (1,048,576 rows in all). */
export const XLSX_SHEET_ROWS = 1_048_575;

/** Streams the table to the response as the chosen file, and stops when the client leaves. */
export async function sendTable(
  res: Response,
  table: ExportTable,
  choice: ExportChoice = { format: 'csv', dialect: PLAIN },
): Promise<void> {
  // Who downloaded which file, with its filters, is in the audit trail before the first byte.
  await recordDownload({ name: `${table.name}.${choice.format}`, path: res.req.originalUrl });
  const xlsx = choice.format === 'xlsx';
  res.setHeader('Content-Type', xlsx ? XLSX_TYPE : 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${table.name}.${choice.format}"`);
  res.setHeader('Cache-Control', 'no-store');
  try {
    if (xlsx) await writeXlsx(table, choice.dialect, res);
    else await pipeline(csvStream(table, choice.dialect), res);
  } catch {
    // Headers are gone (or the client left): the only honest signal left is a cut connection.
    res.destroy();
  }
}

/**
 * The table as CSV text in the dialect: the BOM and the header at once (the first byte does
 * not wait for the database), then one chunk per batch or 64 KB.
 */
export function csvStream(table: ExportTable, dialect: ExportDialect): Readable {
  const { separator, newline } = dialect;
  const quote = quoter(separator);
  const columns = table.columns;
  const header = columns.map((c) => quote(safeCell(dialect.header(c)))).join(separator) + newline;
  const formatters = columns.map((column) => dialect.cellWriter(column, table.zone));
  const transform = new Transform({
    writableObjectMode: true,
    transform(batch: readonly Row[], _encoding, done) {
      let text = '';
      for (const row of batch) {
        let line = '';
        for (let i = 0; i < formatters.length; i++) {
          if (i > 0) line += separator;
          line += quote(formatters[i]!(row[i]));
        }
        text += line + newline;
        if (text.length >= CSV_CHUNK) {
          this.push(text);
          text = '';
        }
      }
      done(null, text === '' ? undefined : text);
    },
  });
  transform.push((dialect.bom ? '\uFEFF' : '') + header);
  const source = Readable.from(table.batches, { objectMode: true, highWaterMark: 1 });
  source.on('error', (error) => transform.destroy(error));
  transform.on('close', () => source.destroy());
  return source.pipe(transform);
}

/** Quotes a cell that holds the separator, a quote or a line break (RFC 4180). */
function quoter(separator: string): (text: string) => string {
  const special = new RegExp(`[${separator === '\t' ? '\\t' : separator}"\\r\\n]`);
  return (text) => (special.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
}

/**
 * The table as an XLSX workbook through exceljs's streaming writer: rows are committed as
 * they come, dates are Excel dates (the local time in the zone), money numbers with two
 * decimals. Between batches it waits for the client to take what was written.
 */
export async function writeXlsx(
  table: ExportTable,
  dialect: ExportDialect,
  out: Writable,
  rowsPerSheet = XLSX_SHEET_ROWS,
): Promise<void> {
  let gone = false;
  const leave = () => (gone = true);
  out.once('close', leave);
  try {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream: out,
      useStyles: true,
      useSharedStrings: false,
    });
    const columns = table.columns.map((column) => ({
      header: dialect.header(column),
      width: column.kind === 'text' ? 24 : 16,
      style: xlsxStyle(column, dialect),
    }));
    const base = table.name.slice(0, 26);
    let sheets = 0;
    let sheet: ExcelJS.Worksheet | null = null;
    let rowsInSheet = 0;
    const newSheet = (): ExcelJS.Worksheet => {
      sheet?.commit();
      sheets += 1;
      // A sheet holds at most Excel's rows: the next ones go on "<name> (2)", and so on.
      const next = workbook.addWorksheet(
        sheets === 1 ? table.name.slice(0, 31) : `${base} (${sheets})`,
      );
      next.columns = columns;
      rowsInSheet = 0;
      return next;
    };
    sheet = newSheet();
    const writers = table.columns.map((column) => xlsxCellWriter(column, table.zone, dialect));
    for await (const batch of table.batches) {
      if (gone) break;
      for (const row of batch) {
        if (rowsInSheet === rowsPerSheet) sheet = newSheet();
        sheet.addRow(writers.map((write, i) => write(row[i]))).commit();
        rowsInSheet += 1;
      }
      if (out.writableNeedDrain && !gone)
        await Promise.race([once(out, 'drain'), once(out, 'close')]);
    }
    if (gone) return;
    sheet.commit();
    await workbook.commit();
  } finally {
    out.off('close', leave);
  }
}

function xlsxStyle(column: ExportColumn, dialect: ExportDialect): Partial<ExcelJS.Style> {
  switch (column.kind) {
    case 'money':
      return { numFmt: '#,##0.00' };
    case 'instant':
    case 'localTime':
      return { numFmt: dialect.xlsxDateTime };
    case 'day':
      return { numFmt: dialect.xlsxDay };
    case 'text':
    case 'integer':
    case 'decimal':
    case 'flag':
    case 'word':
      return {};
  }
}

type XlsxValue = string | number | Date | null;

/** Text stays text (a cell typed as a string is never run as a formula). */
function xlsxCellWriter(
  column: ExportColumn,
  zone: string,
  dialect: ExportDialect,
): (cell: Cell) => XlsxValue {
  const words = dialect.cellWriter(column, zone);
  switch (column.kind) {
    case 'text':
      return (cell) => (cell === null || cell === undefined ? null : stringOf(cell));
    case 'integer':
    case 'decimal':
    case 'money':
      return (cell) => {
        if (cell === null || cell === undefined || cell === '') return null;
        const n = typeof cell === 'number' ? cell : Number(stringOf(cell));
        return Number.isFinite(n) ? n : stringOf(cell);
      };
    case 'instant':
    case 'localTime':
      return (cell) => {
        const moment = momentOf(cell, zone);
        return moment ? wallClock(moment.at, moment.zone) : null;
      };
    case 'day':
      return (cell) =>
        typeof cell === 'string' && cell !== '' ? new Date(`${cell}T00:00:00Z`) : null;
    case 'flag':
    case 'word':
      return (cell) => (cell === null || cell === undefined ? null : words(cell));
  }
}
