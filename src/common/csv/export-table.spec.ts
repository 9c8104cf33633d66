import { PassThrough } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import ExcelJS from 'exceljs';
import { EXCEL_IT, PLAIN } from './export-dialect';
import { csvStream, type ExportTable, writeXlsx } from './export-table';

/** The bytes as UTF-8 text, the BOM kept (a TextDecoder would drop it). */
const text = async (stream: NodeJS.ReadableStream) => (await buffer(stream)).toString('utf8');

const table = (): ExportTable => ({
  name: 't',
  zone: 'Europe/Rome',
  columns: [
    { key: 'notes', kind: 'text' },
    { key: 'total', kind: 'money' },
    { key: 'date', kind: 'localTime' },
    { key: 'lastOutcomeAt', kind: 'instant' },
    { key: 'consent', kind: 'flag' },
    { key: 'status', kind: 'word', words: 'contractStatus' },
    { key: 'day', kind: 'day' },
  ],
  batches: [
    [
      [
        '=1+1; "quoted"',
        '1234.50',
        new Date('2026-07-01T07:05:00Z'),
        new Date('2026-01-31T23:30:00Z'),
        true,
        'cancelled',
        '2026-12-24',
      ],
      [null, null, null, null, null, null, null],
    ],
  ],
});

describe('the export writer', () => {
  it('writes the plain dialect as the product always did', async () => {
    expect(await text(csvStream(table(), PLAIN))).toBe(
      '\uFEFFnotes,total,date,lastOutcomeAt,consent,status,day\n' +
        `"'=1+1; ""quoted""",1234.50,2026-07-01 09:05,2026-01-31T23:30:00.000Z,yes,cancelled,2026-12-24\n` +
        ',,,,,,\n',
    );
  });

  it('writes the Italian Excel dialect: semicolons, decimal comma, local dates, Italian words', async () => {
    expect(await text(csvStream(table(), EXCEL_IT))).toBe(
      '\uFEFFNote;Totale;Data e ora;Data ultimo esito;Consenso;Stato;Giorno\r\n' +
        `"'=1+1; ""quoted""";1234,50;01/07/2026 09:05;01/02/2026 00:30;Sì;Annullato;24/12/2026\r\n` +
        ';;;;;;\r\n',
    );
  });

  it('goes on to another sheet, headers and all, when a sheet is full (Excel holds 1,048,576 rows a sheet)', async () => {
    const rows = Array.from({ length: 7 }, (_, i) => [`nota ${i + 1}`, `${i + 1}.50`]);
    const sevenRows: ExportTable = {
      name: 'esitazione',
      zone: 'Europe/Rome',
      columns: [
        { key: 'notes', kind: 'text' },
        { key: 'total', kind: 'money' },
      ],
      batches: [rows.slice(0, 5), rows.slice(5)],
    };
    const out = new PassThrough();
    const [bytes] = await Promise.all([buffer(out), writeXlsx(sevenRows, EXCEL_IT, out, 3)]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheets = book.worksheets.map((sheet) => ({
      name: sheet.name,
      rows: sheet
        .getSheetValues()
        .slice(1)
        .map((row) => (row as unknown[]).slice(1)),
    }));
    expect(sheets).toEqual([
      {
        name: 'esitazione',
        rows: [
          ['Note', 'Totale'],
          ['nota 1', 1.5],
          ['nota 2', 2.5],
          ['nota 3', 3.5],
        ],
      },
      {
        name: 'esitazione (2)',
        rows: [
          ['Note', 'Totale'],
          ['nota 4', 4.5],
          ['nota 5', 5.5],
          ['nota 6', 6.5],
        ],
      },
      {
        name: 'esitazione (3)',
        rows: [
          ['Note', 'Totale'],
          ['nota 7', 7.5],
        ],
      },
    ]);
  });
});
