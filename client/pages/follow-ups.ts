/** The follow-up template editor: a preview filled with a sample contact, from the server. */
import { ApiError, postJson } from '../common/api-client';
import { byId, maybeById } from '../common/dom';

interface Preview {
  subject: string;
  text: string;
}

function start(): void {
  const form = maybeById('template-form', HTMLFormElement);
  if (!form) return;
  const errorBox = byId('preview-error');
  const mail = byId('preview-mail');
  const field = (name: string): string => {
    const el = form.elements.namedItem(name);
    return el instanceof HTMLInputElement ||
      el instanceof HTMLTextAreaElement ||
      el instanceof HTMLSelectElement
      ? el.value
      : '';
  };
  let ticket = 0;

  function showPreview(preview: Preview | null): void {
    errorBox.hidden = true;
    mail.hidden = false;
    byId('preview-subject').textContent = preview?.subject ?? '';
    byId('preview-text').textContent = preview?.text ?? '';
  }

  function showError(message: string): void {
    mail.hidden = true;
    errorBox.hidden = false;
    errorBox.textContent = message;
  }

  function preview(): void {
    const mine = ++ticket;
    postJson<Preview>('/api/v1/follow-up-templates/preview', {
      subject: field('subject'),
      body: field('body'),
      language: field('language'),
    }).then(
      (answer) => {
        if (mine === ticket) showPreview(answer);
      },
      (error: unknown) => {
        if (mine !== ticket) return;
        showError(error instanceof ApiError ? error.texts.join('; ') : '—');
      },
    );
  }

  byId('preview-button').addEventListener('click', preview);
  if (field('body').trim()) preview();
}

start();
