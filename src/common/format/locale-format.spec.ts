import {
  formatCents,
  formatDate,
  formatDateTime,
  formatDay,
  formatMoney,
  formatNumber,
  formatPercent,
  formatRate,
  formatRelative,
  formatTime,
} from './locale-format';

const NBSP = '\u00a0';
const at = new Date('2026-11-30T10:05:00Z');

describe('locale-format', () => {
  it('writes counts and percentages in each language', () => {
    expect(formatNumber(12345, 'it')).toBe('12.345');
    expect(formatNumber(12345, 'en')).toBe('12,345');
    expect(formatNumber(2.5, 'it', 2)).toBe('2,50');
    expect(formatPercent(1 / 3, 'it')).toBe(`33,3${NBSP}%`);
    expect(formatPercent(1 / 3, 'en')).toBe('33.3%');
    expect(formatPercent(null, 'it')).toBe('—');
    expect(formatRate('22.00', 'it')).toBe(`22${NBSP}%`);
    expect(formatRate('5.50', 'en')).toBe('5.5%');
  });

  it('writes money from its decimal digits, never through a float', () => {
    expect(formatMoney('1234.5', 'it')).toBe(`1.234,50${NBSP}€`);
    expect(formatMoney('1234.5', 'en')).toBe('€1,234.50');
    expect(formatMoney('9999999999999.99', 'it')).toBe(`9.999.999.999.999,99${NBSP}€`);
    expect(formatCents(-123456, 'it')).toBe(`-1.234,56${NBSP}€`);
    expect(formatCents(5, 'en')).toBe('€0.05');
  });

  it('writes one format per kind of date, on the wall clock of the zone', () => {
    expect(formatDate(at, 'it', 'Europe/Rome')).toBe('lun 30/11/2026');
    expect(formatDate(at, 'en', 'Europe/Rome')).toBe('Mon 30/11/2026');
    expect(formatDateTime(at, 'it', 'Europe/Rome')).toBe('lun 30/11/2026, 11:05');
    expect(formatDateTime(at.toISOString(), 'en', 'Europe/Rome')).toBe('Mon 30/11/2026, 11:05');
    expect(formatTime('2026-11-30T23:05:00Z', 'it', 'Europe/Rome')).toBe('00:05');
    expect(formatDay('2026-03-29', 'it')).toBe('dom 29/03/2026');
    expect(formatDay('2026-03-29', 'en')).toBe('Sun 29/03/2026');
  });

  it('says how far a moment is, in its largest whole unit', () => {
    const now = new Date('2026-11-30T10:00:00Z');
    expect(formatRelative(at, now, 'it')).toBe('tra 5 minuti');
    expect(formatRelative(at, now, 'en')).toBe('in 5 minutes');
    expect(formatRelative(now, '2026-11-30T12:30:00Z', 'it')).toBe('2 ore fa');
    expect(formatRelative(now, now, 'en')).toBe('now');
  });
});
