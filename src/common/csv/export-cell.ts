/**
 * The cells of an exported table: what each column holds, so that every dialect and XLSX
 * write it their way (src/common/csv/export-table.ts).
 */

/** What a column holds, which decides how each dialect and XLSX write it. */
export type CellKind =
  /** free text (defused against formulas in CSV) */
  | 'text'
  | 'integer'
  /** a DECIMAL as the database gives it ("0.2500"), or a number */
  | 'decimal'
  /** a DECIMAL amount ("19.90"): XLSX writes a number with two decimals */
  | 'money'
  /** a moment: plain CSV writes it ISO 8601 in UTC, the others as a local time */
  | 'instant'
  /** a moment written as a local time ("2026-11-30 09:15") in the table's or the cell's zone */
  | 'localTime'
  /** a calendar day, "2026-11-30" */
  | 'day'
  /** true / false: yes / no, Sì / No */
  | 'flag'
  /** a word of the product's (a contract's status): the Italian dialect translates it */
  | 'word';

export type WordGroup = 'contractStatus' | 'contactState';

export interface ExportColumn {
  /** The column's stable name: the plain header, and the Italian header's key. */
  key: string;
  kind: CellKind;
  /** A header chosen by users (a step's title, a status code): written as it is. */
  title?: string;
  /** Appended to the key's header: `paused:BREAK` plain, "In pausa (secondi): BREAK" Italian. */
  suffix?: string;
  /** The vocabulary of a `word` column. */
  words?: WordGroup;
}

/** A moment with its own zone, for tables whose rows belong to different campaigns. */
export interface ZonedInstant {
  at: Date;
  zone: string;
}

export type Cell = string | number | boolean | Date | ZonedInstant | null | undefined;
export type Row = readonly Cell[];

/** A cell as text, for the kinds that hold text. */
export function stringOf(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'number' || typeof cell === 'boolean') return String(cell);
  if (cell instanceof Date) return cell.toISOString();
  return cell.at.toISOString();
}

/** A moment cell and the zone it is read in (its own, or the table's). */
export function momentOf(cell: Cell, zone: string): ZonedInstant | null {
  if (cell instanceof Date) return { at: cell, zone };
  if (cell !== null && typeof cell === 'object') return cell;
  return null;
}
