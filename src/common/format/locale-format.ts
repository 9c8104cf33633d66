/**
 * How numbers, money and dates are written for a user, one format per kind, the same on the
 * server's pages (handlebars helpers, view models) and in the browser (client/ imports this
 * file: it uses nothing but Intl, so both sides write the same text).
 *
 * | kind      | Italian                 | English                |
 * | --------- | ----------------------- | ---------------------- |
 * | count     | 12.345                  | 12,345                 |
 * | percent   | 33,3 % (no-break space) | 33.3%                  |
 * | money     | 1.234,50 €              | €1,234.50              |
 * | date      | lun 30/11/2026          | Mon 30/11/2026         |
 * | date+time | lun 30/11/2026, 11:05   | Mon 30/11/2026, 11:05  |
 * | time      | 11:05                   | 11:05                  |
 * | relative  | tra 5 minuti, 2 ore fa  | in 5 minutes, 2 hours ago |
 */

/** The languages the interface speaks; anything else is written as Italian, the default. */
export type FormatLanguage = 'it' | 'en';

export function localeOf(lang: string): 'it-IT' | 'en-GB' {
  return lang === 'en' ? 'en-GB' : 'it-IT';
}

const NBSP = '\u00a0';
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let formatter = formatters.get(key) as T | undefined;
  if (!formatter) {
    formatter = make();
    formatters.set(key, formatter);
  }
  return formatter;
}

// ---------------------------------------------------------------- numbers

/** A count or a measure: "12.345" (it), "12,345" (en); `digits` fixes the decimals. */
export function formatNumber(value: number, lang: string, digits?: number): string {
  const locale = localeOf(lang);
  return cached(
    `n|${locale}|${digits ?? ''}`,
    () =>
      new Intl.NumberFormat(
        locale,
        digits === undefined
          ? { maximumFractionDigits: 2 }
          : { minimumFractionDigits: digits, maximumFractionDigits: digits },
      ),
  ).format(value);
}

/**
 * A ratio (0.333) as a percentage with one decimal: "33,3 %" in Italian (a no-break space
 * before the sign, as Italian typography writes it), "33.3%" in English; null is "—".
 */
export function formatPercent(ratio: number | null, lang: string, digits = 1): string {
  if (ratio === null || !Number.isFinite(ratio)) return '—';
  const number = formatNumber(ratio * 100, lang, digits);
  return lang === 'en' ? `${number}%` : `${number}${NBSP}%`;
}

/** A DECIMAL string rate without trailing zeros: "22.00" → "22 %", "5.50" → "5,5 %". */
export function formatRate(rate: string, lang: string): string {
  const [whole = '0', fraction = ''] = rate.split('.');
  const digits = fraction.replace(/0+$/, '');
  const number = `${whole}${digits ? (lang === 'en' ? '.' : ',') + digits : ''}`;
  return lang === 'en' ? `${number}%` : `${number}${NBSP}%`;
}

function grouped(whole: string, separator: string): string {
  return whole.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

/**
 * A DECIMAL string as euros, never through a float for the digits: "1.234,50 €" (it),
 * "€1,234.50" (en), as Intl.NumberFormat's currency style writes them.
 */
export function formatMoney(decimal: string, lang: string): string {
  const negative = decimal.startsWith('-');
  const [whole = '0', cents = ''] = (negative ? decimal.slice(1) : decimal).split('.');
  const digits = cents.padEnd(2, '0').slice(0, 2);
  const sign = negative ? '-' : '';
  return lang === 'en'
    ? `${sign}€${grouped(whole, ',')}.${digits}`
    : `${sign}${grouped(whole, '.')},${digits}${NBSP}€`;
}

/** Whole cents (the browser's cart sums) as euros, as formatMoney writes them. */
export function formatCents(amountCents: number, lang: string): string {
  const abs = Math.abs(amountCents);
  const decimal = `${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  return formatMoney(amountCents < 0 ? `-${decimal}` : decimal, lang);
}

// ---------------------------------------------------------------- dates

type Instant = Date | string | number;

function instantOf(value: Instant): Date {
  return value instanceof Date ? value : new Date(value);
}

type Parts = Partial<Record<Intl.DateTimeFormatPartTypes, string>>;

function partsOf(instant: Date, lang: string, zone: string, withDate: boolean): Parts {
  const locale = localeOf(lang);
  const formatter = cached(
    `d|${locale}|${zone}|${withDate ? 'dt' : 't'}`,
    () =>
      new Intl.DateTimeFormat(locale, {
        ...(withDate
          ? { weekday: 'short' as const, day: '2-digit' as const, month: '2-digit' as const }
          : {}),
        ...(withDate ? { year: 'numeric' as const } : {}),
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        timeZone: zone,
      }),
  );
  const parts: Parts = {};
  for (const part of formatter.formatToParts(instant)) parts[part.type] = part.value;
  return parts;
}

function dateOf(parts: Parts): string {
  const weekday = (parts.weekday ?? '').replace(/\.$/, '');
  return `${weekday} ${parts.day ?? ''}/${parts.month ?? ''}/${parts.year ?? ''}`;
}

function timeOf(parts: Parts): string {
  // Some engines write midnight as 24 even with h23.
  return `${parts.hour === '24' ? '00' : (parts.hour ?? '')}:${parts.minute ?? ''}`;
}

/** A day on the calendar of `zone`: "lun 30/11/2026" (it), "Mon 30/11/2026" (en). */
export function formatDate(value: Instant, lang: string, zone: string): string {
  return dateOf(partsOf(instantOf(value), lang, zone, true));
}

/** A calendar day "YYYY-MM-DD" (no zone involved), as formatDate writes it. */
export function formatDay(day: string, lang: string): string {
  return formatDate(`${day}T12:00:00Z`, lang, 'UTC');
}

/** A moment on the wall clock of `zone`: "lun 30/11/2026, 11:05" (it), "Mon 30/11/2026, 11:05". */
export function formatDateTime(value: Instant, lang: string, zone: string): string {
  const parts = partsOf(instantOf(value), lang, zone, true);
  return `${dateOf(parts)}, ${timeOf(parts)}`;
}

/** The time of day on the wall clock of `zone`: "11:05" (both languages). */
export function formatTime(value: Instant, lang: string, zone: string): string {
  return timeOf(partsOf(instantOf(value), lang, zone, false));
}

const RELATIVE_UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];
const relativeFormatters = new Map<string, Intl.RelativeTimeFormat>();

/**
 * How far a moment is from now, in the largest whole unit: "tra 5 minuti", "2 ore fa" (it),
 * "in 5 minutes", "2 hours ago" (en); under a minute is "adesso" / "now".
 */
export function formatRelative(value: Instant, now: Instant, lang: string): string {
  const locale = localeOf(lang);
  let formatter = relativeFormatters.get(locale);
  if (!formatter) {
    formatter = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
    relativeFormatters.set(locale, formatter);
  }
  const diff = instantOf(value).getTime() - instantOf(now).getTime();
  for (const [unit, size] of RELATIVE_UNITS) {
    if (Math.abs(diff) >= size) return formatter.format(Math.trunc(diff / size), unit);
  }
  return formatter.format(0, 'second');
}
