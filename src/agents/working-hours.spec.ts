import { ValidationError } from '../common/errors/domain-errors';
import { checkWorkingHours, normalizeZones, summarizeHours } from './working-hours';

function errorOf(run: () => unknown): ValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('checkWorkingHours', () => {
  it('sorts valid windows by day and start; touching windows are fine', () => {
    expect(
      checkWorkingHours([
        { day: 2, start: '14:00', end: '18:00' },
        { day: 1, start: '00:00', end: '24:00' },
        { day: 2, start: '09:00', end: '14:00' },
      ]),
    ).toEqual([
      { day: 1, start: '00:00', end: '24:00' },
      { day: 2, start: '09:00', end: '14:00' },
      { day: 2, start: '14:00', end: '18:00' },
    ]);
    expect(checkWorkingHours([])).toEqual([]);
  });

  it.each([
    [[{ day: 0, start: '09:00', end: '10:00' }], 'workingHours.0.day'],
    [[{ day: 8, start: '09:00', end: '10:00' }], 'workingHours.0.day'],
    [[{ day: 1.5, start: '09:00', end: '10:00' }], 'workingHours.0.day'],
    [[{ day: 1, start: '9:00', end: '10:00' }], 'workingHours.0.start'],
    [[{ day: 1, start: '24:00', end: '24:00' }], 'workingHours.0.end'],
    [[{ day: 1, start: '09:00', end: '24:01' }], 'workingHours.0.end'],
    [[{ day: 1, start: '09:00', end: '25:00' }], 'workingHours.0.end'],
    [[{ day: 1, start: '09:60', end: '10:00' }], 'workingHours.0.start'],
    [[{ day: 1, start: '18:00', end: '09:00' }], 'workingHours.0.end'],
    [[{ day: 1, start: '09:00', end: '09:00' }], 'workingHours.0.end'],
  ])('refuses %j naming %s', (hours, field) => {
    expect(errorOf(() => checkWorkingHours(hours)).field).toBe(field);
  });

  it('names the later of two overlapping windows of one day', () => {
    const error = errorOf(() =>
      checkWorkingHours([
        { day: 1, start: '09:00', end: '13:00' },
        { day: 3, start: '09:00', end: '13:00' },
        { day: 1, start: '12:00', end: '18:00' },
      ]),
    );
    expect(error.field).toBe('workingHours.2.start');
    expect(error.message).toBe(
      'workingHours.2.start: workingHours.2 overlaps workingHours.0 on day 1',
    );
    // Same windows on different days do not overlap.
    expect(
      checkWorkingHours([
        { day: 1, start: '09:00', end: '13:00' },
        { day: 2, start: '09:00', end: '13:00' },
      ]),
    ).toHaveLength(2);
  });

  it('names form rows by their row number when given', () => {
    const error = errorOf(() =>
      checkWorkingHours([{ day: 4, start: '10:00', end: '09:00', row: 7 }]),
    );
    expect(error.field).toBe('workingHours.7.end');
  });
});

describe('summarizeHours', () => {
  it('groups consecutive days with the same windows', () => {
    const weekdays = [1, 2, 3, 4, 5].flatMap((day) => [
      { day, start: '09:00', end: '13:00' },
      { day, start: '14:00', end: '18:00' },
    ]);
    expect(summarizeHours([...weekdays, { day: 6, start: '09:00', end: '12:00' }])).toEqual([
      { fromDay: 1, toDay: 5, windows: ['09:00–13:00', '14:00–18:00'] },
      { fromDay: 6, toDay: 6, windows: ['09:00–12:00'] },
    ]);
    expect(
      summarizeHours([
        { day: 1, start: '09:00', end: '18:00' },
        { day: 3, start: '09:00', end: '18:00' },
      ]),
    ).toHaveLength(2);
  });
});

describe('normalizeZones', () => {
  it('upper-cases and checks each zone', () => {
    expect(normalizeZones([' mi', 'Mb', '20121'])).toEqual(['MI', 'MB', '20121']);
    expect(errorOf(() => normalizeZones(['MI', 'mi'])).message).toBe('zones must not repeat "MI"');
    expect(errorOf(() => normalizeZones(['MILANO-CENTRO'])).field).toBe('zones');
    expect(errorOf(() => normalizeZones([''])).field).toBe('zones');
    expect(errorOf(() => normalizeZones([3])).field).toBe('zones');
  });
});
