/**
 * Correcting the contact during the call (views/partials/work/contact.hbs, "Correggi i
 * dati"): what the operator changes is kept in the draft, sent with the outcome as
 * `contact` and saved in its transaction; STOP / CHIUDI drops it with the rest.
 */
import { element, findAll } from '../common/dom';

export interface PhoneEdit {
  number: string;
  label: string;
}

export interface ContactEdits {
  firstName?: string;
  lastName?: string;
  email?: string | null;
  address?: string | null;
  city?: string | null;
  province?: string | null;
  postalCode?: string | null;
  phones?: PhoneEdit[];
}

/** What the draft keeps: every field as typed, and the phone rows. */
export interface ContactEditsDraft {
  fields: Record<string, string>;
  phones: PhoneEdit[];
}

const NULLABLE = new Set(['email', 'address', 'city', 'province', 'postalCode']);

export interface ContactEditor {
  /** Only what differs from the contact as it was loaded; null when nothing does. */
  edits(): ContactEdits | null;
  draft(): ContactEditsDraft;
  restore(saved: unknown): void;
}

export function startContactEdits(box: HTMLElement, changed: () => void): ContactEditor {
  const inputs = findAll(box, 'input[data-edit]', HTMLInputElement);
  const phoneList = box.querySelector<HTMLElement>('[data-phones]');
  const addPhone = box.querySelector<HTMLButtonElement>('[data-add-phone]');
  const labels = { number: box.dataset.number ?? '', label: box.dataset.label ?? '' };
  const originalPhones = (): PhoneEdit[] => JSON.parse(box.dataset.phones || '[]') as PhoneEdit[];

  function phoneRow(phone: PhoneEdit): HTMLElement {
    const row = element('div', 'work-edit-phone');
    const number = element('input');
    number.type = 'tel';
    number.value = phone.number;
    number.maxLength = 40;
    number.dataset.phone = 'number';
    number.setAttribute('aria-label', labels.number);
    const label = element('input');
    label.value = phone.label;
    label.maxLength = 30;
    label.dataset.phone = 'label';
    label.setAttribute('aria-label', labels.label);
    row.append(number, label);
    for (const input of [number, label]) input.addEventListener('input', changed);
    return row;
  }

  function phones(): PhoneEdit[] {
    if (!phoneList) return [];
    return findAll(phoneList, '.work-edit-phone').map((row) => ({
      number: row.querySelector<HTMLInputElement>('[data-phone="number"]')?.value.trim() ?? '',
      label: row.querySelector<HTMLInputElement>('[data-phone="label"]')?.value.trim() ?? '',
    }));
  }

  function showPhones(list: PhoneEdit[]): void {
    phoneList?.replaceChildren(...list.map(phoneRow));
  }

  showPhones(originalPhones());
  for (const input of inputs) input.addEventListener('input', changed);
  addPhone?.addEventListener('click', () => {
    phoneList?.appendChild(phoneRow({ number: '', label: '' }));
    changed();
  });

  return {
    edits() {
      const edits: Record<string, unknown> = {};
      for (const input of inputs) {
        const field = input.dataset.edit ?? '';
        const value = input.value.trim();
        if (value === (input.dataset.original ?? '')) continue;
        edits[field] = value === '' && NULLABLE.has(field) ? null : value;
      }
      const typed = phones().filter((p) => p.number !== '');
      if (JSON.stringify(typed) !== JSON.stringify(originalPhones())) edits.phones = typed;
      return Object.keys(edits).length > 0 ? edits : null;
    },
    draft() {
      const fields: Record<string, string> = {};
      for (const input of inputs) fields[input.dataset.edit ?? ''] = input.value;
      return { fields, phones: phones() };
    },
    restore(saved) {
      if (typeof saved !== 'object' || saved === null) return;
      const kept = saved as Partial<ContactEditsDraft>;
      const fields = kept.fields ?? {};
      for (const input of inputs) {
        const value = fields[input.dataset.edit ?? ''];
        if (typeof value === 'string') input.value = value;
      }
      if (Array.isArray(kept.phones)) showPhones(kept.phones);
      if (this.edits()) box.setAttribute('open', '');
    },
  };
}
