/**
 * Screen-pop on the operator workstation (views/partials/work/screen-pop.hbs): calls ringing
 * or answered on the operator's extension arrive over GET /api/v1/cti/stream (Server-Sent
 * Events) and show the caller's contact at once, without a reload; an unknown number opens a
 * new-contact form filled in with it, saved through POST /api/v1/cti/contacts.
 */
import { ApiError, postJson } from '../common/api-client';
import { byId, maybeById } from '../common/dom';
import { failureText, takeContact } from './find-contact';

interface Pop {
  type: string;
  phone: string;
  phoneLink: string;
  contact?: { id: number; name?: string | null; campaignName: string; url: string } | null;
}

interface SavedContact {
  id: number;
  firstName: string;
  lastName: string;
}

export function startScreenPop(): void {
  const box = maybeById('screen-pop');
  if (!box || typeof EventSource === 'undefined') return;
  const strings = box.dataset;
  const text = (key: string): string => strings[key] ?? '';
  const title = byId('screen-pop-title');
  const line = byId('screen-pop-line');
  const form = byId('screen-pop-form', HTMLFormElement);

  function link(href: string, label: string): HTMLAnchorElement {
    const a = document.createElement('a');
    a.href = href;
    a.textContent = label;
    return a;
  }

  /** "Open": the caller's contact taken onto this workstation (they called us: inbound). */
  function openButton(contactId: number): HTMLButtonElement {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'btn btn-small btn-primary screen-pop-open';
    button.textContent = text('open');
    button.addEventListener('click', () => {
      takeContact(contactId, 'inbound').catch((error: unknown) => {
        line.textContent = `${text('failed')} ${failureText(error)}`;
      });
    });
    return button;
  }

  function show(pop: Pop): void {
    if (box) box.hidden = false;
    const heading = pop.type === 'call.answered' ? text('answered') : text('ringing');
    line.textContent = '';
    if (pop.contact) {
      title.textContent = `${heading} ${pop.contact.name || pop.phone}`;
      line.appendChild(link(pop.phoneLink, pop.phone));
      line.appendChild(document.createTextNode(` · ${pop.contact.campaignName} · `));
      line.appendChild(openButton(pop.contact.id));
      form.hidden = true;
    } else {
      title.textContent = `${heading} ${pop.phone}`;
      line.appendChild(document.createTextNode(`${text('unknown')} `));
      line.appendChild(link(pop.phoneLink, pop.phone));
      byId('screen-pop-phone', HTMLInputElement).value = pop.phone;
      form.hidden = false;
      byId('screen-pop-first').focus();
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const field = (name: string) => {
      const value = data.get(name);
      return typeof value === 'string' ? value : '';
    };
    postJson<SavedContact>('/api/v1/cti/contacts', {
      campaignId: Number(data.get('campaignId')),
      firstName: field('firstName'),
      lastName: field('lastName'),
      phone: field('phone'),
    })
      // The new caller is taken at once: saved and on the workstation in one step.
      .then((saved) => {
        line.textContent = '';
        form.hidden = true;
        line.appendChild(
          document.createTextNode(
            `${text('saved')} ${saved?.firstName ?? ''} ${saved?.lastName ?? ''}`,
          ),
        );
        return saved ? takeContact(saved.id, 'inbound') : undefined;
      })
      .then(
        () => undefined,
        (error: unknown) => {
          line.textContent =
            error instanceof ApiError
              ? `${text('failed')} ${error.texts.join(' ')}`
              : `${text('failed')} ${String(error)}`;
        },
      );
  });

  const source = new EventSource('/api/v1/cti/stream');
  source.addEventListener('pop', (event) => {
    show(JSON.parse((event as MessageEvent<string>).data) as Pop);
  });
  // A call ended that started the wrap-up: the workstation counts down (wrap-up.ts).
  source.addEventListener('wrapup', (event) => {
    const detail: unknown = JSON.parse((event as MessageEvent<string>).data);
    document.dispatchEvent(new CustomEvent('esito:wrap-up', { detail }));
  });
}
