import {
  type CountryCode,
  getCountryCallingCode,
  isSupportedCountry,
  parsePhoneNumberFromString,
} from 'libphonenumber-js/max';

/** The longest text we try to read as a phone number (anything longer is not one). */
export const PHONE_INPUT_MAX_LENGTH = 40;

const PLAIN_DIGITS = /^\+?[0-9]+$/;
const SPACED_DIGITS = /^\+?[0-9][0-9 .-]*$/;
const SEPARATORS = /[ .-]/g;

/** What a contact search for a phone number looks for in E.164 form. */
export type PhoneSearch = { exact: string } | { prefix: string };

/**
 * Phone numbers in, E.164 out (`+393331234567`), read the way an Italian call centre
 * writes them: national numbers belong to the default country, `00` and `+` introduce an
 * international one. Validation uses the full metadata, so `333` or `02 12` are refused.
 */
export class PhoneNumbers {
  private readonly callingCode: string;
  /** Italian mobiles written as plain digits, the bulk of any list: read without the library. */
  private readonly fastNational: RegExp | null;

  constructor(readonly defaultCountry: string) {
    if (!isSupportedCountry(defaultCountry)) {
      throw new Error(`DEFAULT_PHONE_COUNTRY ${defaultCountry} is not a known country code`);
    }
    this.callingCode = getCountryCallingCode(defaultCountry);
    // Italian mobiles (the metadata's pattern: 3[2-9] + 7-8 digits, or 31 + 8 digits) are
    // valid whatever follows; phone-number.spec.ts checks the library agrees, prefix by prefix.
    this.fastNational = defaultCountry === 'IT' ? /^(?:3[2-9][0-9]{7,8}|31[0-9]{8})$/ : null;
  }

  /** The number in E.164, or null when it is not a valid phone number. */
  normalise(raw: string): string | null {
    if (raw.length > PHONE_INPUT_MAX_LENGTH) return null;
    const text = raw.trim();
    if (this.fastNational) {
      const fast = this.fastPath(text);
      if (fast !== undefined) return fast;
    }
    const parsed = parsePhoneNumberFromString(text, {
      defaultCountry: this.defaultCountry as CountryCode,
      extract: false,
    });
    // An extension cannot be dialled by the dialer: refuse rather than drop it silently.
    if (!parsed || parsed.ext || !parsed.isValid()) return null;
    return parsed.number;
  }

  /**
   * What a search box's text means as a phone number: a whole valid number is looked up
   * exactly; a few digits are taken as the beginning of a number; words are not a phone.
   */
  searchFor(raw: string): PhoneSearch | null {
    const text = raw.trim();
    if (!/^\+?[0-9][0-9 ()./-]*$/.test(text)) return null;
    const digits = text.replace(/[^0-9]/g, '');
    if (digits.length < 3) return null;
    const exact = this.normalise(text);
    if (exact) return { exact };
    if (text.startsWith('+')) return { prefix: `+${digits}` };
    if (digits.startsWith('00')) return { prefix: `+${digits.slice(2)}` };
    return { prefix: `+${this.callingCode}${digits}` };
  }

  /**
   * Digits (spaced or dashed as lists write them), `+39…` or `0039…` with an Italian mobile;
   * undefined = ask the library.
   */
  private fastPath(typed: string): string | null | undefined {
    let text = typed;
    if (!PLAIN_DIGITS.test(text)) {
      if (!SPACED_DIGITS.test(text)) return undefined;
      text = text.replace(SEPARATORS, '');
    }
    let national: string;
    const first = text.charCodeAt(0);
    if (first === 43 /* + */ && text.startsWith('+39')) national = text.slice(3);
    else if (first === 48 /* 0 */ && text.startsWith('0039')) national = text.slice(4);
    else national = text;
    return this.fastNational?.test(national) ? `+39${national}` : undefined;
  }
}
