/**
 * The sums of the workstation's cart, in whole cents and never through a float for the
 * digits, rounded as the server rounds them (src/common/decimal-string.ts, used by
 * src/contracts/contract-writer.ts): a line's net is price × quantity, its VAT is rounded
 * half up to the cent per line, the cart's totals add the lines. The server recomputes
 * every amount from its own price snapshots; cart-figures.spec.ts pins these to it.
 */
import { formatCents } from '../../src/common/format/locale-format';

/** "19.90" → 1990; "19.9" → 1990 (what follows a third decimal is ignored). */
export function cents(decimal: string): number {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?/.exec(decimal);
  if (!match) return 0;
  const value = Number(match[2]) * 100 + Number(((match[3] ?? '') + '00').slice(0, 2));
  return match[1] ? -value : value;
}

/** What an operator types as a price, "19,9" or "19.90", as the API wants it; null if no amount. */
export function normalizePrice(text: string): string | null {
  const match = /^\s*(\d{1,8})(?:[.,](\d{1,2}))?\s*$/.exec(text);
  if (!match) return null;
  return `${(match[1] ?? '').replace(/^0+(?=\d)/, '')}.${((match[2] ?? '') + '00').slice(0, 2)}`;
}

export interface Figures {
  net: number;
  vat: number;
  total: number;
}

/** A line's net, VAT (rounded half up to the cent, as vatCents) and total, in cents. */
export function lineFigures(unitPrice: string, quantity: number, vatRate: string): Figures {
  const net = cents(unitPrice) * quantity;
  // BigInt: net × rate outgrows a float's exact integers before a contract's maximum does.
  const vat = Number((BigInt(net) * BigInt(cents(vatRate)) + 5000n) / 10000n);
  return { net, vat, total: net + vat };
}

/** The cart's net, VAT and total: the sums of its lines' rounded figures. */
export function cartFigures(lines: readonly Figures[]): Figures {
  const net = lines.reduce((sum, line) => sum + line.net, 0);
  const vat = lines.reduce((sum, line) => sum + line.vat, 0);
  return { net, vat, total: net + vat };
}

/** Cents as euros in the page's language, as the server writes them (locale-format.ts). */
export function formatMoney(amountCents: number, lang: string): string {
  return formatCents(amountCents, lang);
}
