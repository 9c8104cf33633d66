import type CodiceFiscaleClass from 'codice-fiscale-js';
import * as codiceFiscaleJs from 'codice-fiscale-js';
import {
  checkContractField,
  isContractFieldName,
  isFiscalCode,
  isVatNumber,
  normaliseContractField,
} from './contract-fields';

// The package's build exports { CodiceFiscale }, not the default its types declare.
const CodiceFiscale = (codiceFiscaleJs as unknown as { CodiceFiscale: typeof CodiceFiscaleClass })
  .CodiceFiscale;

describe('contract fields', () => {
  it('knows the standard fields and custom:<name>, nothing else', () => {
    expect(isContractFieldName('fiscalCode')).toBe(true);
    expect(isContractFieldName('pdr')).toBe(true);
    expect(isContractFieldName('custom:meter_reading')).toBe(true);
    expect(isContractFieldName('fiscal_code')).toBe(false);
    expect(isContractFieldName('custom:')).toBe(false);
    expect(isContractFieldName('custom:Bad Name')).toBe(false);
  });

  describe('fiscal code', () => {
    it('accepts real-looking codes, typed in lower case with spaces', () => {
      expect(checkContractField('fiscalCode', 'rss mra 85t10 a562s')).toEqual({
        ok: true,
        value: 'RSSMRA85T10A562S',
      });
      // Omocodia: digits replaced by letters, the check letter recomputed.
      expect(isFiscalCode('RSSMRA85T10A56NH')).toBe(true);
      // A company's fiscal code is its 11-digit number.
      expect(isFiscalCode('01234567897')).toBe(true);
    });

    it('refuses a wrong check letter, a wrong shape and a company number with a wrong digit', () => {
      const refused = checkContractField('fiscalCode', 'RSSMRA85T10A562T');
      expect(refused).toMatchObject({ ok: false, problem: 'fiscalCode' });
      expect(isFiscalCode('RSSMRA85Z10A562S')).toBe(false); // Z is no month
      expect(isFiscalCode('RSSMRA85T10A562')).toBe(false);
      expect(isFiscalCode('01234567890')).toBe(false);
    });

    it('agrees with codice-fiscale-js on every check letter of many codes', () => {
      // Codes computed by the library for varied people, then each of the 26 last letters.
      const people = [
        ['Mario', 'Rossi', 'M', 10, 12, 1985, 'Roma', 'RM'],
        ['Giulia', 'Bianchi', 'F', 3, 4, 1992, 'Milano', 'MI'],
        ['Xu', 'Li', 'F', 31, 1, 2001, 'Napoli', 'NA'],
        ['Anna', 'De Luca', 'F', 29, 2, 1960, 'Torino', 'TO'],
        ['Luca', 'Ferri', 'M', 1, 9, 1977, 'Bologna', 'BO'],
      ] as const;
      let compared = 0;
      for (const [
        name,
        surname,
        gender,
        day,
        month,
        year,
        birthplace,
        birthplaceProvincia,
      ] of people) {
        const code = CodiceFiscale.compute({
          name,
          surname,
          gender,
          day,
          month,
          year,
          birthplace,
          birthplaceProvincia,
        });
        for (const variant of [code, ...CodiceFiscale.getOmocodie(code)]) {
          for (let letter = 0; letter < 26; letter++) {
            const candidate = variant.slice(0, 15) + String.fromCharCode(65 + letter);
            expect(isFiscalCode(candidate)).toBe(CodiceFiscale.check(candidate));
            compared++;
          }
        }
      }
      expect(compared).toBeGreaterThan(26 * 5);
    });
  });

  describe('VAT number', () => {
    it('accepts 11 digits with their check digit, with or without IT', () => {
      expect(checkContractField('vatNumber', 'IT 012 345 678 97')).toEqual({
        ok: true,
        value: '01234567897',
      });
      expect(isVatNumber('12345678903')).toBe(true);
    });

    it('refuses a wrong check digit, zeros and letters', () => {
      expect(isVatNumber('12345678901')).toBe(false);
      expect(isVatNumber('00000000000')).toBe(false);
      expect(checkContractField('vatNumber', '0123456789A')).toMatchObject({
        ok: false,
        problem: 'vatNumber',
      });
    });
  });

  describe('IBAN', () => {
    it('accepts an Italian and a German IBAN as printed, stores them without spaces', () => {
      expect(checkContractField('iban', 'it60 x054 2811 1010 0000 0123 456')).toEqual({
        ok: true,
        value: 'IT60X0542811101000000123456',
      });
      expect(checkContractField('iban', 'DE89 3704 0044 0532 0130 00')).toMatchObject({
        ok: true,
      });
    });

    it('refuses a wrong checksum, a wrong length and a made-up country', () => {
      for (const bad of [
        'IT61X0542811101000000123456',
        'IT60X054281110100000012345',
        'XX60X0542811101000000123456',
      ]) {
        expect(checkContractField('iban', bad)).toMatchObject({ ok: false, problem: 'iban' });
      }
    });
  });

  it('POD is IT, 3 digits, E and 8 digits; PDR 14 digits', () => {
    expect(checkContractField('pod', 'it001e12345678')).toEqual({
      ok: true,
      value: 'IT001E12345678',
    });
    expect(checkContractField('pod', 'IT001F12345678')).toMatchObject({
      ok: false,
      problem: 'pod',
    });
    expect(checkContractField('pod', 'IT001E1234567')).toMatchObject({ ok: false });
    expect(checkContractField('pdr', '0012 3456 7890 12')).toEqual({
      ok: true,
      value: '00123456789012',
    });
    expect(checkContractField('pdr', '0012345678901')).toMatchObject({ ok: false, problem: 'pdr' });
  });

  it('a document number is upper case without spaces; an address keeps single spaces', () => {
    expect(checkContractField('documentNumber', 'ca 12345 ab')).toEqual({
      ok: true,
      value: 'CA12345AB',
    });
    expect(checkContractField('documentNumber', 'x!')).toMatchObject({ ok: false });
    expect(normaliseContractField('supplyAddress', '  Via Roma  1,\n Milano ')).toBe(
      'Via Roma 1, Milano',
    );
    expect(checkContractField('supplyAddress', 'x'.repeat(301))).toMatchObject({
      ok: false,
      problem: 'tooLong',
    });
    expect(checkContractField('custom:colour', ' Blu ')).toEqual({ ok: true, value: 'Blu' });
  });
});
