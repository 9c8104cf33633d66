import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { PhoneNumbers } from './phone-number';

describe('PhoneNumbers', () => {
  const italy = new PhoneNumbers('IT');

  it('writes Italian numbers in E.164 however they are typed', () => {
    for (const typed of [
      '3331234567',
      '333 123 4567',
      '333-123-4567',
      '+39 333 1234567',
      '0039 333 1234567',
      ' +393331234567 ',
      '333.123.4567',
      '+39 333-123 45 67',
    ]) {
      expect(italy.normalise(typed)).toBe('+393331234567');
    }
    expect(italy.normalise('02 1234 5678')).toBe('+390212345678');
    expect(italy.normalise('+44 20 7946 0958')).toBe('+442079460958');
  });

  it('refuses what is not a dialable number', () => {
    for (const bad of ['', '333', 'abc', '12345', '+39', 'tel 3331234567', '3331234567 ext 5']) {
      expect(italy.normalise(bad)).toBeNull();
    }
    expect(italy.normalise('3'.repeat(41))).toBeNull();
  });

  it('agrees with the library on every Italian prefix (the fast path is only a shortcut)', () => {
    const slow = (text: string): string | null => {
      const parsed = parsePhoneNumberFromString(text, { defaultCountry: 'IT', extract: false });
      return parsed && !parsed.ext && parsed.isValid() ? parsed.number : null;
    };
    let checked = 0;
    for (let prefix = 300; prefix <= 399; prefix++) {
      for (let length = 8; length <= 11; length++) {
        for (let sample = 0; sample < 25; sample++) {
          let digits = String(prefix);
          while (digits.length < length) digits += String(Math.floor(Math.random() * 10));
          const spaced = `${digits.slice(0, 3)} ${digits.slice(3, 6)}-${digits.slice(6)}`;
          for (const text of [digits, `+39${digits}`, `0039${digits}`, spaced, `+39 ${spaced}`]) {
            expect([text, italy.normalise(text)]).toEqual([text, slow(text)]);
            checked++;
          }
        }
      }
    }
    expect(checked).toBe(100 * 4 * 25 * 5);
  });

  it('reads a search box as an exact number, the beginning of one, or not a phone', () => {
    expect(italy.searchFor('333 123 4567')).toEqual({ exact: '+393331234567' });
    expect(italy.searchFor('333 12')).toEqual({ prefix: '+3933312' });
    expect(italy.searchFor('+44 20')).toEqual({ prefix: '+4420' });
    expect(italy.searchFor('0044 20')).toEqual({ prefix: '+4420' });
    expect(italy.searchFor('Rossi')).toBeNull();
    expect(italy.searchFor('12')).toBeNull();
  });

  it('refuses an unknown default country at start-up', () => {
    expect(() => new PhoneNumbers('XX')).toThrow(/DEFAULT_PHONE_COUNTRY XX/);
    expect(new PhoneNumbers('GB').normalise('020 7946 0958')).toBe('+442079460958');
  });
});
