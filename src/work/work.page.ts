import { formatMoney, formatRate } from '../common/format/locale-format';
import { formatZonedDateTime } from '../common/time/local-time';
import { MAX_QUANTITY } from './dto/outcome.dto';
import type { OperatorCampaignView } from '../campaigns/operator-campaigns';
import type { WorkItem, WorkStatusView } from './work-item.service';

/**
 * The workstation's view model: the campaign chooser and, while the operator holds a
 * lease, the contact card (views/work/index.hbs and its partials read these names).
 */

/** Keys 1-9: the first nine quick statuses. */
const QUICK_KEYS = 9;

type StatusChip = { code: string; label: string; color: string; type: string };

/** What views/work/index.hbs shows: plain values, labels in the user's language, local times. */
export function workPageView(
  campaigns: OperatorCampaignView[],
  item: WorkItem | null,
  lang: string,
) {
  return {
    campaigns,
    hasCampaigns: campaigns.length > 0,
    item: item ? cardView(item, lang) : null,
  };
}

function cardView(item: WorkItem, lang: string) {
  const zone = item.campaign.timezone;
  const when = (iso: string) => formatZonedDateTime(new Date(iso), zone, lang);
  const label = (status: { label: string; labelEn: string | null }) =>
    lang === 'en' ? (status.labelEn ?? status.label) : status.label;
  const chip = (status: WorkItem['contact']['lastStatus']): StatusChip | null =>
    status
      ? { code: status.code, label: label(status), color: status.color, type: status.type }
      : null;
  const statuses = item.statuses.map((status) => statusView(status, label(status)));
  // A quick status's key is its own (1-9), the same digit in every campaign; a clash left
  // by data older than that rule keeps the first in order and shows the other without one.
  const quick = statuses.filter((status) => status.quick).slice(0, QUICK_KEYS);
  const used = new Set<number>();
  for (const status of quick) {
    if (status.quickOrder !== null && !used.has(status.quickOrder)) {
      status.key = status.quickOrder;
      used.add(status.quickOrder);
    }
  }
  const outcome = { isOutcome: true, quick, statuses };
  const steps = item.steps.map((step) =>
    step.kind === 'outcome'
      ? { ...outcome, id: step.id, title: step.title }
      : {
          id: step.id,
          title: step.title,
          html: step.html,
          required: step.required,
          isScript: step.kind === 'script',
          isQuestion: step.kind === 'question',
          isConsent: step.kind === 'consent',
          consentPurpose: step.consentPurpose,
          contractField: step.contractField,
          isNotes: step.kind === 'notes',
          choices: step.choices?.length ? step.choices : null,
        },
  );
  // A campaign is refused without an outcome step; should one slip through, it goes last.
  if (!item.steps.some((step) => step.kind === 'outcome'))
    steps.push({ ...outcome, id: 0, title: '' });
  const { contact, callback } = item;
  return {
    contact: {
      id: contact.id,
      name: `${contact.firstName} ${contact.lastName}`,
      phone: contact.phone,
      email: contact.email,
      city: contact.city,
      province: contact.province,
      address: item.address,
      // The correction form: each field as stored, and the numbers main first.
      editable: [
        { field: 'firstName', value: contact.firstName, max: 100 },
        { field: 'lastName', value: contact.lastName, max: 100 },
        { field: 'email', value: contact.email ?? '', max: 254, type: 'email' },
        { field: 'address', value: contact.address ?? '', max: 200 },
        { field: 'postalCode', value: contact.postalCode ?? '', max: 10 },
        { field: 'city', value: contact.city ?? '', max: 100 },
        { field: 'province', value: contact.province ?? '', max: 8 },
      ],
      // The other numbers, each a link to dial it like the main one.
      otherPhones: item.otherPhones,
      phonesJson: JSON.stringify(
        contact.phones.map((p) => ({ number: p.number, label: p.label ?? '' })),
      ),
      language: contact.language,
      attempts: contact.attempts,
      state: contact.state,
      lastStatus: chip(contact.lastStatus),
      fields: Object.entries(contact.fields).map(([key, value]) => ({ key, value })),
    },
    phoneLink: item.phoneLink,
    campaign: item.campaign,
    callback: callback
      ? {
          dueAt: when(callback.dueAt),
          visibility: callback.visibility,
          notes: callback.notes,
          reason: callback.reason,
          ownerName: callback.ownerName,
        }
      : null,
    history: {
      interactions: contact.interactions.map((interaction) => ({
        at: when(interaction.at),
        status: chip(interaction.status),
        operatorName: interaction.operatorName,
        notes: interaction.notes,
      })),
      callbacks: contact.callbacks.map((cb) => ({
        dueAt: when(cb.dueAt),
        state: cb.state,
        visibility: cb.visibility,
        ownerName: cb.ownerName,
        notes: cb.notes,
      })),
      contracts: contact.contracts.map((contract) => ({
        protocolNumber: contract.protocolNumber,
        status: contract.status,
        total: formatMoney(contract.total, lang),
        createdAt: when(contract.createdAt),
      })),
      appointments: contact.appointments.map((appointment) => ({
        startsAt: when(appointment.startsAt),
        agentName: appointment.agentName,
        state: appointment.state,
        notes: appointment.notes,
      })),
    },
    hasHistory:
      contact.interactions.length +
        contact.callbacks.length +
        contact.contracts.length +
        contact.appointments.length >
      0,
    steps,
    products: item.products.map((product) => ({
      ...product,
      price: formatMoney(product.unitPrice, lang),
      vatPercent: formatRate(product.vatRate, lang),
    })),
    maxQuantity: MAX_QUANTITY,
    agents: item.agents,
    hasProducts: item.products.length > 0,
    hasAgents: item.agents.length > 0,
    warnOverlap: item.campaign.overlapPolicy === 'warn',
    draftJson: JSON.stringify(item.draft ?? {}),
    eligibility: item.eligibility,
    // "Fine chiamata" and its countdown; the status it confirms is one of the card's.
    wrapUp: item.wrapUp
      ? { ...item.wrapUp, status: statuses.find((s) => s.id === item.wrapUp?.statusId) ?? null }
      : null,
  };
}

function statusView(status: WorkStatusView, label: string) {
  return {
    id: status.id,
    code: status.code,
    label,
    type: status.type,
    color: status.color,
    quick: status.quick,
    quickOrder: status.quickOrder,
    visibility: status.callbackVisibility ?? 'private',
    priceOverride: status.allowPriceOverride,
    key: null as number | null,
  };
}

/** Money as every page writes it (the cart's script uses the same, cart-figures.spec.ts). */
export { formatMoney };
