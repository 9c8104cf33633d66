import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { ValidationError } from '../common/errors/domain-errors';
import type { PhoneNumbers } from '../common/phone/phone-number';

/** Number types a call centre does not call back: paid by the caller, or no person behind them. */
const REFUSED_TYPES = new Set([
  'PREMIUM_RATE',
  'SHARED_COST',
  'TOLL_FREE',
  'UAN',
  'VOICEMAIL',
  'PAGER',
]);

/** The type of an E.164 number a call centre does not call back ("PREMIUM_RATE"...), if it is one. */
export function refusedPhoneType(phone: string): string | undefined {
  const type = parsePhoneNumberFromString(phone)?.getType();
  return type !== undefined && REFUSED_TYPES.has(type) ? type : undefined;
}

/** The caller's number in E.164 if it can be called back; else a 400 naming `phone`. */
export function callablePhone(phones: PhoneNumbers, raw: string): string {
  const phone = phones.normalise(raw);
  if (!phone)
    throw new ValidationError('phone', `phone: "${raw.slice(0, 40)}" is not a valid phone number`);
  const type = refusedPhoneType(phone);
  if (type !== undefined) {
    throw new ValidationError(
      'phone',
      `phone: ${phone} is a ${type.toLowerCase().replace(/_/g, '-')} number; callbacks go to a personal landline or mobile`,
    );
  }
  return phone;
}
