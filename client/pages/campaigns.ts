/**
 * The campaign form's workflow editor (views/campaigns/form.hbs): add, remove and reorder
 * steps, live script preview. Without scripts the form still works: spare rows and order
 * numbers (see form.hbs).
 */
import { ApiError, postJson } from '../common/api-client';
import { find, findAll, targetOf } from '../common/dom';

const PREVIEW_DELAY_MS = 300;

type Row = HTMLElement & { previewTimer?: number; previewTicket?: number };

function start(): void {
  const form = document.querySelector<HTMLElement>('[data-campaign-form]');
  if (!form) return;
  const list = find(form, '[data-workflow]');
  const adder = find(form, '[data-step-adder]');
  const emptyNote = find(form, '[data-workflow-empty]');
  const outcomeOnce = find(form, '[data-outcome-once]');
  const previewUrl = form.getAttribute('data-preview-url') ?? '';
  const texts = {
    error: form.getAttribute('data-text-preview-error') || '',
    empty: form.getAttribute('data-text-preview-empty') || '',
    failed: form.getAttribute('data-text-preview-failed') || '',
  };

  const rows = (): Row[] => findAll(list, '[data-step]');
  const input = (row: ParentNode, selector: string) => find(row, selector, HTMLInputElement);
  const button = (row: ParentNode, selector: string) => find(row, selector, HTMLButtonElement);

  // A new step is a copy of an empty row; the spare rows themselves are for scriptless browsers.
  const spares = findAll(list, '[data-spare]');
  const model = spares[0] ?? rows()[0];
  if (!model) return;
  const prototype = model.cloneNode(true) as Row;
  prototype.removeAttribute('data-spare');
  for (const el of findAll(prototype, '[aria-invalid]', Element))
    el.removeAttribute('aria-invalid');
  for (const el of findAll(prototype, '.field-error', Element)) el.remove();
  for (const row of spares) row.remove();

  form.classList.add('wf-editor-on');
  adder.hidden = false;

  type Named = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement | HTMLButtonElement;
  const isNamed = (el: Element): el is Named =>
    el instanceof HTMLInputElement ||
    el instanceof HTMLSelectElement ||
    el instanceof HTMLTextAreaElement ||
    el instanceof HTMLButtonElement;

  function kindOf(row: Row): string {
    return find(row, '[data-step-kind]', HTMLSelectElement).value;
  }

  function renumber(): void {
    const all = rows();
    all.forEach((row, i) => {
      for (const el of findAll(row, '[name^="steps["]', Element).filter(isNamed)) {
        el.name = el.name.replace(/^steps\[\d+\]/, `steps[${i}]`);
      }
      for (const el of findAll(row, '[id^="step-"]', Element)) {
        el.id = el.id.replace(/^step-\d+-/, `step-${i}-`);
      }
      for (const el of findAll(row, 'label[for^="step-"]', HTMLLabelElement)) {
        el.htmlFor = el.htmlFor.replace(/^step-\d+-/, `step-${i}-`);
      }
      find(row, '[data-step-number]').textContent = String(i + 1);
      input(row, '[name$="[position]"]').value = String(i + 1);
      button(row, '[data-action="up"]').disabled = i === 0;
      button(row, '[data-action="down"]').disabled = i === all.length - 1;
    });
    emptyNote.hidden = all.length > 0;
    const hasOutcome = all.some((row) => kindOf(row) === 'outcome');
    button(adder, '[data-add-step="outcome"]').disabled = hasOutcome;
    outcomeOnce.hidden = !hasOutcome;
  }

  // Fields that do not belong to the kind are disabled, so they are not sent either.
  function applyKind(row: Row): void {
    const kind = kindOf(row);
    row.setAttribute('data-kind', kind);
    const choices = row.querySelector('[data-step-choices]');
    const purpose = row.querySelector('[data-step-consent-purpose]');
    const contractField = row.querySelector('[name$="[contractField]"]');
    const required = row.querySelector('[name$="[required]"]');
    if (choices && isNamed(choices)) choices.disabled = kind !== 'question';
    if (purpose && isNamed(purpose)) purpose.disabled = kind !== 'consent';
    if (contractField && isNamed(contractField)) contractField.disabled = kind !== 'question';
    if (required && isNamed(required)) required.disabled = kind === 'outcome';
    if (kind === 'script') schedulePreview(row, 0);
  }

  function enhance(row: Row): void {
    find(row, '[data-step-tools]').hidden = false;
    applyKind(row);
  }

  function titleOf(row: ParentNode): HTMLElement {
    return find(row, '[name$="[title]"]');
  }

  function addStep(kind: string): void {
    const row = prototype.cloneNode(true) as Row;
    find(row, '[data-step-kind]', HTMLSelectElement).value = kind;
    list.appendChild(row);
    enhance(row);
    renumber();
    titleOf(row).focus();
  }

  function showPreview(row: Row, content: string, isError: boolean): void {
    const pane = find(row, '[data-preview]');
    pane.textContent = '';
    if (isError) {
      const span = document.createElement('span');
      span.className = 'wf-preview-error';
      span.textContent = content;
      pane.appendChild(span);
    } else {
      // Safe: the server escapes the script's text and every value (ScriptRenderer).
      pane.innerHTML = content;
    }
  }

  function schedulePreview(row: Row, delay: number): void {
    window.clearTimeout(row.previewTimer);
    row.previewTimer = window.setTimeout(() => preview(row), delay);
  }

  function preview(row: Row): void {
    const body = find(row, '[data-step-body]', HTMLTextAreaElement).value;
    if (!body.trim()) {
      const pane = find(row, '[data-preview]');
      pane.innerHTML = '';
      const muted = document.createElement('span');
      muted.className = 'muted';
      muted.textContent = texts.empty;
      pane.appendChild(muted);
      return;
    }
    // Only the answer to the latest request counts.
    const ticket = (row.previewTicket = (row.previewTicket ?? 0) + 1);
    postJson<{ html: string }>(previewUrl, { body }).then(
      (answer) => {
        if (ticket !== row.previewTicket) return;
        row.classList.remove('has-preview-error');
        showPreview(row, answer?.html ?? '', false);
      },
      (error: unknown) => {
        if (ticket !== row.previewTicket) return;
        if (!(error instanceof ApiError)) {
          showPreview(row, texts.failed, true);
          return;
        }
        const message = error.texts
          .join('; ')
          .replace(/^body: (the script does not compile: )?/, '');
        row.classList.add('has-preview-error');
        showPreview(row, `${texts.error} ${message}`, true);
      },
    );
  }

  list.addEventListener('click', (event) => {
    const clicked = targetOf(event)?.closest<HTMLButtonElement>('[data-action]');
    if (!clicked) return;
    const row = clicked.closest<Row>('[data-step]');
    if (!row) return;
    const action = clicked.getAttribute('data-action');
    if (action === 'up' && row.previousElementSibling) {
      list.insertBefore(row, row.previousElementSibling);
    } else if (action === 'down' && row.nextElementSibling) {
      list.insertBefore(row.nextElementSibling, row);
    } else if (action === 'remove') {
      const next = row.nextElementSibling ?? row.previousElementSibling;
      row.remove();
      if (next) titleOf(next).focus();
    }
    renumber();
    if (action !== 'remove' && document.body.contains(clicked) && !clicked.disabled) {
      clicked.focus();
    }
  });

  list.addEventListener('change', (event) => {
    const target = targetOf(event);
    const row = target?.closest<Row>('[data-step]');
    if (target?.matches('[data-step-kind]') && row) {
      applyKind(row);
      renumber();
    }
  });

  list.addEventListener('input', (event) => {
    const target = targetOf(event);
    if (!target?.matches('[data-step-body]')) return;
    const row = target.closest<Row>('[data-step]');
    if (row && kindOf(row) === 'script') schedulePreview(row, PREVIEW_DELAY_MS);
  });

  adder.addEventListener('click', (event) => {
    const clicked = targetOf(event)?.closest<HTMLButtonElement>('[data-add-step]');
    if (clicked && !clicked.disabled) addStep(clicked.getAttribute('data-add-step') ?? '');
  });

  rows().forEach(enhance);
  renumber();
}

start();
