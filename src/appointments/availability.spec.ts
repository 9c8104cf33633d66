import type { WorkingHours } from '../agents/agent.entity';
import {
  classifySlots,
  localDays,
  mergeSpans,
  placeOnGrid,
  SlotRules,
  slotGrid,
  ZoneClock,
} from './availability';

const ROME: SlotRules = { zone: 'Europe/Rome', slotMinutes: 60, bufferMinutes: 0 };
const EVERY_DAY: WorkingHours[] = [1, 2, 3, 4, 5, 6, 7].map((day) => ({
  day,
  start: '09:00',
  end: '12:00',
}));
const iso = (ms: number) => new Date(ms).toISOString();
const at = (text: string) => Date.parse(text);

describe('slot grid', () => {
  it('lays slots from each window start, every slot length, only whole slots', () => {
    const hours: WorkingHours[] = [
      { day: 2, start: '09:00', end: '11:30' },
      { day: 2, start: '14:00', end: '15:00' },
    ];
    const slots = slotGrid(
      hours,
      localDays('2026-12-01', '2026-12-01'),
      ROME,
      new ZoneClock('Europe/Rome'),
    );
    expect(slots.map((s) => [iso(s.start), iso(s.end)])).toEqual([
      ['2026-12-01T08:00:00.000Z', '2026-12-01T09:00:00.000Z'],
      ['2026-12-01T09:00:00.000Z', '2026-12-01T10:00:00.000Z'],
      ['2026-12-01T13:00:00.000Z', '2026-12-01T14:00:00.000Z'],
    ]);
  });

  it('keeps 09:00 at 09:00 local across the spring change (last Sunday of March)', () => {
    const slots = slotGrid(
      EVERY_DAY,
      localDays('2026-03-28', '2026-03-30'),
      ROME,
      new ZoneClock('Europe/Rome'),
    );
    expect(slots.filter((_, i) => i % 3 === 0).map((s) => iso(s.start))).toEqual([
      '2026-03-28T08:00:00.000Z', // Saturday, UTC+1
      '2026-03-29T07:00:00.000Z', // Sunday, UTC+2 from 02:00
      '2026-03-30T07:00:00.000Z',
    ]);
    expect(slots).toHaveLength(9);
  });

  it('keeps 09:00 at 09:00 local across the autumn change (last Sunday of October)', () => {
    const slots = slotGrid(
      EVERY_DAY,
      localDays('2026-10-24', '2026-10-26'),
      ROME,
      new ZoneClock('Europe/Rome'),
    );
    expect(slots.filter((_, i) => i % 3 === 0).map((s) => iso(s.start))).toEqual([
      '2026-10-24T07:00:00.000Z',
      '2026-10-25T08:00:00.000Z',
      '2026-10-26T08:00:00.000Z',
    ]);
  });

  it('leaves out the slots the clock change skips or stretches at night', () => {
    const night: WorkingHours[] = [{ day: 7, start: '01:00', end: '05:00' }];
    const clock = new ZoneClock('Europe/Rome');
    const spring = slotGrid(night, localDays('2026-03-29', '2026-03-29'), ROME, clock);
    // 01:00-02:00 ends at a time that does not exist, 02:00 does not exist.
    expect(spring.map((s) => iso(s.start))).toEqual([
      '2026-03-29T01:00:00.000Z', // 03:00 CEST
      '2026-03-29T02:00:00.000Z', // 04:00 CEST
    ]);
    const autumn = slotGrid(night, localDays('2026-10-25', '2026-10-25'), ROME, clock);
    // 01:00-02:00 would last two hours; 02:00 is read in winter time.
    expect(autumn.map((s) => iso(s.start))).toEqual([
      '2026-10-25T01:00:00.000Z',
      '2026-10-25T02:00:00.000Z',
      '2026-10-25T03:00:00.000Z',
    ]);
    for (const slot of [...spring, ...autumn]) expect(slot.end - slot.start).toBe(3_600_000);
  });

  it('takes a window to midnight', () => {
    const late: WorkingHours[] = [{ day: 1, start: '22:00', end: '24:00' }];
    const slots = slotGrid(
      late,
      localDays('2026-11-30', '2026-11-30'),
      ROME,
      new ZoneClock('Europe/Rome'),
    );
    expect(slots.map((s) => iso(s.end))).toEqual([
      '2026-11-30T22:00:00.000Z',
      '2026-11-30T23:00:00.000Z',
    ]);
  });
});

