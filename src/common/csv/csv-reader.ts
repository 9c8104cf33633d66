import { isAscii, isUtf8 } from 'node:buffer';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { countLineFeeds, firstInvalidUtf8, incompleteTailStart } from './utf8';

/** Why a whole file was refused or stopped: the pages translate the code. */
export type CsvFailureCode =
  | 'encoding'
  | 'utf16'
  | 'quoteNotClosed'
  | 'badQuote'
  | 'recordTooLarge'
  | 'malformed'
  | 'interrupted';

/**
 * The file itself is broken at `line`; nothing from that line on can be read. The message
 * says what is wrong without naming a field: `field` does (the encoding or the file).
 */
export class CsvFileError extends Error {
  constructor(
    readonly code: CsvFailureCode,
    readonly line: number,
    message: string,
  ) {
    super(message);
  }

  get field(): 'encoding' | 'file' {
    return this.code === 'encoding' || this.code === 'utf16' ? 'encoding' : 'file';
  }
}

/** One record of the file with the physical line it starts on (line 1 is the first). */
export interface CsvRecord {
  line: number;
  values: string[];
}

/**
 * csv-parse's parser core: `parse(chunk)` runs synchronously, hands every record of the
 * chunk to `push` and returns the error, if any, after the records before it. Reaching it
 * through the stream's `api` (csv-parse pins it, see csv-reader.spec.ts) avoids one stream
 * hop per record and never loses the records parsed before a broken line.
 */
interface ChunkParser {
  parse(
    chunk: Buffer | undefined,
    end: boolean,
    push: (record: string[]) => void,
    close: () => void,
  ): (Error & CsvParseErrorFields) | undefined;
  info: { lines: number; empty_lines: number };
}

interface CsvParseErrorFields {
  code?: string;
  lines?: number;
  empty_lines?: number;
}

/** Longest record we accept: a contact row with 50 custom fields fits in far less. */
export const MAX_RECORD_BYTES = 64 * 1024;
/**
 * Bytes parsed in one go (about 250 rows): a 64 KB chunk parsed at once kept the event loop
 * busy for milliseconds, and every answer from the database waited for it.
 */
const PARSE_SLICE_BYTES = 16 * 1024;
/** Bytes looked at to find the delimiter when the first line is very long. */
const SNIFF_BYTES = 64 * 1024;
const DELIMITERS = [',', ';', '\t', '|'] as const;

/** The encodings a file may come in: UTF-8 (with or without BOM) or Excel's Windows-1252. */
export type CsvEncoding = 'utf-8' | 'windows-1252';

/**
 * Reads a CSV file as it streams in, chunk by chunk, without ever holding the whole file:
 * finds its encoding, picks the delimiter from the header line (`,` or `;` as Italian
 * spreadsheets write, tab or `|`), and yields the records of each chunk with their line.
 * A broken file ends the iteration with a CsvFileError naming the line.
 *
 * Encoding: a file is read as UTF-8 until a byte says otherwise. When the first byte that
 * is not UTF-8 comes before any non-ASCII character, the file is Windows-1252 (what Excel
 * writes as "CSV (separated by semicolons)" in Italy; ISO-8859-1 is a subset of it): every
 * byte read so far was ASCII, the same in both, so the rest is simply decoded as such. A
 * byte that is not UTF-8 after valid UTF-8 accents is a broken file, refused at its line.
 */
export class CsvReader {
  /** The file's encoding as read so far (final once the reading ends). */
  encoding: CsvEncoding;
  /** Whether a non-ASCII character was read as UTF-8 (then the file cannot be Windows-1252). */
  private sawUtf8Text = false;

  /** Line feeds in the bytes checked so far, to say on which line an invalid byte is. */
  private lineFeeds = 0;
  private parser: ChunkParser | null = null;
  private head: Buffer[] = [];
  private headBytes = 0;
  /** csv-parse counts a CRLF inside a quoted value as two lines; this many so far. */
  private crlfOvercount = 0;
  private lastRawLines = 0;
  private lastEmptyLines = 0;
  private lastEndLine = 0;
  private sawBytes = false;
  /** The delimiter chosen from the header line. */
  delimiter = ',';

  /** `encoding`: what the upload declared (a charset), else found from the bytes. */
  constructor(encoding?: CsvEncoding) {
    this.encoding = encoding ?? 'utf-8';
    // A declared UTF-8 stays UTF-8: a byte that is not is an error, not another encoding.
    this.sawUtf8Text = encoding === 'utf-8';
  }

