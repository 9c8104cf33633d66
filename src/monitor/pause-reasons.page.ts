import type { FormState } from '../common/http/request-context';
import type { PauseReasonView } from './pause-reasons.service';

/** The pause reasons pages' view models: the list (archived last) and the form. */

const text = (value: unknown): string =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : '';

/** What the form shows: what was typed before a refusal, else the stored reason or defaults. */
function formValues(form: FormState | undefined, stored?: PauseReasonView) {
  const typed = form?.values ?? {};
  if (Object.keys(typed).length > 0) {
    return {
      code: text(typed.code),
      label: text(typed.label),
      labelEn: text(typed.labelEn),
      maxMinutes: text(typed.maxMinutes),
      position: text(typed.position),
    };
  }
  return {
    code: stored?.code ?? '',
    label: stored?.label ?? '',
    labelEn: stored?.labelEn ?? '',
    maxMinutes: text(stored?.maxMinutes),
    position: text(stored?.position ?? 0),
  };
}

export function pauseReasonListPage(all: PauseReasonView[]) {
  return {
    title: 'pauseReasons.title',
    reasons: [...all.filter((r) => !r.archived), ...all.filter((r) => r.archived)],
  };
}

export function pauseReasonFormPage(form: FormState | undefined, reason?: PauseReasonView) {
  return reason
    ? {
        title: 'pauseReasons.edit.title',
        action: `/pause-reasons/${reason.id}`,
        reason,
        values: formValues(form, reason),
      }
    : { title: 'pauseReasons.new.title', action: '/pause-reasons', values: formValues(form) };
}
