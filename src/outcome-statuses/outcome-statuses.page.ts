import type { FormState } from '../common/http/request-context';
import type { FollowUpTemplateView } from '../follow-ups/dto/follow-up-template.dto';
import type { OutcomeStatusView } from './dto/outcome-status.view';
import { CALLBACK_VISIBILITIES, OUTCOME_TYPES, type OutcomeType } from './outcome-status.entity';
import { COLOR_PATTERN, readableTextColor } from './tile-color';

/** The outcome status pages' view models: the list by type, and the form with its tile preview. */

const NEW_STATUS_COLOR = '#1E88E5';
const TYPE_ORDER: readonly OutcomeType[] = OUTCOME_TYPES;

/** What the form shows: what was typed before a refusal, else the stored status or defaults. */
interface StatusFormValues {
  code: string;
  label: string;
  labelEn: string;
  type: string;
  color: string;
  quick: boolean;
  quickOrder: string;
  callbackVisibility: string;
  retryAfterMinutes: string;
  maxAttempts: string;
  doNotCall: boolean;
  customerReached: boolean;
  allowPriceOverride: boolean;
}

const text = (value: unknown): string =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : '';
const ticked = (value: unknown): boolean => value === true || value === 'true' || value === 'on';

function formValues(form: FormState | undefined, stored?: OutcomeStatusView): StatusFormValues {
  const typed = form?.values ?? {};
  if (Object.keys(typed).length > 0) {
    return {
      code: text(typed.code),
      label: text(typed.label),
      labelEn: text(typed.labelEn),
      type: text(typed.type),
      color: text(typed.color),
      quick: ticked(typed.quick),
      quickOrder: text(typed.quickOrder),
      callbackVisibility: text(typed.callbackVisibility),
      retryAfterMinutes: text(typed.retryAfterMinutes),
      maxAttempts: text(typed.maxAttempts),
      doNotCall: ticked(typed.doNotCall),
      customerReached: ticked(typed.customerReached),
      allowPriceOverride: ticked(typed.allowPriceOverride),
    };
  }
  return {
    code: stored?.code ?? '',
    label: stored?.label ?? '',
    labelEn: stored?.labelEn ?? '',
    type: stored?.type ?? 'N',
    color: stored?.color ?? NEW_STATUS_COLOR,
    quick: stored?.quick ?? false,
    quickOrder: text(stored?.quickOrder),
    callbackVisibility: stored?.callbackVisibility ?? '',
    retryAfterMinutes: text(stored?.retryAfterMinutes),
    maxAttempts: text(stored?.maxAttempts),
    doNotCall: stored?.doNotCall ?? false,
    customerReached: stored?.customerReached ?? true,
    allowPriceOverride: stored?.allowPriceOverride ?? false,
  };
}

/** The form's view model: its values, the choices, and the tile preview as the server sees it. */
function formModel(values: StatusFormValues) {
  const color = COLOR_PATTERN.test(values.color.trim().toUpperCase())
    ? values.color.trim().toUpperCase()
    : '#CCCCCC';
  return {
    values,
    types: TYPE_ORDER,
    visibilities: CALLBACK_VISIBILITIES,
    quickOrders: [1, 2, 3, 4, 5, 6, 7, 8, 9].map(String),
    preview: { color, textColor: readableTextColor(color) },
  };
}

export function statusListPage(all: OutcomeStatusView[]) {
  const byWallOrder = (a: OutcomeStatusView, b: OutcomeStatusView) =>
    Number(b.quick) - Number(a.quick) ||
    (a.quickOrder ?? 0) - (b.quickOrder ?? 0) ||
    a.code.localeCompare(b.code);
  const active = all.filter((s) => !s.archived).sort(byWallOrder);
  return {
    title: 'statuses.title',
    groups: TYPE_ORDER.map((type) => ({
      type,
      statuses: active.filter((s) => s.type === type),
    })),
    archived: all.filter((s) => s.archived),
    empty: all.length === 0,
  };
}

export function newStatusPage(form: FormState | undefined) {
  return {
    title: 'statuses.new.title',
    action: '/outcome-statuses',
    ...formModel(formValues(form)),
  };
}

export function editStatusPage(
  status: OutcomeStatusView,
  templates: FollowUpTemplateView[],
  form: FormState | undefined,
) {
  return {
    title: 'statuses.edit.title',
    action: `/outcome-statuses/${status.id}`,
    status,
    // The follow-up e-mails this status sends, each linked to its edit page.
    followUps: templates.map((t) => ({
      id: t.id,
      reason: t.reason,
      language: t.language,
      subject: t.subject,
    })),
    ...formModel(formValues(form, status)),
  };
}
