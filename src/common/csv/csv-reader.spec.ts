import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { CsvFileError, CsvReader, sniffDelimiter, windows1252ToUtf8 } from './csv-reader';
import { firstInvalidUtf8, incompleteTailStart } from './utf8';

/** Reads a file given as chunks (to cut it anywhere) into [line, ...values] rows. */
async function read(chunks: Array<string | Buffer>): Promise<Array<[number, ...string[]]>> {
  const reader = new CsvReader();
  const rows: Array<[number, ...string[]]> = [];
  for await (const records of reader.records(Readable.from(chunks.map((c) => Buffer.from(c)))))
    for (const r of records) rows.push([r.line, ...r.values]);
  return rows;
}

async function failure(chunks: Array<string | Buffer>): Promise<CsvFileError> {
  try {
    await read(chunks);
  } catch (error) {
    if (error instanceof CsvFileError) return error;
    throw error;
  }
  throw new Error('the file was read without an error');
}

describe('CsvReader', () => {
  it('gives each record the line it starts on, counting quoted values that span lines', async () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const file = ['a,b', '1,2', '"x', 'y",3', '', '4,5', '"p', 'q', 'r",6', '7,8'].join(eol);
      expect((await read([file])).map((r) => r[0])).toEqual([1, 2, 3, 6, 7, 10]);
    }
    // A CRLF file whose quoted values hold CRLF too (csv-parse alone counts those twice).
    const crlf = 'a,b\r\n"x\r\ny",1\r\n"p\r\nq\r\nr",2\r\n3,4\r\n';
    expect((await read([crlf])).map((r) => r[0])).toEqual([1, 2, 4, 7]);
    expect((await read([crlf]))[1]).toEqual([2, 'x\r\ny', '1']);
  });

  it('reads the same records whatever the chunk boundaries, even inside a character', async () => {
    const file = Buffer.from('firstName,città\nNicolò,"Forlì\nCesena"\nZoë,Aosta\n');
    const whole = await read([file]);
    for (let cut = 1; cut < file.length; cut++) {
      expect(await read([file.subarray(0, cut), file.subarray(cut)])).toEqual(whole);
    }
    expect(whole).toEqual([
      [1, 'firstName', 'città'],
      [2, 'Nicolò', 'Forlì\nCesena'],
      [4, 'Zoë', 'Aosta'],
    ]);
  });

  it('reads a chunk bigger than what is parsed at once as it reads small ones', async () => {
    // 40 KB of accented rows in one chunk: parsed in slices cut anywhere, inside a character too.
    for (const pad of [0, 1, 2, 3]) {
      const lines = ['a;b', `${'x'.repeat(pad)}è€;"Forlì\r\nCesena ’"`];
      while (lines.join('').length < 40_000) lines.push('ùé€;"Forlì\nCesena ’"');
      const file = Buffer.from(lines.join('\r\n') + '\r\n');
      const small: Buffer[] = [];
      for (let at = 0; at < file.length; at += 1000) small.push(file.subarray(at, at + 1000));
      const whole = await read([file]);
      expect(whole).toEqual(await read(small));
      expect(whole).toHaveLength(lines.length);
      expect(whole.flat().join('')).not.toContain('\uFFFD');
    }
  });

  it('picks the delimiter from the header line and drops a BOM', async () => {
    expect(sniffDelimiter(Buffer.from('firstName;lastName;phone\n'))).toBe(';');
    expect(sniffDelimiter(Buffer.from('"a;b",c\n'))).toBe(',');
    expect(sniffDelimiter(Buffer.from('a\tb\tc'))).toBe('\t');
    expect(await read(['\uFEFFa;b\n1;2,5\n'])).toEqual([
      [1, 'a', 'b'],
      [2, '1', '2,5'],
    ]);
  });

  it("reads a Windows-1252 file (Excel's Italian CSV) with its accents", async () => {
    // One byte per accented letter; the euro sign is 0x80 in Windows-1252 (not in Latin-1).
    const excel = Buffer.concat([
      Buffer.from('Nome;Città;Importo\r\nLuca;Forlì;10\r\nZoë;Cantù;', 'latin1'),
      Buffer.from([0x80]),
      Buffer.from(' 5\r\n', 'latin1'),
    ]);
    const whole = new CsvReader();
    const rows: string[][] = [];
    for await (const records of whole.records(Readable.from([excel])))
      for (const r of records) rows.push(r.values);
    expect(rows).toEqual([
      ['Nome', 'Città', 'Importo'],
      ['Luca', 'Forlì', '10'],
      ['Zoë', 'Cantù', '€ 5'],
    ]);
    expect([whole.encoding, whole.delimiter]).toEqual(['windows-1252', ';']);
    // Cut anywhere, in bytes: the same records.
    for (let cut = 1; cut < excel.length; cut += 7) {
      const parts = [excel.subarray(0, cut), excel.subarray(cut)];
      expect(await read(parts)).toEqual(rows.map((values, i) => [[1, 2, 3][i]!, ...values]));
    }
  });

  it('turns Windows-1252 bytes into the UTF-8 of what iconv-lite decodes, every byte', () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, byte) => byte));
    expect(windows1252ToUtf8(all).toString('utf8')).toBe(iconv.decode(all, 'win1252'));
    for (let i = 0; i < 200; i++) {
      const bytes = Buffer.from(Array.from({ length: 50 }, () => Math.floor(Math.random() * 256)));
      expect(windows1252ToUtf8(bytes)).toEqual(Buffer.from(iconv.decode(bytes, 'win1252'), 'utf8'));
    }
  });

  it('refuses a byte that is not UTF-8 after UTF-8 accents, naming its line', async () => {
    const broken = Buffer.concat([
      Buffer.from('a,b\n1,Forlì\n3,'),
      Buffer.from([0xe0]),
      Buffer.from('\n'),
    ]);
    const error = await failure([broken]);
    expect(error.code).toBe('encoding');
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/^line 3 is not valid UTF-8 though the lines before it are/);
    // Cut at the end of the file: an unfinished character after UTF-8 text.
    expect((await failure([Buffer.from('è\n'), Buffer.from([0x61, 0x0a, 0xc3])])).line).toBe(3);
    expect((await failure([Buffer.from([0xff, 0xfe, 0x61, 0x00])])).code).toBe('utf16');
  });

  it('a declared encoding is kept: UTF-8 never turns into Windows-1252', async () => {
    const latin = Buffer.concat([Buffer.from('a,b\n1,'), Buffer.from([0xe0]), Buffer.from('\n')]);
    const reader = new CsvReader('utf-8');
    await expect(
      (async () => {
        for await (const records of reader.records(Readable.from([latin]))) void records;
      })(),
    ).rejects.toMatchObject({ code: 'encoding', line: 2 });
    const declared = new CsvReader('windows-1252');
    const rows: string[][] = [];
    for await (const records of declared.records(Readable.from([latin])))
      for (const r of records) rows.push(r.values);
    expect(rows).toEqual([
      ['a', 'b'],
      ['1', 'à'],
    ]);
  });

  it('says which line a broken quote is on', async () => {
    const notClosed = await failure(['a,b\n1,2\n\n"x,3\n4,5\n6,7\n']);
    expect([notClosed.code, notClosed.line]).toEqual(['quoteNotClosed', 4]);
    const opening = await failure(['a,b\n1,2\nx"y,3\n']);
    expect([opening.code, opening.line]).toEqual(['badQuote', 3]);
    const closing = await failure(['a,b\n"multi\nline",1\n"x"y,3\n']);
    expect([closing.code, closing.line]).toEqual(['badQuote', 4]);
  });

  it('refuses a record longer than 64 KB (a file that is not CSV) at once', async () => {
    const error = await failure(['a,b\n1,2\n', 'z'.repeat(70_000)]);
    expect([error.code, error.line]).toEqual(['recordTooLarge', 3]);
  });

  it('reads nothing from an empty file', async () => {
    expect(await read([])).toEqual([]);
    expect(await read(['\n\n'])).toEqual([]);
  });
});

describe('UTF-8 helpers', () => {
  it('finds where an unfinished character starts', () => {
    const euro = Buffer.from('a€'); // 61 e2 82 ac
    expect(incompleteTailStart(euro)).toBe(4);
    expect(incompleteTailStart(euro.subarray(0, 3))).toBe(1);
    expect(incompleteTailStart(euro.subarray(0, 2))).toBe(1);
    expect(incompleteTailStart(Buffer.from('ab'))).toBe(2);
  });

  it('agrees with the native check on random bytes', () => {
    for (let i = 0; i < 2000; i++) {
      const bytes = Buffer.from(Array.from({ length: 12 }, () => Math.floor(Math.random() * 256)));
      const valid = Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes);
      expect(firstInvalidUtf8(bytes) === -1).toBe(valid);
    }
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xed, 0xa0, 0x80]))).toBe(1); // a surrogate
    expect(firstInvalidUtf8(Buffer.from([0xc0, 0xaf]))).toBe(0); // overlong
  });
});
