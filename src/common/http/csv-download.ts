import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { Response } from 'express';

/**
 * Streams `rows` (arrays of cells, header first) as a CSV download named `fileName`.
 * The BOM makes spreadsheets read the file as UTF-8 (the imports skip it).
 */
export async function sendCsv(res: Response, fileName: string, rows: Readable): Promise<void> {
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
  try {
    await pipeline(rows, stringify({ bom: true }), res);
  } catch {
    // Headers are gone: the only honest signal left is a cut connection.
    res.destroy();
  }
}

/** Today's date (UTC) for a file name: "contracts-2026-11-23.csv". */
export function datedFileName(prefix: string): string {
  return `${prefix}-${new Date().toISOString().slice(0, 10)}.csv`;
}
