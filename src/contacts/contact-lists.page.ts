import type { ExportTable } from '../common/csv/export-table';
import type { FormState } from '../common/http/request-context';
import { formatNumber } from '../common/format/locale-format';
import type { ContactListDetail, ContactListView } from './contact-lists.service';
import { CONTACT_STATES } from './contact.entity';

/**
 * The coordinators' list pages as view models: a campaign's lists with their figures, and
 * one list with its contacts by state and by last outcome, pausing and recycling it.
 */

function figures(list: ContactListView, lang: string) {
  return {
    ...list,
    totalText: formatNumber(list.total, lang),
    states: CONTACT_STATES.map((state) => ({
      state,
      count: list.byState[state],
      countText: formatNumber(list.byState[state], lang),
    })),
  };
}

export function listsPage(
  campaign: { id: number; name: string },
  lists: ContactListView[],
  lang: string,
) {
  return {
    title: 'contacts.lists.title',
    campaign,
    states: CONTACT_STATES,
    lists: lists.map((list) => figures(list, lang)),
  };
}

export function listPage(
  campaign: { id: number; name: string },
  list: ContactListDetail,
  lang: string,
  form: FormState | undefined,
) {
  const values = form?.values ?? {};
  const chosen = new Set(
    ([] as unknown[]).concat(values.statusIds ?? []).map((value) => String(value)),
  );
  return {
    title: 'contacts.lists.one',
    campaign,
    list: figures(list, lang),
    outcomes: list.byStatus.map((status) => ({
      ...status,
      countText: formatNumber(status.count, lang),
      checked: chosen.has(String(status.statusId)),
    })),
    recycles: list.recycles,
    olderThanHours: typeof values.olderThanHours === 'string' ? values.olderThanHours : '',
    errors: form?.errors ?? {},
  };
}

/** The list's last outcomes as a CSV table: code, label, type, contacts. */
export function listOutcomeTable(name: string, list: ContactListDetail): ExportTable {
  return {
    name,
    zone: 'UTC', // counts only, no moments
    columns: [
      { key: 'code', kind: 'text' },
      { key: 'label', kind: 'text' },
      { key: 'type', kind: 'text' },
      { key: 'contacts', kind: 'integer' },
    ],
    batches: [list.byStatus.map((s) => [s.code, s.label, s.type, s.count])],
  };
}
