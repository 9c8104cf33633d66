import { CONTACT_LIMITS, REQUIRED_COLUMNS, STANDARD_COLUMNS } from './contact-rules';
import { ContactRowReader, PendingBatch } from './contact-row-reader';
import { readHeader } from './csv/csv-header';
import { PhoneNumbers } from './phone-number';

const phones = new PhoneNumbers('IT');

function reader(header: string[], defaults = {}, required = REQUIRED_COLUMNS): ContactRowReader {
  const columns = readHeader(header, {
    known: STANDARD_COLUMNS,
    required,
    maxCustom: CONTACT_LIMITS.customFields,
    maxCustomKey: CONTACT_LIMITS.customFieldKey,
  });
  return new ContactRowReader(columns, 7, phones, required, defaults);
}

describe('ContactRowReader', () => {
  it('turns a good row into INSERT parameters, values cleaned up', () => {
    const rows = reader([
      'firstName',
      'lastName',
      'phone',
      'email',
      'language',
      'province',
      'consent',
      'tags',
      'contract',
    ]);
    const batch = new PendingBatch();
    rows.add(
      2,
      [' Anna ', 'Rossi', '333 123 4567', 'anna@example.it', 'IT', 'mi', 'yes', 'vip', 'C-1'],
      batch,
    );
    expect(batch).toMatchObject({ records: 1, lastLine: 2, errorCount: 0, errors: [] });
    expect(batch.phones).toEqual(['+393331234567']);
    const [row] = batch.rows;
    expect(row!.slice(0, 9)).toEqual([
      7,
      'Anna',
      'Rossi',
      '+393331234567',
      'anna@example.it',
      'it',
      null,
      'MI',
      JSON.stringify({ contract: 'C-1' }),
    ]);
    // call reason, channel, consent
    expect(row!.slice(9, 12)).toEqual([null, null, 1]);
  });

  it('names every problem of a bad row with its line, and writes nothing of it', () => {
    const rows = reader(['firstName', 'lastName', 'phone', 'email', 'preferredChannel']);
    const batch = new PendingBatch();
    rows.add(5, ['', 'Rossi', '12', 'not-an-email', 'fax', 'extra'], batch);
    expect(batch.rows).toEqual([]);
    expect(batch.errorCount).toBe(1);
    expect(batch.errors).toHaveLength(1);
    expect(batch.errors[0]!.line).toBe(5);
    expect(batch.errors[0]!.problems.map((p) => `${p.field}:${p.rule}`)).toEqual([
      'row:extraValues',
      'firstName:required',
      'phone:invalidPhone',
      'email:invalidEmail',
      'preferredChannel:invalidChannel',
    ]);
  });

  it("fills the list's defaults into rows that leave them empty", () => {
    const rows = reader(['firstName', 'lastName', 'phone', 'tags'], {
      callReason: 'outage',
      tags: ['outage'],
    });
    const batch = new PendingBatch();
    rows.add(2, ['Anna', 'Rossi', '3331234567', 'vip'], batch);
    expect(batch.rows[0]![9]).toBe('outage');
    expect(batch.rows[0]![12]).toContain('outage');
    expect(batch.rows[0]![12]).toContain('vip');
  });

  it('skips rows of empty cells', () => {
    const rows = reader(['firstName', 'lastName', 'phone']);
    expect(rows.isBlank(['', ' ', ''])).toBe(true);
    expect(rows.isBlank(['', 'x'])).toBe(false);
  });
});
