/**
 * The operator's own day on the workstation (views/partials/work/day-figures.hbs): calls,
 * outcomes by type, sales and their total, appointments and time paused, from
 * GET /api/v1/work/stats; read when the page loads, i.e. after every call.
 */
import { getJson } from '../common/api-client';
import { maybeById } from '../common/dom';
import { formatCents, formatNumber } from '../../src/common/format/locale-format';
import { cents } from './cart-figures';

interface DayFigures {
  calls: number;
  outcomes: Record<'R' | 'N' | 'C' | 'T', number>;
  sales: { count: number; total: string };
  appointments: number;
  pausedSeconds: number;
}

/** 754 s → "12:34"; an hour or more → "1:02:34". */
export function clock(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

export function startDayFigures(): void {
  const box = maybeById('work-day');
  if (!box) return;
  const lang = box.dataset.lang === 'en' ? 'en' : 'it';
  const set = (name: string, value: string) => {
    const cell = box.querySelector(`[data-figure="${name}"]`);
    if (cell) cell.textContent = value;
  };
  const refresh = (): void => {
    void getJson<DayFigures>('/api/v1/work/stats').then(
      (figures) => {
        const count = (value: number) => formatNumber(value, lang);
        set('calls', count(figures.calls));
        for (const type of ['R', 'N', 'C', 'T'] as const) {
          set(type, count(figures.outcomes[type]));
        }
        set('sales', count(figures.sales.count));
        set('total', formatCents(cents(figures.sales.total), lang));
        set('appointments', count(figures.appointments));
        set('paused', clock(figures.pausedSeconds));
        box.hidden = false;
      },
      // The figures are a help, not the work: without them the page works the same.
      () => undefined,
    );
  };
  refresh();
  // An outcome confirmed (or a contact asked for): the day has moved on.
  document.addEventListener('esito:work-changed', refresh);
}