describe('slot states', () => {
  const day = slotGrid(
    [{ day: 2, start: '09:00', end: '18:00' }],
    localDays('2026-12-01', '2026-12-01'),
    ROME,
    new ZoneClock('Europe/Rome'),
  );
  const visit = { start: at('2026-12-01T12:00:00Z'), end: at('2026-12-01T13:00:00Z') }; // 13-14 local

  it('marks the visit taken and the rest free, past before now', () => {
    const states = classifySlots(
      day,
      { visits: [visit], absences: [] },
      ROME,
      at('2026-12-01T09:30:00Z'),
    );
    expect(states.map((s) => s.state)).toEqual([
      'past', // 09:00
      'past', // 10:00 started before 10:30
      'free',
      'free',
      'taken', // 13:00
      'free',
      'free',
      'free',
      'free',
    ]);
  });

  it('widens visits by the travel buffer on both sides', () => {
    const rules = { ...ROME, bufferMinutes: 30 };
    const states = classifySlots(day, { visits: [visit], absences: [] }, rules, 0);
    expect(states.map((s) => s.state).slice(3, 6)).toEqual(['taken', 'taken', 'taken']);
    expect(states[2]!.state).toBe('free');
    expect(states[6]!.state).toBe('free');
  });

  it('puts absences before visits, and copes with overlapping visits', () => {
    const states = classifySlots(
      day,
      {
        visits: [visit, { start: visit.start + 1_800_000, end: visit.end + 1_800_000 }],
        absences: [{ start: at('2026-12-01T14:00:00Z'), end: at('2026-12-02T00:00:00Z') }],
      },
      ROME,
      0,
    );
    expect(states.map((s) => s.state)).toEqual([
      'free',
      'free',
      'free',
      'free',
      'taken',
      'taken',
      'absent',
      'absent',
      'absent',
    ]);
  });

  it('merges touching and overlapping spans', () => {
    expect(
      mergeSpans([
        { start: 5, end: 8 },
        { start: 0, end: 2 },
        { start: 2, end: 3 },
        { start: 6, end: 7 },
      ]),
    ).toEqual([
      { start: 0, end: 3 },
      { start: 5, end: 8 },
    ]);
  });
});

describe('a start on the grid', () => {
  const hours: WorkingHours[] = [{ day: 2, start: '09:00', end: '18:00' }];
  const tuesday = { date: '2026-12-01', weekday: 2 };
  const clock = new ZoneClock('Europe/Rome');

  it('is a slot, off the grid (with the nearest slot), or outside the hours', () => {
    expect(placeOnGrid(hours, at('2026-12-01T09:00:00Z'), tuesday, ROME, clock)).toEqual({
      kind: 'slot',
    });
    const off = placeOnGrid(hours, at('2026-12-01T09:40:00Z'), tuesday, ROME, clock);
    expect(off.kind).toBe('off-grid');
    expect(off.kind === 'off-grid' && iso(off.nearest.start)).toBe('2026-12-01T10:00:00.000Z');
    // 17:30 would end at 18:30; 07:00 is before the window.
    expect(placeOnGrid(hours, at('2026-12-01T16:30:00Z'), tuesday, ROME, clock).kind).toBe(
      'outside',
    );
    expect(placeOnGrid(hours, at('2026-12-01T06:00:00Z'), tuesday, ROME, clock).kind).toBe(
      'outside',
    );
    expect(
      placeOnGrid(
        hours,
        at('2026-12-02T09:00:00Z'),
        { date: '2026-12-02', weekday: 3 },
        ROME,
        clock,
      ).kind,
    ).toBe('outside');
  });
});
