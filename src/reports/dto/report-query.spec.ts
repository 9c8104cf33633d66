import { ValidationError } from '../../common/errors/domain-errors';
import { daysOf, readOutcomeQuery, readRange, resolveRange } from './report-query';

const TODAY = '2026-11-30';

function refusal(run: () => unknown): { field: string; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return { field: error.field, message: error.message };
    throw error;
  }
  throw new Error('not refused');
}

describe('report ranges', () => {
  it('defaults to today, to one day with only `to`, and up to today with only `from`', () => {
    expect(resolveRange({}, TODAY)).toEqual({ from: TODAY, to: TODAY });
    expect(resolveRange({ to: '2026-11-02' }, TODAY)).toEqual({
      from: '2026-11-02',
      to: '2026-11-02',
    });
    expect(resolveRange({ from: '2026-11-02' }, TODAY)).toEqual({ from: '2026-11-02', to: TODAY });
    // A start after today alone is that day, not a range the wrong way round.
    expect(resolveRange({ from: '2026-12-24' }, TODAY)).toEqual({
      from: '2026-12-24',
      to: '2026-12-24',
    });
  });

  it('covers at most 366 days, both ends included, and never ends before it starts', () => {
    expect(resolveRange({ from: '2024-01-01', to: '2024-12-31' }, TODAY).to).toBe('2024-12-31');
    expect(refusal(() => resolveRange({ from: '2025-01-01', to: '2026-01-02' }, TODAY))).toEqual({
      field: 'to',
      message: 'to: a report covers at most 366 days (from 2025-01-01)',
    });
    expect(refusal(() => resolveRange({ from: '2026-12-01', to: TODAY }, TODAY))).toEqual({
      field: 'to',
      message: 'to must not be before from',
    });
  });

  it('reads only days that exist', () => {
    expect(readRange({ from: '2028-02-29', to: '2028-03-01' })).toEqual({
      from: '2028-02-29',
      to: '2028-03-01',
    });
    for (const bad of ['2026-02-29', '2026-02-30', '2026-13-01', '2026-1-01', '30/11/2026', '']) {
      expect(refusal(() => readRange({ from: bad })).field).toBe('from');
    }
    expect(refusal(() => readRange({ to: ['2026-11-01', '2026-11-02'] })).message).toBe(
      'to must be given once',
    );
  });

  it('lists every day of a range, across months and a leap day', () => {
    expect(daysOf({ from: '2028-02-28', to: '2028-03-01' })).toEqual([
      '2028-02-28',
      '2028-02-29',
      '2028-03-01',
    ]);
  });

  it('groups by operator unless told, and refuses anything else by name', () => {
    expect(readOutcomeQuery({}).groupBy).toBe('operator');
    expect(readOutcomeQuery({ groupBy: 'hour', team: '  Nord ' })).toMatchObject({
      groupBy: 'hour',
      team: 'Nord',
    });
    expect(readOutcomeQuery({ team: '   ' }).team).toBeUndefined();
    expect(refusal(() => readOutcomeQuery({ groupBy: 'week' })).field).toBe('groupBy');
    expect(refusal(() => readOutcomeQuery({ campaignId: '-1' })).field).toBe('campaignId');
  });
});
