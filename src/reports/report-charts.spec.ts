import type { OutcomeReport } from './dto/report.view';
import { formatDuration, outcomeBars, percentOf, safeColor } from './report-charts';

describe('report charts', () => {
  it('writes durations as hours:minutes:seconds', () => {
    expect(formatDuration(0)).toBe('0:00:00');
    expect(formatDuration(59)).toBe('0:00:59');
    expect(formatDuration(3600 + 5 * 60 + 30)).toBe('1:05:30');
    expect(formatDuration(30 * 3600)).toBe('30:00:00');
  });

  it('takes only #RRGGBB colours into a style attribute', () => {
    expect(safeColor('#16a34a')).toBe('#16A34A');
    expect(safeColor('red; background: url(x)')).toBe('#888888');
  });

  it('draws each row as a share of the longest, split by status, codes inside when they fit', () => {
    const report = {
      statuses: [
        { id: 1, code: 'NI', label: 'Non interessato', type: 'N', color: '#DC2626' },
        { id: 2, code: 'OK', label: 'Vendita', type: 'C', color: '#FDE047' },
      ],
      rows: [
        {
          key: 7,
          label: 'Anna',
          total: 40,
          byType: { R: 0, N: 39, C: 1, T: 0 },
          byStatus: [
            { statusId: 1, code: 'NI', count: 39 },
            { statusId: 2, code: 'OK', count: 1 },
          ],
        },
        {
          key: 8,
          label: 'Bruno',
          total: 10,
          byType: { R: 0, N: 10, C: 0, T: 0 },
          byStatus: [{ statusId: 1, code: 'NI', count: 10 }],
        },
      ],
    } as unknown as OutcomeReport;
    const [anna, bruno] = outcomeBars(report, (row) => row.label);
    expect(anna).toMatchObject({ label: 'Anna', percent: 100, value: '40' });
    expect(anna!.segments.map((s) => [s.code, s.percent, s.labelled, s.textColor])).toEqual([
      ['NI', 97.5, true, '#FFFFFF'],
      // 2.5% of the bar: too narrow for its code, which stays beside the bar.
      ['OK', 2.5, false, '#000000'],
    ]);
    expect(bruno).toMatchObject({
      percent: 25,
      segments: [{ code: 'NI', percent: 100, labelled: true }],
    });
    expect(percentOf(1, 3)).toBe(33.33);
    expect(percentOf(1, 0)).toBe(0);
  });
});
