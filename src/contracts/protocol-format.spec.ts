import { DEFAULT_PROTOCOL_FORMAT, ProtocolFormat } from './protocol-format';

describe('ProtocolFormat', () => {
  it('writes the default YYYY/NNNNNN as 2026/000123', () => {
    expect(ProtocolFormat.parse(DEFAULT_PROTOCOL_FORMAT).render(2026, 123)).toBe('2026/000123');
  });

  it('keeps literals around the tokens, in either order', () => {
    expect(ProtocolFormat.parse('ES-YYYY-NNNNNNN').render(2026, 42)).toBe('ES-2026-0000042');
    expect(ProtocolFormat.parse('NNNN.YYYY').render(2027, 1)).toBe('0001.2027');
    expect(ProtocolFormat.parse('ctr_YYYYNNNNNNNNNN').render(2026, 7)).toBe('ctr_20260000000007');
  });

  it('lets a counter outgrow its width rather than refuse a sale (still unique)', () => {
    expect(ProtocolFormat.parse('YYYY/NNNN').render(2026, 12345)).toBe('2026/12345');
  });

  it.each([
    ['no year', 'NNNNNN'],
    ['no counter', 'YYYY/'],
    ['a counter of 3', 'YYYY/NNN'],
    ['a counter of 11', 'YYYY/NNNNNNNNNNN'],
    ['two counters', 'YYYY/NN-NNNN'],
    ['two years', 'YYYY/YYYY/NNNN'],
    ['a short year', 'YY/NNNNNN'],
    ['a space', 'YYYY NNNNNN'],
    ['a quote', "YYYY'NNNNNN"],
    ['too long for the column', `${'x'.repeat(22)}YYYY/NNNNNN`],
    ['empty', ''],
  ])('refuses %s, naming PROTOCOL_FORMAT', (_, format) => {
    expect(() => ProtocolFormat.parse(format)).toThrow(/^PROTOCOL_FORMAT must contain YYYY once/);
  });
});
