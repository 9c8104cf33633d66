import type { FormState } from '../common/http/request-context';
import type { AgentView } from './dto/agent.view';
import { summarizeHours } from './working-hours';

/** The agent pages' view models: the list with each week summarised, and the agent form. */

/** Rows each day gets in the weekly editor (the script adds more). */
const ROWS_PER_DAY = 2;
const DAYS = [1, 2, 3, 4, 5, 6, 7] as const;

const text = (value: unknown): string =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : '';

interface HoursRow {
  index: number;
  start: string;
  end: string;
  startError?: string;
  endError?: string;
  /** The row's error in the page's language, when it is one of the week's own rules. */
  errorKey?: string;
}

/** The week's rules as the row beside the error says them (the API keeps the English). */
function hoursErrorKey(message: string | undefined): string | undefined {
  if (!message) return undefined;
  if (/ overlaps /.test(message)) return 'agents.errors.overlap';
  if (/end must be after/.test(message)) return 'agents.errors.endBeforeStart';
  if (/must be a time HH:MM/.test(message)) return 'agents.errors.time';
  return undefined;
}

/** The agent form's view model: typed values after a refusal, else the stored agent. */
export function agentForm(form: FormState | undefined, stored?: AgentView) {
  const typed = form?.values ?? {};
  const errors = form?.errors ?? {};
  const agentFailed = 'workingHours' in typed || 'name' in typed;
  const typedRows = Array.isArray(typed.workingHours) ? (typed.workingHours as unknown[]) : null;
  const defaults =
    stored?.workingHours ?? [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '18:00' }));

  let index = 0;
  const days = DAYS.map((day) => {
    const rows: HoursRow[] = [];
    const add = (start: string, end: string, at = index++) => {
      const startError = errors[`workingHours.${at}.start`] ?? errors[`workingHours.${at}.day`];
      const endError = errors[`workingHours.${at}.end`];
      rows.push({
        index: at,
        start,
        end,
        startError,
        endError,
        errorKey: hoursErrorKey(startError ?? endError),
      });
    };
    if (agentFailed && typedRows) {
      typedRows.forEach((row, at) => {
        const r = (row ?? {}) as Record<string, unknown>;
        if (text(r.day) === String(day)) add(text(r.start), text(r.end), at);
      });
    } else {
      for (const window of defaults.filter((w) => w.day === day)) add(window.start, window.end);
      while (rows.length < ROWS_PER_DAY) add('', '');
    }
    return { day, rows };
  });
  if (agentFailed && typedRows) index = typedRows.length;

  return {
    values: agentFailed
      ? {
          name: text(typed.name),
          email: text(typed.email),
          phone: text(typed.phone),
          zones: text(typed.zones),
          active: typed.active === 'true' || typed.active === 'on',
        }
      : {
          name: stored?.name ?? '',
          email: stored?.email ?? '',
          phone: stored?.phone ?? '',
          zones: (stored?.zones ?? []).join(', '),
          active: stored?.active ?? true,
        },
    days,
    nextRow: index,
    absence: agentFailed
      ? { startsAt: '', endsAt: '', reason: '' }
      : { startsAt: text(typed.startsAt), endsAt: text(typed.endsAt), reason: text(typed.reason) },
  };
}

export function agentListPage(agents: AgentView[]) {
  return {
    title: 'agents.title',
    agents: agents.map((agent) => ({ ...agent, hours: summarizeHours(agent.workingHours) })),
  };
}

export function newAgentPage(form: FormState | undefined) {
  return { title: 'agents.new.title', action: '/agents', ...agentForm(form) };
}

/** An agent's page: the form, the calendar feed's URL, the absences (past ones marked). */
export function agentPage(
  agent: AgentView,
  calendarUrl: string | null,
  timeZone: string,
  now: number,
  form: FormState | undefined,
) {
  return {
    title: 'agents.edit.title',
    action: `/agents/${agent.id}`,
    agent,
    // The stored secret is shown on every visit: admins copy it again when a phone changes.
    calendarUrl,
    absences: (agent.absences ?? []).map((a) => ({ ...a, past: Date.parse(a.endsAt) <= now })),
    timeZone,
    ...agentForm(form, agent),
  };
}
