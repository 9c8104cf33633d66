import {
  capacityKey,
  hoursOpen,
  slotsOfDay,
  slotStartingAt,
  type SlotRules,
} from './callback-slots';

const rules = (overrides: Partial<SlotRules> = {}): SlotRules => ({
  timezone: 'Europe/Rome',
  callingHours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '11:00' },
  holidays: null,
  closedDates: [],
  slotMinutes: 30,
  defaultCapacity: 2,
  capacities: new Map([[capacityKey(1, 10), 5]]),
  ...overrides,
});

describe('callback slots', () => {
  it('cuts the opening hours of a day into windows with the capacity of their weekday and hour', () => {
    const slots = slotsOfDay(rules(), '2026-11-30');
    expect(slots.map((s) => `${s.from}-${s.to}:${s.capacity}`)).toEqual([
      '09:00-09:30:2',
      '09:30-10:00:2',
      '10:00-10:30:5',
      '10:30-11:00:5',
    ]);
    expect(slots[0]!.start.toISOString()).toBe('2026-11-30T08:00:00.000Z');
    expect(slots[3]!.end.toISOString()).toBe('2026-11-30T10:00:00.000Z');
  });

  it('has no slot on a closed day, and none that would end after closing', () => {
    expect(slotsOfDay(rules(), '2026-12-05')).toEqual([]);
    const slots = slotsOfDay(rules({ slotMinutes: 45 }), '2026-11-30');
    expect(slots.map((s) => s.from)).toEqual(['09:00', '09:45']);
  });

  it('knows the slot starting at an instant, and nothing between two starts', () => {
    expect(slotStartingAt(rules(), new Date('2026-11-30T09:30:00Z'))?.from).toBe('10:30');
    expect(slotStartingAt(rules(), new Date('2026-11-30T09:40:00Z'))).toBeNull();
  });

  it('skips a start the spring clock change skips and reads the opening till midnight', () => {
    const night = rules({
      callingHours: { days: [7], start: '01:00', end: '24:00' },
      slotMinutes: 60,
    });
    const slots = slotsOfDay(night, '2026-03-29');
    expect(slots.map((s) => s.from)).not.toContain('02:00');
    expect(slots[slots.length - 1]!.to).toBe('00:00');
  });

  it('sets capacities for the hours the calling hours overlap, the last one included', () => {
    expect(hoursOpen({ days: [1], start: '09:30', end: '19:00' })).toEqual([
      9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
    ]);
    expect(hoursOpen({ days: [1], start: '00:00', end: '24:00' })).toHaveLength(24);
  });
});
