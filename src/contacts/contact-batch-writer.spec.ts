import { writtenColumns } from './contact-batch-writer';
import type { InsertRow } from './contact-row-reader';

/** A row as ContactRowReader makes it: campaign, names, phone, ..., list (17 columns). */
function row(values: Record<number, string | number>): InsertRow {
  const result: InsertRow = [7, 'Anna', 'Rossi', '+393331234567'];
  for (let c = 4; c < 16; c++) result.push(values[c] ?? null);
  result.push(values[16] ?? null);
  return result;
}

describe('writtenColumns', () => {
  it('leaves out the optional columns no row of the batch fills', () => {
    const { columns, rows } = writtenColumns([
      row({ 4: 'a@example.it', 16: 12 }),
      row({ 6: 'Roma', 16: 12 }),
    ]);
    expect(columns).toEqual([0, 1, 2, 3, 4, 6, 16]);
    expect(rows).toEqual([
      [7, 'Anna', 'Rossi', '+393331234567', 'a@example.it', null, 12],
      [7, 'Anna', 'Rossi', '+393331234567', null, 'Roma', 12],
    ]);
  });

  it('always writes the campaign, names, phone and list, even a list that is null', () => {
    const { columns, rows } = writtenColumns([row({})]);
    expect(columns).toEqual([0, 1, 2, 3, 16]);
    expect(rows).toEqual([[7, 'Anna', 'Rossi', '+393331234567', null]]);
  });

  it('keeps the rows as they are when every column is filled somewhere', () => {
    const full = row(Object.fromEntries(Array.from({ length: 13 }, (_, i) => [i + 4, `v${i}`])));
    const batch = [full];
    expect(writtenColumns(batch).rows).toBe(batch);
  });
});