  async *records(source: Readable): AsyncGenerator<CsvRecord[]> {
    // The source is left undestroyed when we stop early, so an HTTP request can still be
    // drained and answered (destroying it would reset the client's connection).
    const chunks = source.iterator({ destroyOnReturn: false }) as AsyncIterable<unknown>;
    let tail: Buffer = Buffer.alloc(0);
    try {
      for await (const raw of chunks) {
        const chunk = typeof raw === 'string' ? Buffer.from(raw) : (raw as Buffer);
        if (chunk.length === 0) continue;
        let data = tail.length > 0 ? Buffer.concat([tail, chunk]) : chunk;
        if (this.encoding === 'utf-8') {
          const cut = incompleteTailStart(data);
          tail = Buffer.from(data.subarray(cut));
          data = this.checkUtf8(data.subarray(0, cut));
        } else {
          tail = Buffer.alloc(0);
          this.checkNotUtf16(data);
          data = this.fromWindows1252(data);
        }
        for (let at = 0; at < data.length; at += PARSE_SLICE_BYTES) {
          const records = this.feed(data.subarray(at, at + PARSE_SLICE_BYTES), false);
          if (records.length > 0) yield records;
        }
      }
    } catch (error) {
      if (error instanceof CsvFileError) throw error;
      throw new CsvFileError(
        'interrupted',
        this.lastEndLine + 1,
        `line ${this.lastEndLine + 1}: the upload was interrupted before the end of the file`,
      );
    }
    const rest = tail.length > 0 ? this.checkUtf8(tail, true) : Buffer.alloc(0);
    const last = this.feed(rest, true);
    if (last.length > 0) yield last;
  }

  /** UTF-16 (a spreadsheet's "Unicode text") is refused by its byte order mark. */
  private checkNotUtf16(data: Buffer): void {
    if (!this.sawBytes && data.length >= 2) {
      const [a, b] = [data[0], data[1]];
      if ((a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff)) {
        throw new CsvFileError(
          'utf16',
          1,
          'the file is UTF-16 (a spreadsheet\'s "Unicode text"); save it as "CSV UTF-8" or "CSV (separated by semicolons)"',
        );
      }
    }
    this.sawBytes = true;
  }

  /**
   * The bytes to parse: `data` when it is UTF-8; decoded as Windows-1252 from the first
   * byte that is not, when nothing before it was anything but ASCII (see the class).
   * `atEnd`: `data` is an incomplete UTF-8 sequence at the end of the file.
   */
  private checkUtf8(data: Buffer, atEnd = false): Buffer {
    if (data.length === 0) return data;
    this.checkNotUtf16(data);
    if (!atEnd && isUtf8(data)) {
      this.lineFeeds += countLineFeeds(data);
      if (!this.sawUtf8Text && !isAscii(data)) this.sawUtf8Text = true;
      return data;
    }
    const bad = atEnd ? 0 : firstInvalidUtf8(data);
    if (bad === -1) return data;
    if (!this.sawUtf8Text && isAscii(data.subarray(0, bad))) {
      this.encoding = 'windows-1252';
      return this.fromWindows1252(data);
    }
    const line = this.lineFeeds + countLineFeeds(data, bad) + 1;
    throw new CsvFileError(
      'encoding',
      line,
      `line ${line} is not valid UTF-8 though the lines before it are; save the file as "CSV UTF-8" and import it again`,
    );
  }

  /**
   * Windows-1252 bytes as the UTF-8 the parser reads (one byte is one character). Not
   * TextDecoder: Node's reads this label as Latin-1, losing €, “ ” and – (0x80-0x9F).
   */
  private fromWindows1252(data: Buffer): Buffer {
    return isAscii(data) ? data : windows1252ToUtf8(data);
  }

  /** Parses validated bytes (holding them back until the header line shows the delimiter). */
  private feed(data: Buffer, end: boolean): CsvRecord[] {
    if (!this.parser) {
      if (data.length > 0) {
        this.head.push(data);
        this.headBytes += data.length;
      }
      const headLineDone = data.includes(10) || data.includes(13);
      if (!end && !headLineDone && this.headBytes < SNIFF_BYTES) return [];
      const head = Buffer.concat(this.head);
      this.head = [];
      this.parser = this.createParser(head);
      data = head;
    }
    const records: CsvRecord[] = [];
    const parser = this.parser;
    const error = parser.parse(
      end && data.length === 0 ? undefined : data,
      end,
      (values) => records.push({ line: this.lineOf(values, parser), values }),
      () => undefined,
    );
    if (error) throw this.describe(error, parser);
    return records;
  }

