/**
 * Money and percentages as decimal strings, never floats: "19.9" is normalised to
 * "19.90" and sums are done in integer cents (BigInt).
 */

/** Up to 10 integer digits and 2 decimals: what DECIMAL(12,2) holds. */
export const UNIT_PRICE_PATTERN = /^\d{1,10}(\.\d{1,2})?$/;
/** 0 to 100 with up to 2 decimals. */
export const VAT_RATE_PATTERN = /^(100(\.0{1,2})?|\d{1,2}(\.\d{1,2})?)$/;

const DECIMAL = /^(\d+)(?:\.(\d{1,2}))?$/;

/** "007.5" → "7.50"; the input must already be a plain decimal with at most 2 decimals. */
export function normalizeDecimal(value: string): string {
  const match = DECIMAL.exec(value);
  if (!match) throw new Error(`not a decimal with at most 2 decimals: ${value}`);
  const integer = (match[1] ?? '0').replace(/^0+(?=\d)/, '');
  return `${integer}.${(match[2] ?? '').padEnd(2, '0')}`;
}

/** "19.90" → 1990n */
export function toCents(value: string): bigint {
  const [integer, fraction] = normalizeDecimal(value).split('.');
  return BigInt(integer ?? '0') * 100n + BigInt(fraction ?? '0');
}

/** 1990n → "19.90" */
export function fromCents(cents: bigint): string {
  const sign = cents < 0n ? '-' : '';
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/** Price with VAT, rounded half up to the cent: ("19.90", "22.00") → "24.28". */
export function grossPrice(unitPrice: string, vatRate: string): string {
  const net = toCents(unitPrice);
  const rate = toCents(vatRate); // hundredths of a percent: 22.00 % → 2200
  const numerator = net * (10_000n + rate);
  return fromCents((numerator + 5_000n) / 10_000n);
}

/** "1234.50" → "1.234,50" (it) or "1,234.50" (en), for pages only. */
export function formatDecimal(value: string, lang: string): string {
  const [integer = '0', fraction = '00'] = normalizeDecimal(value).split('.');
  const [group, point] = lang === 'en' ? [',', '.'] : ['.', ','];
  return `${integer.replace(/\B(?=(\d{3})+(?!\d))/g, group)}${point}${fraction}`;
}

/** VAT on a net amount in cents, rounded half up to the cent: (1990n, "22.00") → 438n. */
export function vatCents(netCents: bigint, vatRate: string): bigint {
  return (netCents * toCents(vatRate) + 5_000n) / 10_000n;
}
