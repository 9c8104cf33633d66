/**
 * The contact import with a progress bar (views/contacts/campaign.hbs): uploads the file to
 * the API and polls the import's progress; without this script the form posts to a page
 * that shows the summary.
 */
import { formatNumber } from '../../src/common/format/locale-format';
import { ApiError, request } from '../common/api-client';
import { find, maybeById } from '../common/dom';
import { startMapping } from '../contacts/import-mapping';

const POLL_MS = 500;

interface ImportCounts {
  key?: string;
  processed?: number;
  imported?: number;
  skipped?: number;
}

function randomKey(): string {
  const bytes = new Uint8Array(12);
  window.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => `0${b.toString(16)}`.slice(-2)).join('');
}

// Lines in the file, estimated from its first 64 KB, so the bar can move before the end.
function estimateLines(file: File): Promise<number> {
  if (!file.size) return Promise.resolve(0);
  return file
    .slice(0, 65536)
    .text()
    .then((head) => {
      const lines = head.split('\n').length - 1;
      if (lines < 1) return 1;
      return Math.max(1, Math.round((file.size / Math.min(file.size, head.length)) * lines) - 1);
    })
    .catch(() => 0);
}

function start(): void {
  const form = maybeById('import-form', HTMLFormElement);
  if (!form) return;
  const progress = find(document, '#import-progress');
  const bar = find(progress, '.ct-progress-bar');
  const barBox = find(progress, '.ct-progress');
  const result = find(document, '#import-result');
  const failure = find(document, '#import-error');
  const lang = document.documentElement.lang || undefined;
  const mapping = startMapping(form);

  function show(counts: ImportCounts, total: number, finished: boolean): void {
    for (const name of ['processed', 'imported', 'skipped'] as const) {
      const cell = progress.querySelector(`[data-count="${name}"]`);
      const count = counts[name];
      if (cell && typeof count === 'number') cell.textContent = formatNumber(count, lang ?? 'it');
    }
    const percent = finished
      ? 100
      : total > 0
        ? Math.min(99, Math.floor((100 * (counts.processed ?? 0)) / total))
        : 5;
    bar.style.width = `${percent}%`;
    barBox.setAttribute('aria-valuenow', String(percent));
  }

  function getHtml(url: string): Promise<string> {
    return fetch(url, { credentials: 'same-origin', headers: { Accept: 'text/html' } }).then(
      (response) => (response.ok ? response.text() : ''),
    );
  }

  // The summary as the server words it, then the list and its count as they are now.
  function showSummary(key: string): Promise<void> {
    return getHtml(`${form?.dataset.summary ?? ''}${encodeURIComponent(key)}?fragment=1`)
      .then((html) => {
        result.innerHTML = html;
        progress.hidden = true;
        return getHtml(window.location.href);
      })
      .then((html) => {
        if (!html) return;
        const fresh = new DOMParser().parseFromString(html, 'text/html');
        for (const selector of ['#contacts-list', '#contacts-count', '#recent-imports']) {
          const now = document.querySelector(selector);
          const next = fresh.querySelector(selector);
          if (now && next) now.replaceWith(next);
        }
      });
  }

  function fail(message: string): void {
    progress.hidden = true;
    find(failure, '[data-message]').textContent = message;
    failure.hidden = false;
  }

  form.addEventListener('submit', (event) => {
    const input = find(form, 'input[type="file"]', HTMLInputElement);
    const file = input.files?.[0];
    if (!file) return; // the browser's own "required" message
    event.preventDefault();
    const key = randomKey();
    const button = find(form, 'button[type="submit"]', HTMLButtonElement);
    let finished = false;
    let total = 0;
    button.disabled = true;
    failure.hidden = true;
    result.innerHTML = '';
    progress.hidden = false;
    show({ processed: 0, imported: 0, skipped: 0 }, 0, false);
    void estimateLines(file).then((lines) => {
      total = lines;
    });

    function poll(): void {
      if (finished) return;
      // 404 until the upload has started.
      request<ImportCounts>(`${form?.dataset.progress ?? ''}${encodeURIComponent(key)}`)
        .then((answer) => {
          if (answer.body && !finished) show(answer.body, total, false);
        })
        .catch(() => {})
        .finally(() => {
          if (!finished) window.setTimeout(poll, POLL_MS);
        });
    }
    window.setTimeout(poll, POLL_MS);

    // The options first: the server reads the form's fields that come before the file.
    const body = new FormData();
    const chosen = mapping();
    if (chosen) body.append('mapping', JSON.stringify({ columns: chosen }));
    for (const name of ['onDuplicate', 'saveMapping']) {
      const box = form.querySelector<HTMLInputElement>(`input[name="${name}"]`);
      if (box?.checked) body.append(name, box.value);
    }
    body.append('file', file, file.name);
    request<ImportCounts>(`${form.dataset.api ?? ''}?key=${encodeURIComponent(key)}`, {
      method: 'POST',
      form: body,
    })
      .then(
        (answer) => answer.body ?? {},
        (error: unknown) => {
          // A file refused once read (missing columns...) still has its summary to show.
          if (error instanceof ApiError && typeof error.body.key === 'string') {
            return error.body as ImportCounts;
          }
          throw error;
        },
      )
      .then((summary) => {
        finished = true;
        if (summary.key) {
          show(summary, total, true);
          return showSummary(summary.key);
        }
        // Refused before it started (no file, unknown campaign...): say why.
        fail('');
        return undefined;
      })
      .catch((error: unknown) => {
        finished = true;
        fail(
          error instanceof ApiError
            ? error.texts.join('; ')
            : error instanceof Error
              ? error.message
              : String(error),
        );
      })
      .finally(() => {
        button.disabled = false;
        delete form.dataset.submitting; // app.ts blocks a second submit; this one is over
        form.reset();
      });
  });
}

start();
