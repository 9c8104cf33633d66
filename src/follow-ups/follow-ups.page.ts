import type { FormState } from '../common/http/request-context';
import { LANGUAGES } from '../config/app.config';
import type { OutcomeStatus } from '../outcome-statuses/outcome-status.entity';
import type { FollowUpTemplateView } from './dto/follow-up-template.dto';
import { FOLLOW_UP_PLACEHOLDERS } from './follow-up-template-check';

/** The follow-up templates pages' view models: the list with each template's status, the form. */

type StatusChoice = Pick<OutcomeStatus, 'id' | 'code' | 'label' | 'type'>;

const text = (value: unknown): string =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : '';

const PLACEHOLDERS = [
  ...FOLLOW_UP_PLACEHOLDERS.map((p) => `{{${p}}}`),
  '{{contact.fields.column}}',
];

export function templateListPage(templates: FollowUpTemplateView[], statuses: StatusChoice[]) {
  const byId = new Map(statuses.map((s) => [s.id, s]));
  return {
    title: 'followUps.templates.title',
    templates: templates.map((t) => ({ ...t, status: byId.get(t.statusId) ?? null })),
  };
}

/** From a status's page the status is chosen already (an id that is none selects nothing). */
export function presetStatusId(statusId: unknown): number | undefined {
  return /^[0-9]{1,9}$/.test(text(statusId)) ? Number(statusId) : undefined;
}

/** The new or edit form: what was typed before a refusal, else the stored template or defaults. */
export function templateFormPage(
  statuses: StatusChoice[],
  form: FormState | undefined,
  stored?: FollowUpTemplateView,
  preset?: number,
) {
  const typed = form?.values ?? {};
  const fromForm = Object.keys(typed).length > 0;
  const values = {
    statusId: fromForm ? text(typed.statusId) : text(stored?.statusId ?? preset),
    reason: fromForm ? text(typed.reason) : (stored?.reason ?? ''),
    language: fromForm ? text(typed.language) : (stored?.language ?? 'it'),
    subject: fromForm ? text(typed.subject) : (stored?.subject ?? ''),
    body: fromForm ? text(typed.body) : (stored?.body ?? ''),
  };
  return {
    title: stored ? 'followUps.templates.edit' : 'followUps.templates.new',
    action: stored ? `/follow-ups/templates/${stored.id}` : '/follow-ups/templates',
    template: stored ?? null,
    values,
    statuses: statuses.map((s) => ({ ...s, selected: String(s.id) === values.statusId })),
    languages: LANGUAGES.map((l) => ({ code: l, selected: l === values.language })),
    placeholders: PLACEHOLDERS,
  };
}