  private createParser(head: Buffer): ChunkParser {
    this.delimiter = sniffDelimiter(head);
    const stream = parse({
      delimiter: this.delimiter,
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      max_record_size: MAX_RECORD_BYTES,
    }) as unknown as { api?: ChunkParser };
    const api = stream.api;
    if (!api || typeof api.parse !== 'function' || typeof api.info !== 'object') {
      throw new Error('csv-parse no longer exposes its parser core; see csv-reader.ts');
    }
    return api;
  }

  /** The line a record starts on, counting the lines a quoted value spans. */
  private lineOf(values: string[], parser: ChunkParser): number {
    const rawLines = parser.info.lines;
    const emptyLines = parser.info.empty_lines;
    const spanned = rawLines - this.lastRawLines - (emptyLines - this.lastEmptyLines);
    let breaks = 0;
    if (spanned > 1) {
      for (const value of values) {
        for (let i = 0; i < value.length; i++) {
          const c = value.charCodeAt(i);
          if (c === 13) {
            breaks++;
            if (value.charCodeAt(i + 1) === 10) {
              this.crlfOvercount++;
              i++;
            }
          } else if (c === 10) breaks++;
        }
      }
    }
    this.lastRawLines = rawLines;
    this.lastEmptyLines = emptyLines;
    this.lastEndLine = rawLines - this.crlfOvercount;
    return this.lastEndLine - breaks;
  }

  private describe(error: Error & CsvParseErrorFields, parser: ChunkParser): CsvFileError {
    const emptyBefore = (error.empty_lines ?? parser.info.empty_lines) - this.lastEmptyLines;
    const recordStart = this.lastEndLine + 1 + Math.max(0, emptyBefore);
    const here = Math.max(recordStart, (error.lines ?? recordStart) - this.crlfOvercount);
    switch (error.code ?? '') {
      case 'CSV_QUOTE_NOT_CLOSED':
        return new CsvFileError(
          'quoteNotClosed',
          recordStart,
          `line ${recordStart}: a quoted value starts on this row and its closing quote (") is missing`,
        );
      case 'INVALID_OPENING_QUOTE':
        return new CsvFileError(
          'badQuote',
          here,
          `line ${here}: a quote (") inside a value that does not start with one; quote the whole value and double the inner quote ("")`,
        );
      case 'CSV_INVALID_CLOSING_QUOTE':
        return new CsvFileError(
          'badQuote',
          here,
          `line ${here}: unexpected characters after a closing quote (")`,
        );
      case 'CSV_MAX_RECORD_SIZE':
        return new CsvFileError(
          'recordTooLarge',
          recordStart,
          `line ${recordStart}: a row longer than ${MAX_RECORD_BYTES / 1024} KB; is this a CSV file?`,
        );
      default:
        return new CsvFileError(
          'malformed',
          here,
          `line ${here}: malformed CSV (${error.message.slice(0, 200)})`,
        );
    }
  }
}

/** Each Windows-1252 byte as UTF-8 bytes, as iconv-lite decodes it. */
let windows1252Table: Buffer[] | null = null;

/**
 * Windows-1252 bytes straight into UTF-8 bytes, one table look-up a byte: decoding into a
 * string and encoding it again cost twice the copying for every chunk with an accent.
 */
export function windows1252ToUtf8(data: Buffer): Buffer {
  const table = (windows1252Table ??= Array.from({ length: 256 }, (_, byte) =>
    Buffer.from(iconv.decode(Buffer.from([byte]), 'win1252'), 'utf8'),
  ));
  let length = data.length;
  for (let i = 0; i < data.length; i++) if (data[i]! >= 0x80) length += table[data[i]!]!.length - 1;
  const out = Buffer.allocUnsafe(length);
  let at = 0;
  for (let i = 0; i < data.length; i++) {
    const byte = data[i]!;
    if (byte < 0x80) out[at++] = byte;
    else {
      const bytes = table[byte]!;
      for (let k = 0; k < bytes.length; k++) out[at++] = bytes[k]!;
    }
  }
  return out;
}

/** The delimiter the header line uses most, outside quotes (a comma when it is unclear). */
export function sniffDelimiter(head: Buffer): string {
  const text = head.subarray(0, SNIFF_BYTES).toString('utf8');
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && counts.has(char)) counts.set(char, counts.get(char)! + 1);
  }
  let best = ',';
  for (const d of DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}
