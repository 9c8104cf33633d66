import {
  formatDecimal,
  fromCents,
  grossPrice,
  normalizeDecimal,
  toCents,
  UNIT_PRICE_PATTERN,
  VAT_RATE_PATTERN,
  vatCents,
} from './decimal-string';

describe('decimal strings', () => {
  it('normalises to two decimals without going through a float', () => {
    expect(normalizeDecimal('19.9')).toBe('19.90');
    expect(normalizeDecimal('19')).toBe('19.00');
    expect(normalizeDecimal('007.5')).toBe('7.50');
    expect(normalizeDecimal('0')).toBe('0.00');
    expect(normalizeDecimal('9999999999.99')).toBe('9999999999.99');
    // 0.1 + 0.2 style values stay exact.
    expect(normalizeDecimal('0.30')).toBe('0.30');
    expect(() => normalizeDecimal('1.234')).toThrow();
    expect(() => normalizeDecimal('1e3')).toThrow();
  });

  it('accepts prices and VAT rates in range only', () => {
    for (const ok of ['0', '19.9', '19.90', '9999999999.99'])
      expect(UNIT_PRICE_PATTERN.test(ok)).toBe(true);
    for (const bad of ['-1', '1.999', '12345678901', '1,50', '', '.5', '5.', ' 5', '1e2', 'NaN'])
      expect(UNIT_PRICE_PATTERN.test(bad)).toBe(false);
    for (const ok of ['0', '4', '10.5', '22.00', '99.99', '100', '100.0', '100.00'])
      expect(VAT_RATE_PATTERN.test(ok)).toBe(true);
    for (const bad of ['100.01', '101', '-1', '22.001', '1000', 'abc'])
      expect(VAT_RATE_PATTERN.test(bad)).toBe(false);
  });

  it('computes in cents', () => {
    expect(toCents('19.9')).toBe(1990n);
    expect(fromCents(1990n)).toBe('19.90');
    expect(fromCents(5n)).toBe('0.05');
    expect(fromCents(-5n)).toBe('-0.05');
    expect(toCents('9999999999.99')).toBe(999999999999n);
  });

  it('adds VAT rounding half up to the cent', () => {
    expect(grossPrice('19.90', '22.00')).toBe('24.28'); // 24.278
    expect(grossPrice('10.00', '22.00')).toBe('12.20');
    expect(grossPrice('0.05', '10.00')).toBe('0.06'); // 0.055 → 0.06
    expect(grossPrice('100.00', '0')).toBe('100.00');
    expect(grossPrice('9999999999.99', '100.00')).toBe('19999999999.98');
  });

  it('formats for the page language', () => {
    expect(formatDecimal('1234567.5', 'it')).toBe('1.234.567,50');
    expect(formatDecimal('1234567.5', 'en')).toBe('1,234,567.50');
    expect(formatDecimal('19.9', 'it')).toBe('19,90');
    expect(formatDecimal('999', 'en')).toBe('999.00');
  });
});

describe('vatCents', () => {
  it('rounds the VAT of a line half up to the cent', () => {
    expect(vatCents(1990n, '22.00')).toBe(438n); // 4.378
    expect(vatCents(250n, '22.00')).toBe(55n); // 0.55
    expect(vatCents(1n, '50.00')).toBe(1n); // 0.005
    expect(vatCents(3333n, '10.00')).toBe(333n); // 3.333
    expect(vatCents(1000n, '0')).toBe(0n);
  });
});
