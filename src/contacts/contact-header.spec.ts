import { HeaderError } from '../common/csv/csv-header';
import { readContactHeader } from './contact-header';
import { ContactRowReader, PendingBatch } from './contact-row-reader';
import { REQUIRED_COLUMNS } from './contact-rules';
import { PhoneNumbers } from '../common/phone/phone-number';

const ITALIAN = [
  'Nome',
  'Cognome',
  'Telefono',
  'Cellulare',
  'E-mail',
  'Indirizzo',
  'CAP',
  'Città',
  'Provincia',
  'Note',
];

function refusal(header: string[]): HeaderError {
  try {
    readContactHeader(header, REQUIRED_COLUMNS);
  } catch (error) {
    if (error instanceof HeaderError) return error;
    throw error;
  }
  throw new Error('the header was accepted');
}

describe('a contacts file header', () => {
  it('reads the Italian names as Excel writes them, the mobile as a labelled number', () => {
    const { columns, phones } = readContactHeader(ITALIAN, REQUIRED_COLUMNS);
    expect(columns.index).toMatchObject({
      firstName: 0,
      lastName: 1,
      phone: 2,
      email: 4,
      address: 5,
      postalCode: 6,
      city: 7,
      province: 8,
    });
    expect(phones).toEqual([{ index: 3, name: 'Cellulare', label: 'cellulare' }]);
    // "Note" is no field of a contact: kept as a custom field under its own name.
    expect(columns.custom).toEqual([{ index: 9, key: 'Note', name: 'Note' }]);
  });

  it('ignores letter case, accents, spaces, dots and dashes; English names work too', () => {
    const { columns, phones } = readContactHeader(
      ['first name', 'SURNAME', 'Phone Number', 'Mobile', 'C.A.P.', 'citta', 'Tel. casa'],
      REQUIRED_COLUMNS,
    );
    expect(columns.index).toMatchObject({
      firstName: 0,
      lastName: 1,
      phone: 2,
      postalCode: 4,
      city: 5,
    });
    expect(phones.map((p) => [p.name, p.label])).toEqual([
      ['Mobile', 'cellulare'],
      ['Tel. casa', 'casa'],
    ]);
  });

  it('a list with only a mobile column calls the mobile', () => {
    const { columns, phones } = readContactHeader(
      ['Nome', 'Cognome', 'Cellulare'],
      REQUIRED_COLUMNS,
    );
    expect(columns.index.phone).toBe(2);
    expect(phones).toEqual([]);
  });

  it('two columns for one field are refused, naming both', () => {
    const error = refusal(['Nome', 'firstName', 'Cognome', 'Telefono']);
    expect(error.code).toBe('headerSameField');
    expect(error.message).toBe('columns "Nome" and "firstName" are both firstName');
  });

  it('no phone column at all is still the missing phone', () => {
    const error = refusal(['Nome', 'Cognome', 'Email']);
    expect(error.code).toBe('headerMissing');
    expect(error.message).toMatch(/^missing required column: phone /);
  });

  it('an Italian row: the CAP Excel stripped of its zeros gets them back', () => {
    const rows = new ContactRowReader(
      readContactHeader(ITALIAN, REQUIRED_COLUMNS),
      7,
      new PhoneNumbers('IT'),
      REQUIRED_COLUMNS,
      {},
    );
    const batch = new PendingBatch();
    const values = [
      'Anna',
      'Rossi',
      '06 1234567',
      '333 1234567',
      'anna@example.it',
      'Via Roma 1',
      '184',
      'Roma',
      'rm',
      'chiamare dopo le 18',
    ];
    rows.add(2, values, batch);
    rows.add(3, ['Luca', 'Bianchi', '3331234568', '', '', '', '2012A!', '', '', ''], batch);
    expect(batch.errors).toEqual([
      { line: 3, problems: [{ field: 'postalCode', rule: 'invalidPostalCode', value: '2012A!' }] },
    ]);
    const [row] = batch.rows;
    expect(row!.slice(3, 10)).toEqual([
      '+39061234567',
      'anna@example.it',
      null,
      'Roma',
      'RM',
      'Via Roma 1',
      '00184',
    ]);
  });
});
