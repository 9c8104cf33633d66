import { formatDateTime, formatMoney, formatRate } from '../common/format/locale-format';
import { filledIn, markSelected, queryString } from '../common/http/list-filters';
import type { FormState } from '../common/http/request-context';
import type { Role } from '../common/access/role';
import { CONTRACT_STATES, CONTRACT_TRANSITIONS, type ContractState } from './contract.entity';
import { LIST_TIME_ZONE } from './dto/contract-query';
import type { ContractDetailView } from './dto/contract.view';

/**
 * The backoffice's contract pages as view models: the list with its filters and paging
 * (a trail of cursors for "previous"), and one contract with its lines and history.
 */

/** The filters the list page keeps in its links (paging, export). */
const FILTER_FIELDS = ['status', 'from', 'to', 'campaignId', 'operatorId', 'q', 'limit'] as const;
/** Pages a "previous" link can walk back through (each one is a cursor in the URL). */
const MAX_TRAIL = 50;
/** The first page in the trail of visited pages (it has no cursor). */
const FIRST_PAGE = '~';
const CURSOR_TEXT = /^[A-Za-z0-9_-]{1,200}$/;

function duration(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, '0')}`;
}

export interface ContractFilterOptions {
  campaigns: Array<{ id: number; timezone: string }>;
  operators: Array<{ id: number }>;
}

export interface ContractListItem {
  createdAt: string;
  total: string;
  campaign: { id: number } | null;
}

/** The query as typed: the service's query reads `query`, the page keeps `text`s. */
export function contractFilters(raw: Record<string, unknown>) {
  const query = filledIn(raw);
  const text = (field: string) => (typeof query[field] === 'string' ? query[field] : '');
  const filters = Object.fromEntries(FILTER_FIELDS.map((f) => [f, text(f)])) as Record<
    (typeof FILTER_FIELDS)[number],
    string
  >;
  return { query, filters, after: text('after'), trail: text('trail') };
}

function filterForm(filters: Record<string, string>, options: ContractFilterOptions) {
  return {
    title: 'contracts.list.title',
    filters,
    filtered: FILTER_FIELDS.some((f) => f !== 'limit' && filters[f] !== ''),
    states: CONTRACT_STATES.map((s) => ({ value: s, selected: filters.status === s })),
    campaigns: markSelected(options.campaigns, filters.campaignId),
    operators: markSelected(options.operators, filters.operatorId),
    exportQuery: queryString({ ...filters, limit: undefined }),
  };
}

/** A wrong filter is shown beside it, with the form still there to correct it. */
export function refusedContractListPage(
  raw: Record<string, unknown>,
  options: ContractFilterOptions,
  error: { field: string; message: string },
) {
  const key = / must be after /.test(error.message)
    ? 'contracts.filters.toBeforeFrom'
    : 'contracts.filters.invalid';
  return {
    ...filterForm(contractFilters(raw).filters, options),
    filterError: { field: error.field, key },
    items: [],
    paged: false,
  };
}

export function contractListPage<T extends ContractListItem>(
  raw: Record<string, unknown>,
  options: ContractFilterOptions,
  page: { items: T[]; next: string | null },
  lang: string,
) {
  const { filters, after, trail: trailText } = contractFilters(raw);
  const zones = new Map(options.campaigns.map((c) => [c.id, c.timezone]));
  const trail = trailText
    .split('.')
    .filter((entry) => entry === FIRST_PAGE || CURSOR_TEXT.test(entry))
    .slice(-MAX_TRAIL);
  const link = (cursor: string | undefined, pages: string[]) => {
    const search = queryString({
      ...filters,
      after: cursor,
      trail: pages.length > 0 ? pages.join('.') : undefined,
    });
    return search ? `/contracts?${search}` : '/contracts';
  };
  let previous: string | null = null;
  if (after !== '') {
    // Back to the page this one was reached from (the first page when nothing says which).
    const back = trail[trail.length - 1];
    previous = link(back === FIRST_PAGE ? undefined : back, trail.slice(0, -1));
  }
  const next = page.next
    ? link(page.next, [...trail, after === '' ? FIRST_PAGE : after].slice(-MAX_TRAIL))
    : null;
  return {
    ...filterForm(filters, options),
    items: page.items.map((item) => {
      const zone = (item.campaign && zones.get(item.campaign.id)) ?? LIST_TIME_ZONE;
      return {
        ...item,
        dateText: formatDateTime(item.createdAt, lang, zone),
        zone: zone === LIST_TIME_ZONE ? null : zone,
        totalText: formatMoney(item.total, lang),
      };
    }),
    paged: next !== null || previous !== null,
    next,
    previous,
  };
}

/** One contract: money in the user's language, times on its campaign's clock, the moves allowed. */
export function contractPage(
  contract: ContractDetailView,
  zone: string,
  user: { role: Role; uiLanguage: string },
  form: FormState | undefined,
  reasons: ReadonlyArray<{ code: string; label: string }> = [],
) {
  const lang = user.uiLanguage;
  const money = (value: string) => formatMoney(value, lang);
  const wallClock = (iso: string, zone: string) => formatDateTime(iso, lang, zone);
  const allowed: readonly ContractState[] = CONTRACT_TRANSITIONS[contract.status];
  const typed = (field: string) =>
    typeof form?.values[field] === 'string' ? form.values[field] : '';
  return {
    title: 'contracts.show.title',
    contract: {
      ...contract,
      dateText: wallClock(contract.createdAt, zone),
      statusChangedText: contract.statusChangedAt
        ? wallClock(contract.statusChangedAt, zone)
        : null,
      totalNetText: money(contract.totalNet),
      totalVatText: money(contract.totalVat),
      totalText: money(contract.total),
      lines: contract.lines.map((line) => ({
        ...line,
        unitPriceText: money(line.unitPrice),
        vatRateText: formatRate(line.vatRate, lang),
        netText: money(line.net),
        vatText: money(line.vat),
        totalText: money(line.total),
      })),
      interaction: contract.interaction && {
        ...contract.interaction,
        startedText: wallClock(contract.interaction.startedAt, zone),
        durationText: duration(contract.interaction.durationSeconds),
      },
      history: contract.history.map((entry) => ({
        ...entry,
        atText: wallClock(entry.at, zone),
      })),
    },
    zone,
    anyOverridden: contract.lines.some((line) => line.priceOverridden),
    // The contact page is the coordinators' and admins'; the backoffice sees the snapshot.
    contactLink: user.role === 'admin' || user.role === 'coordinator',
    // What the call captured: a standard field by its label, a custom one by its name.
    fields: contract.fields.map(({ field, value }) => ({
      labelKey: field.startsWith('custom:') ? null : `contracts.fields.${field}`,
      name: field.startsWith('custom:') ? field.slice('custom:'.length) : field,
      field,
      value,
    })),
    actions: {
      // From a suspension the way back is the resume form; its moves are listed there.
      verify: allowed.includes('verified') && contract.status !== 'suspended',
      activate: allowed.includes('activated'),
      suspend: allowed.includes('suspended'),
      resume: contract.status === 'suspended',
      resumeTo: allowed.filter((s) => s === 'new' || s === 'verified'),
      cancel: allowed.includes('cancelled'),
      any: allowed.length > 0,
    },
    reasons: reasons.map((r) => ({ ...r, selected: r.code === typed('reasonCode') })),
    reasonTyped: typed('reason'),
    // The form a refusal came back from stays open.
    cancelOpen: Boolean(form?.errors.reason) && typed('status') === 'cancelled',
    suspendOpen: typed('status') === 'suspended' && Boolean(form?.errors.reasonCode),
    resumeOpen:
      contract.status === 'suspended' && Boolean(form?.errors.reason || form?.errors.reasonCode),
  };
}
