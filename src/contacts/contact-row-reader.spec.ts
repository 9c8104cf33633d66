import { REQUIRED_COLUMNS, ruleMessage } from './contact-rules';
import { ContactRowReader, PendingBatch } from './contact-row-reader';
import { readContactHeader } from './contact-header';
import { PhoneNumbers } from '../common/phone/phone-number';

const phones = new PhoneNumbers('IT');

function reader(header: string[], defaults = {}, required = REQUIRED_COLUMNS): ContactRowReader {
  return new ContactRowReader(readContactHeader(header, required), 7, phones, required, defaults);
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
    expect(row!.slice(0, 11)).toEqual([
      7,
      'Anna',
      'Rossi',
      '+393331234567',
      'anna@example.it',
      'it',
      null,
      'MI',
      null,
      null,
      JSON.stringify({ contract: 'C-1' }),
    ]);
    // call reason, channel, consent
    expect(row!.slice(11, 14)).toEqual([null, null, 1]);
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
    expect(batch.rows[0]![11]).toBe('outage');
    expect(batch.rows[0]![14]).toContain('outage');
    expect(batch.rows[0]![14]).toContain('vip');
  });

  it('keeps the phone:<label> columns as labelled numbers beside the main one', () => {
    const rows = reader([
      'firstName',
      'lastName',
      'phone',
      'phone:casa',
      'phone: ufficio ',
      'note',
    ]);
    const batch = new PendingBatch();
    rows.add(2, ['Anna', 'Rossi', '333 123 4567', '02 1234 5678', '', 'n'], batch);
    // The same number twice (and the main one again) is kept once.
    rows.add(3, ['Bruno', 'Verdi', '3471112233', '+39 347 111 2233', '0212345678'], batch);
    expect(batch.errors).toEqual([]);
    const others = batch.rows.map((row) => row[15]);
    expect(others).toEqual([
      JSON.stringify([{ number: '+390212345678', label: 'casa' }]),
      JSON.stringify([{ number: '+390212345678', label: 'ufficio' }]),
    ]);
    // Only the other columns are custom fields.
    expect(batch.rows[0]![10]).toBe(JSON.stringify({ note: 'n' }));
  });

  it('refuses a row whose other number is not one, naming its column', () => {
    const rows = reader(['firstName', 'lastName', 'phone', 'phone:casa']);
    const batch = new PendingBatch();
    rows.add(4, ['Anna', 'Rossi', '3331234567', '12'], batch);
    expect(batch.rows).toEqual([]);
    expect(batch.errors).toEqual([
      { line: 4, problems: [{ field: 'phone:casa', rule: 'invalidPhone', value: '12' }] },
    ]);
    expect(ruleMessage(batch.errors[0]!.problems[0]!)).toBe(
      'phone:casa "12" is not a valid phone number',
    );
  });

  it('refuses a header whose other-number column has no label, or too many of them', () => {
    expect(() => reader(['firstName', 'lastName', 'phone', 'phone:'])).toThrow(
      expect.objectContaining({ code: 'headerPhoneLabel' }) as Error,
    );
    expect(() => reader(['firstName', 'lastName', 'phone', `phone:${'x'.repeat(31)}`])).toThrow(
      expect.objectContaining({ code: 'headerPhoneLabel' }) as Error,
    );
    const five = ['a', 'b', 'c', 'd', 'e'].map((label) => `phone:${label}`);
    expect(() => reader(['firstName', 'lastName', 'phone', ...five])).toThrow(
      expect.objectContaining({ code: 'headerTooManyPhones' }) as Error,
    );
  });

  it('skips rows of empty cells', () => {
    const rows = reader(['firstName', 'lastName', 'phone']);
    expect(rows.isBlank(['', ' ', ''])).toBe(true);
    expect(rows.isBlank(['', 'x'])).toBe(false);
  });
});
