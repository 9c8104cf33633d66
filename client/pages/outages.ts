/**
 * Outage campaigns (views/outages/new.hbs, show.hbs): the new form reads a chosen CSV file
 * into its text field; the progress page polls its numbers every few seconds until the
 * campaign is closed.
 */
import { getJson } from '../common/api-client';
import { findAll } from '../common/dom';

const POLL_MS = 3000;

interface OutageProgress {
  state: string;
  byStatus: {
    code: string;
    label: string;
    labelEn?: string | null;
    color: string;
    contacts: number;
  }[];
  [count: string]: unknown;
}

function csvFile(): void {
  const file = document.querySelector<HTMLInputElement>('input[data-csv-file]');
  const csvText = document.querySelector<HTMLTextAreaElement>('[data-csv-text]');
  if (!file || !csvText) return;
  file.addEventListener('change', () => {
    const chosen = file.files?.[0];
    if (!chosen) {
      csvText.value = '';
      return;
    }
    const reader = new FileReader();
    reader.onload = () => {
      csvText.value = typeof reader.result === 'string' ? reader.result : '';
    };
    reader.readAsText(chosen);
  });
}

function closeConfirm(): void {
  const closeForm = document.querySelector<HTMLFormElement>('form[data-confirm]');
  if (!closeForm) return;
  closeForm.addEventListener('submit', (event) => {
    if (!window.confirm(closeForm.getAttribute('data-confirm') ?? '')) event.preventDefault();
  });
}

function progressPoll(): void {
  const box = document.getElementById('outage-progress');
  if (!box || box.getAttribute('data-closed')) return;
  const url = box.getAttribute('data-progress-url') ?? '';
  const list = document.querySelector('[data-by-status]');

  function render(progress: OutageProgress): void {
    for (const cell of findAll(box ?? document, '[data-count]')) {
      const key = cell.getAttribute('data-count') ?? '';
      if (key in progress) cell.textContent = String(progress[key]);
    }
    if (list) {
      list.textContent = '';
      for (const s of progress.byStatus) {
        const li = document.createElement('li');
        const outcome = document.createElement('span');
        outcome.className = 'ct-outcome';
        const dot = document.createElement('span');
        dot.className = 'ct-dot';
        dot.style.background = s.color;
        const code = document.createElement('strong');
        code.textContent = s.code;
        outcome.appendChild(dot);
        outcome.appendChild(code);
        const label = box?.dataset.lang === 'en' && s.labelEn ? s.labelEn : s.label;
        outcome.appendChild(document.createTextNode(` ${label}`));
        const count = document.createElement('span');
        count.setAttribute('data-status-count', '');
        count.textContent = String(s.contacts);
        li.appendChild(outcome);
        li.appendChild(document.createTextNode(' '));
        li.appendChild(count);
        list.appendChild(li);
      }
    }
    if (progress.state === 'closed') window.location.reload();
  }

  function poll(): void {
    getJson<OutageProgress>(url)
      .then(render)
      .catch(() => {
        // a missed poll is tried again at the next tick
      })
      .finally(() => window.setTimeout(poll, POLL_MS));
  }
  window.setTimeout(poll, POLL_MS);
}

csvFile();
closeConfirm();
progressPoll();
