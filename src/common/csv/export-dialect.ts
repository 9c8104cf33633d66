import italian from '../../i18n/it/exports.json';
import { wallClock } from '../time/wall-clock';
import { type Cell, type ExportColumn, momentOf, stringOf, type WordGroup } from './export-cell';
import { safeCell } from './safe-cell';

/**
 * How a CSV is written for its reader: the separator, the BOM, the headers, and how numbers,
 * dates and the product's words read. `plain` is the product's first CSV (comma, dot
 * decimals, ISO dates, English keys); `excel-it` opens in columns in an Italian Excel
 * (semicolon, decimal comma, dd/mm/yyyy hh:mm, Italian headers and values, Sì/No).
 */
export interface ExportDialect {
  id: ExportDialectId;
  separator: string;
  newline: string;
  bom: boolean;
  header(column: ExportColumn): string;
  /** The cell's text in this dialect, for one column (built once per column, called per cell). */
  cellWriter(column: ExportColumn, zone: string): (cell: Cell) => string;
  /** Excel number formats of dates in XLSX. */
  xlsxDateTime: string;
  xlsxDay: string;
}

export const EXPORT_DIALECTS = ['plain', 'excel-it'] as const;
export type ExportDialectId = (typeof EXPORT_DIALECTS)[number];
/** What `dialect=` takes: shared/DESIGN.md spells the Italian one `it`. */
export const DIALECT_NAMES = ['plain', 'excel-it', 'it'] as const;

interface Spelling {
  decimal(text: string): string;
  /** A moment written as a local time. */
  localTime(wall: Date): string;
  /** A moment in a column of instants (plain: ISO 8601 UTC). */
  instant(at: Date, zone: string): string;
  day(day: string): string;
  flag(value: boolean): string;
  word(group: WordGroup, value: string): string;
  header(column: ExportColumn): string;
}

const two = (n: number) => (n < 10 ? `0${n}` : String(n));

function isoLocal(wall: Date): string {
  return `${wall.getUTCFullYear()}-${two(wall.getUTCMonth() + 1)}-${two(wall.getUTCDate())} ${two(wall.getUTCHours())}:${two(wall.getUTCMinutes())}`;
}

function italianLocal(wall: Date): string {
  return `${two(wall.getUTCDate())}/${two(wall.getUTCMonth() + 1)}/${wall.getUTCFullYear()} ${two(wall.getUTCHours())}:${two(wall.getUTCMinutes())}`;
}

const HEADERS: Record<string, string> = italian.headers;
const WORDS: Record<WordGroup, Record<string, string>> = italian.words;

function dialect(
  id: ExportDialectId,
  layout: Pick<ExportDialect, 'separator' | 'newline' | 'bom' | 'xlsxDateTime' | 'xlsxDay'>,
  spell: Spelling,
): ExportDialect {
  return {
    id,
    ...layout,
    header: (column) => spell.header(column),
    cellWriter(column, zone) {
      switch (column.kind) {
        case 'text':
          return (cell) => safeCell(stringOf(cell));
        case 'integer':
          return (cell) => stringOf(cell);
        case 'decimal':
        case 'money':
          return (cell) => spell.decimal(stringOf(cell));
        case 'instant':
        case 'localTime': {
          const asInstant = column.kind === 'instant';
          return (cell) => {
            const moment = momentOf(cell, zone);
            if (!moment) return '';
            return asInstant
              ? spell.instant(moment.at, moment.zone)
              : spell.localTime(wallClock(moment.at, moment.zone));
          };
        }
        case 'day':
          return (cell) => (typeof cell === 'string' && cell !== '' ? spell.day(cell) : '');
        case 'flag':
          return (cell) => (typeof cell === 'boolean' ? spell.flag(cell) : '');
        case 'word': {
          const group = column.words;
          return (cell) => {
            const text = stringOf(cell);
            return safeCell(group ? spell.word(group, text) : text);
          };
        }
      }
    },
  };
}

export const PLAIN: ExportDialect = dialect(
  'plain',
  {
    separator: ',',
    newline: '\n',
    bom: true,
    xlsxDateTime: 'yyyy-mm-dd hh:mm',
    xlsxDay: 'yyyy-mm-dd',
  },
  {
    decimal: (text) => text,
    localTime: isoLocal,
    instant: (at) => at.toISOString(),
    day: (day) => day,
    flag: (value) => (value ? 'yes' : 'no'),
    word: (_group, value) => value,
    header: (column) =>
      column.title ?? (column.suffix === undefined ? column.key : `${column.key}:${column.suffix}`),
  },
);

export const EXCEL_IT: ExportDialect = dialect(
  'excel-it',
  {
    separator: ';',
    newline: '\r\n',
    bom: true,
    xlsxDateTime: 'dd/mm/yyyy hh:mm',
    xlsxDay: 'dd/mm/yyyy',
  },
  {
    decimal: (text) => text.replace('.', ','),
    localTime: italianLocal,
    instant: (at, zone) => italianLocal(wallClock(at, zone)),
    day: (day) => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`,
    flag: (value) => (value ? italian.flags.yes : italian.flags.no),
    word: (group, value) => WORDS[group][value] ?? value,
    header: (column) => {
      if (column.title !== undefined) return column.title;
      const name = HEADERS[column.key] ?? column.key;
      return column.suffix === undefined ? name : `${name}: ${column.suffix}`;
    },
  },
);

/** The dialect a `dialect=` value names (the DTOs have checked it is one of DIALECT_NAMES). */
export function exportDialect(name: string | undefined): ExportDialect {
  return name === 'excel-it' || name === 'it' ? EXCEL_IT : PLAIN;
}
