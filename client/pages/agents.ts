/**
 * The agent form (views/agents/form.hbs): the weekly hours editor and the calendar link.
 */
import { find, findAll, maybeById, targetOf } from '../common/dom';

// Weekly hours editor: add and remove time windows per day. Without it the fixed rows
// (two per day) still work; a removed window is emptied and hidden, never taken out of
// the form, so the rows keep their numbers (errors refer to them).
function hoursEditor(): void {
  const editor = maybeById('hours-editor');
  if (!editor) return;
  let nextRow = Number(editor.getAttribute('data-next-row')) || 0;

  function renumber(row: HTMLElement, index: number, day: string): void {
    row.setAttribute('data-row', String(index));
    row.classList.remove('has-error');
    row.hidden = false;
    for (const el of findAll(row, '.field-error', Element)) el.remove();
    for (const input of findAll(row, 'input', HTMLInputElement)) {
      const part = /\[(day|start|end)\]$/.exec(input.name)?.[1];
      if (!part) continue;
      input.name = `workingHours[${index}][${part}]`;
      input.removeAttribute('aria-invalid');
      input.removeAttribute('aria-describedby');
      if (part === 'day') input.value = day;
      else {
        input.value = '';
        input.id = `wh-${index}-${part}`;
      }
    }
    for (const label of findAll(row, 'label', HTMLLabelElement)) {
      const part = /-(start|end)$/.exec(label.htmlFor)?.[1];
      if (part) label.htmlFor = `wh-${index}-${part}`;
    }
  }

  editor.addEventListener('click', (event) => {
    const button = targetOf(event)?.closest('button');
    if (!button) return;
    if (button.classList.contains('hours-remove')) {
      const row = button.closest<HTMLElement>('.hours-window');
      if (!row) return;
      for (const input of findAll(row, 'input:not([type="hidden"])', HTMLInputElement)) {
        input.value = '';
      }
      row.hidden = true;
    } else if (button.classList.contains('hours-add')) {
      const day = button.getAttribute('data-day') ?? '';
      const cell = editor.querySelector(`tr[data-day="${day}"] .hours-windows`);
      const template = editor.querySelector('.hours-window');
      if (!cell || !template) return;
      const copy = template.cloneNode(true);
      if (!(copy instanceof HTMLElement)) return;
      renumber(copy, nextRow, day);
      nextRow += 1;
      cell.appendChild(copy);
      find(copy, 'input:not([type="hidden"])').focus();
    }
  });

  for (const button of findAll(editor, '.hours-remove, .hours-add')) button.hidden = false;
}

// Agent's calendar: issuing a new link or revoking it asks first (the old link dies), and
// the feed URL gets a copy button. Without the script the forms post straight away and the
// URL stays selectable in its read-only field.
function calendarLink(): void {
  const section = maybeById('calendar');
  if (!section) return;

  section.addEventListener('submit', (event) => {
    const message = targetOf(event)?.getAttribute('data-confirm');
    if (message && !window.confirm(message)) event.preventDefault();
  });

  const url = maybeById('calendar-url', HTMLInputElement);
  const copy = maybeById('calendar-copy', HTMLButtonElement);
  if (!url || !copy) return;
  const label = copy.textContent;
  url.addEventListener('focus', () => url.select());
  copy.addEventListener('click', () => {
    const done = () => {
      copy.textContent = copy.getAttribute('data-copied') || label;
      window.setTimeout(() => {
        copy.textContent = label;
      }, 2000);
    };
    url.select();
    // execCommand is deprecated, but the only copy an insecure (http) origin has.
    const copyBySelection = () => document.execCommand('copy');
    if (window.isSecureContext && 'clipboard' in navigator) {
      navigator.clipboard.writeText(url.value).then(done, () => {
        if (copyBySelection()) done();
      });
    } else if (copyBySelection()) {
      done();
    }
  });
  copy.hidden = false;
}

hoursEditor();
calendarLink();
