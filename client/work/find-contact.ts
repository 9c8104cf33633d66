/**
 * Finding a caller or a customer to call, on the empty workstation
 * (views/partials/work/find-contact.hbs): GET /api/v1/work/search as the operator types,
 * then POST /api/v1/work/take, inbound ("the customer is on the line") or manual ("call
 * them"), and the page shows the taken contact as if `next` had dealt it.
 */
import { ApiError, getJson, request } from '../common/api-client';
import { byId, element, maybeById } from '../common/dom';

interface FoundContact {
  id: number;
  name: string;
  phone: string;
  campaignId: number;
  state: string;
}

export type TakeReason = 'inbound' | 'manual';

/** Takes the contact and shows it on the workstation; the error's text otherwise. */
export async function takeContact(contactId: number, reason: TakeReason): Promise<void> {
  // The page renders the card after: the answer need only say that the contact was leased.
  await request('/api/v1/work/take', {
    method: 'POST',
    json: { contactId, reason },
    headers: { Prefer: 'return=minimal' },
  });
  window.location.replace('/work');
}

export function failureText(error: unknown): string {
  return error instanceof ApiError ? error.texts.join(' ') : String(error);
}

export function startFindContact(): void {
  const form = maybeById('work-find', HTMLFormElement);
  if (!form) return;
  const input = byId('work-find-q', HTMLInputElement);
  const list = byId('work-find-results');
  const error = byId('work-find-error');
  const strings = form.dataset;
  let timer: number | undefined;
  let asked = '';

  function say(text: string): void {
    error.textContent = text;
    error.hidden = text === '';
  }

  function row(found: FoundContact): HTMLLIElement {
    const li = element('li', 'work-find-row');
    const who = element('span', 'work-find-who');
    who.textContent = `${found.name} · ${found.phone}`;
    li.appendChild(who);
    for (const [reason, label] of [
      ['inbound', strings.inbound ?? 'inbound'],
      ['manual', strings.manual ?? 'call'],
    ] as const) {
      const button = element('button', `btn btn-small work-find-${reason}`);
      button.type = 'button';
      button.textContent = label;
      button.dataset.contactId = String(found.id);
      button.addEventListener('click', () => {
        say('');
        takeContact(found.id, reason).catch((e: unknown) => say(failureText(e)));
      });
      li.appendChild(button);
    }
    return li;
  }

  function search(): void {
    const q = input.value.trim();
    if (q.length < 3 || q === asked) {
      if (q.length < 3) list.replaceChildren();
      return;
    }
    asked = q;
    getJson<FoundContact[]>(`/api/v1/work/search?q=${encodeURIComponent(q)}`).then(
      (rows) => {
        if (q !== input.value.trim()) return;
        say(rows.length === 0 ? (strings.none ?? '') : '');
        list.replaceChildren(...rows.map(row));
      },
      (e: unknown) => say(failureText(e)),
    );
  }

  input.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, 250);
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    window.clearTimeout(timer);
    asked = '';
    search();
  });
}
