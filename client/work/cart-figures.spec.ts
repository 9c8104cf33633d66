import { fromCents, toCents, vatCents } from '../../src/common/decimal-string';
import { formatMoney as serverMoney } from '../../src/work/work.page';
import { cartFigures, cents, formatMoney, lineFigures, normalizePrice } from './cart-figures';

/** What src/contracts/contract-writer.ts computes for a cart: per line, then the sums. */
function serverCart(lines: Line[]) {
  const figures = lines.map(([unitPrice, quantity, vatRate]) => {
    const net = toCents(unitPrice) * BigInt(quantity);
    return { net, vat: vatCents(net, vatRate) };
  });
  const net = figures.reduce((sum, l) => sum + l.net, 0n);
  const vat = figures.reduce((sum, l) => sum + l.vat, 0n);
  return {
    lines: figures.map((l) => ({
      net: Number(l.net),
      vat: Number(l.vat),
      total: Number(l.net + l.vat),
    })),
    net: Number(net),
    vat: Number(vat),
    total: Number(net + vat),
  };
}

/** [unit price, quantity, VAT rate] as the catalogue's data attributes hold them. */
type Line = [string, number, string];

const CARTS: Record<string, Line[]> = {
  'one line at 22 %': [['19.90', 1, '22.00']],
  'the browser test cart': [
    ['39.80', 1, '22.00'],
    ['49.00', 1, '22.00'],
  ],
  'half a cent rounds up (0.005)': [['0.05', 1, '10.00']],
  'just under half a cent rounds down': [['0.04', 1, '11.00']],
  'half a cent on every line, rounded per line': [
    ['0.05', 1, '10.00'],
    ['0.05', 1, '10.00'],
    ['0.05', 1, '10.00'],
  ],
  'a rate with decimals': [['12.34', 7, '5.50']],
  'quantity multiplies before rounding': [['0.01', 999, '22.00']],
  'zero VAT': [['100.00', 3, '0.00']],
  'VAT at 100 %': [['0.01', 1, '100.00']],
  'one decimal and no decimals': [
    ['19.9', 2, '4'],
    ['7', 5, '22.5'],
  ],
  thousands: [['1234.56', 3, '22.00']],
  'a contract near its maximum': [['9999999999.99', 1, '22.00']],
  'many lines with odd cents': [
    ['0.33', 3, '22.00'],
    ['0.67', 7, '10.00'],
    ['2.45', 11, '4.00'],
    ['1.15', 13, '5.00'],
  ],
};

describe('cart figures, pinned to the server', () => {
  it.each(Object.entries(CARTS))('%s', (_name, lines) => {
    const server = serverCart(lines);
    const client = lines.map(([price, quantity, rate]) => lineFigures(price, quantity, rate));
    expect(client).toEqual(server.lines);
    expect(cartFigures(client)).toEqual({ net: server.net, vat: server.vat, total: server.total });
  });

  it('reads a DECIMAL string as the server does', () => {
    for (const value of ['0', '0.5', '0.05', '19.9', '19.90', '007.50', '1234567890.12']) {
      expect(cents(value)).toBe(Number(toCents(value)));
    }
  });

  it('takes the price an operator types, with a comma or a point', () => {
    expect(normalizePrice('19,9')).toBe('19.90');
    expect(normalizePrice(' 0019.5 ')).toBe('19.50');
    expect(normalizePrice('7')).toBe('7.00');
    expect(normalizePrice('1.234,50')).toBeNull();
    expect(normalizePrice('abc')).toBeNull();
    expect(normalizePrice('')).toBeNull();
  });
});

describe('money as the pages write it', () => {
  const AMOUNTS = [0, 1, 5, 10, 99, 100, 1999, 4856, 9614, 99999, 123450, 100000000, 999999999999];

  it.each(['it', 'en'])('writes cents in %s as the server writes the same DECIMAL', (lang) => {
    for (const amount of AMOUNTS) {
      expect(formatMoney(amount, lang)).toBe(serverMoney(fromCents(BigInt(amount)), lang));
    }
  });

  it('writes Italian euros with a point for thousands, a comma for cents, the sign after', () => {
    expect(formatMoney(4856, 'it')).toBe('48,56\u00a0€');
    expect(formatMoney(123450, 'it')).toBe('1.234,50\u00a0€');
    expect(formatMoney(5, 'it')).toBe('0,05\u00a0€');
    expect(formatMoney(123456789, 'en')).toBe('€1,234,567.89');
  });
});
