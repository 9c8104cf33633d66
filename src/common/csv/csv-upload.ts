import type { Readable } from 'node:stream';
import busboy from 'busboy';
import type { Request } from 'express';
import { ValidationError } from '../errors/domain-errors';
import type { CsvEncoding } from './csv-reader';

/** A CSV file arriving in a request, read as it streams in. */
export interface CsvUpload {
  stream: Readable;
  fileName: string | null;
  /** The encoding the upload declared (`Content-Type: text/csv; charset=...`); else found. */
  encoding?: CsvEncoding;
  /** A multipart form's text fields sent before the file (the import's options). */
  fields: Record<string, string>;
  /** Discards what the import did not read, so the request ends and the answer reaches the client. */
  drain(): void;
}

/** Content types a CSV body may come with (Windows browsers say a .csv is an Excel file). */
const RAW_TYPES = new Set([
  'text/csv',
  'text/plain',
  'application/csv',
  'application/vnd.ms-excel',
  'application/octet-stream',
]);
/** A form field beside the file (an import's column mapping is the largest). */
const MAX_FIELD_BYTES = 32 * 1024;

/** Charsets an upload may declare, by the encoding the reader reads them in. */
const CHARSETS: Record<string, CsvEncoding> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'us-ascii': 'utf-8',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
  'iso-8859-1': 'windows-1252',
  'iso-8859-15': 'windows-1252',
  latin1: 'windows-1252',
};

/**
 * The CSV file of a request: its body (`text/csv`) or the `file` field of a multipart form
 * (with the form's text fields sent before it). Nothing is buffered: the import reads the
 * stream at its own pace.
 */
export function csvUpload(req: Request): Promise<CsvUpload> {
  const header = req.headers['content-type'] ?? '';
  const [type = '', ...params] = header.split(';').map((part) => part.trim().toLowerCase());
  if (type === 'multipart/form-data') return multipartFile(req);
  if (RAW_TYPES.has(type)) {
    const charset = params
      .find((p) => p.startsWith('charset='))
      ?.slice(8)
      .replace(/"/g, '');
    const encoding = charset === undefined ? undefined : CHARSETS[charset];
    if (charset !== undefined && encoding === undefined) {
      throw new ValidationError(
        'encoding',
        `the file must be UTF-8 or Windows-1252 (Excel's CSV), not ${charset.slice(0, 40)}`,
      );
    }
    return Promise.resolve({
      stream: req,
      fileName: null,
      encoding,
      fields: {},
      drain: () => req.resume(),
    });
  }
  throw new ValidationError(
    'body',
    'send the CSV file as the body (Content-Type: text/csv) or as the "file" field of a multipart form',
  );
}

function multipartFile(req: Request): Promise<CsvUpload> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { files: 1, fields: 20, fieldSize: MAX_FIELD_BYTES, parts: 25 },
      });
    } catch {
      reject(new ValidationError('body', 'malformed multipart form (no boundary)'));
      return;
    }
    let settled = false;
    const fields: Record<string, string> = {};
    parser.on('field', (name, value, info) => {
      if (settled) return;
      if (info.valueTruncated) {
        settled = true;
        req.unpipe(parser);
        req.resume();
        reject(new ValidationError(name, `${name} must be at most ${MAX_FIELD_BYTES} bytes`));
        return;
      }
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (settled || name !== 'file') {
        stream.resume();
        return;
      }
      settled = true;
      // A form submitted without choosing a file still sends the field, unnamed and empty.
      if (!info.filename) {
        stream.resume();
        reject(new ValidationError('file', 'choose a CSV file to import'));
        return;
      }
      // An upload cut off after the import stopped reading must not be an unhandled error;
      // while the import reads, its own listener sees the error.
      stream.on('error', () => undefined);
      // busboy is not told when the request dies half-way: end the file with an error then.
      req.on('close', () => {
        if (!req.complete) stream.destroy(new Error('the upload was interrupted'));
      });
      resolve({
        stream,
        fileName: info.filename.slice(0, 255),
        fields,
        drain: () => {
          stream.resume();
          req.resume();
        },
      });
    });
    parser.on('error', () => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      req.resume();
      reject(new ValidationError('body', 'malformed multipart form'));
    });
    parser.on('close', () => {
      if (settled) return;
      settled = true;
      reject(new ValidationError('file', 'a CSV file is required in the "file" field'));
    });
    req.pipe(parser);
  });
}
