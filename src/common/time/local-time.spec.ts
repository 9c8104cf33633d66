import { instantInZone, toZonedLocal, zonedLocalToUtc } from './local-time';

const ROME = 'Europe/Rome';

describe('local times in a zone', () => {
  it('converts Rome wall-clock times to UTC in winter and summer', () => {
    expect(zonedLocalToUtc('2026-01-15T10:00', ROME)?.toISOString()).toBe(
      '2026-01-15T09:00:00.000Z',
    );
    expect(zonedLocalToUtc('2026-07-01T10:00', ROME)?.toISOString()).toBe(
      '2026-07-01T08:00:00.000Z',
    );
    expect(zonedLocalToUtc('2026-12-31T23:30', ROME)?.toISOString()).toBe(
      '2026-12-31T22:30:00.000Z',
    );
  });

  it('handles the clock changes', () => {
    // 29 March 2026: 02:00 → 03:00, so 02:30 never happens in Rome.
    expect(zonedLocalToUtc('2026-03-29T02:30', ROME)).toBeNull();
    expect(zonedLocalToUtc('2026-03-29T03:00', ROME)?.toISOString()).toBe(
      '2026-03-29T01:00:00.000Z',
    );
    // 25 October 2026: 03:00 → 02:00, so 02:30 happens twice; the later one is taken.
    expect(zonedLocalToUtc('2026-10-25T02:30', ROME)?.toISOString()).toBe(
      '2026-10-25T01:30:00.000Z',
    );
  });

  it('refuses what is not a date and time', () => {
    for (const bad of [
      '2026-02-30T10:00',
      '2026-13-01T10:00',
      '2026-01-01T24:00',
      '2026-01-01',
      'x',
      '2026-01-01T10:00Z',
    ])
      expect(zonedLocalToUtc(bad, ROME)).toBeNull();
  });

  it('formats an instant as a Rome wall-clock time', () => {
    expect(toZonedLocal(new Date('2026-07-01T08:00:00Z'), ROME)).toBe('2026-07-01T10:00');
    expect(toZonedLocal(new Date('2026-01-01T23:30:00Z'), ROME)).toBe('2026-01-02T00:30');
  });

  describe('an API time (instantInZone)', () => {
    const iso = (text: string) => {
      const read = instantInZone(text, ROME);
      return read instanceof Date ? read.toISOString() : read;
    };

    it('takes a time with Z or an offset as the instant it names, whatever the zone', () => {
      expect(iso('2026-03-30T08:00:00.000Z')).toBe('2026-03-30T08:00:00.000Z');
      expect(iso('2026-03-29T02:30:00+01:00')).toBe('2026-03-29T01:30:00.000Z');
      expect(iso('2026-10-25T02:30+02:00')).toBe('2026-10-25T00:30:00.000Z');
    });

    it('reads a time without an offset on the zone’s wall clock, across the clock changes', () => {
      expect(iso('2026-03-27T10:00')).toBe('2026-03-27T09:00:00.000Z');
      expect(iso('2026-03-30T10:00')).toBe('2026-03-30T08:00:00.000Z');
      expect(iso('2026-03-30T10:00:30.5')).toBe('2026-03-30T08:00:30.500Z');
      expect(iso('2026-10-26 10:00:00')).toBe('2026-10-26T09:00:00.000Z');
      // Twice that night: the later (winter) one, as zonedLocalToUtc and the page decide.
      expect(iso('2026-10-25T02:30')).toBe('2026-10-25T01:30:00.000Z');
    });

    it('names a wall-clock time the spring change skips, and refuses what is no date and time', () => {
      expect(iso('2026-03-29T02:30')).toBe('skipped');
      expect(iso('2026-03-29T02:00:00')).toBe('skipped');
      for (const bad of ['2026-03-30', '2026-03-30Z', '2026-02-30T10:00', '2026-03-30T24:00', 'x'])
        expect(iso(bad)).toBeNull();
    });
  });
});
