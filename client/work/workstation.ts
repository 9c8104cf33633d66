/**
 * The operator workstation (views/work/index.hbs): next contact, the outcome and what its
 * type needs, CONFERMA ESITO, STOP / CHIUDI, a draft saved on every change and a heartbeat
 * that keeps the lease, all through /api/v1/work. Keyboard first: N (or Enter on the empty
 * page) next contact, 1-9 quick outcomes, Ctrl+Enter confirm, Esc stop. The cart of a sale
 * is cart.ts, the agenda of an appointment agenda.ts.
 */
import { type ContactEdits, startContactEdits } from './contact-edits';
import { ApiError, request } from '../common/api-client';
import { byId, find, findAll, maybeById, targetOf, tryStorage } from '../common/dom';
import { createWorkAgenda, type WorkAgenda } from './agenda';
import { createWorkCart, type CartLine, type WorkCart } from './cart';
import { watchContractFields } from './contract-field-inputs';
import { formatDateTime } from '../../src/common/format/locale-format';
import { cents, formatMoney } from './cart-figures';
import { startWrapUp } from './wrap-up';
import { toZonedLocal, zonedLocalToUtc } from './zoned-time';

const API = '/api/v1/work';
const DRAFT_DELAY_MS = 500;
const HEARTBEAT_MS = 30_000;
const CAMPAIGN_KEY = 'esito.work.campaign';

/** What the outcome's answer says was saved (src/work/dto). */
interface SavedOutcome {
  status?: { code?: string; label?: string; color?: string };
  callback?: { dueAt: string; visibility: string } | null;
  contract?: { protocolNumber: string; total: string } | null;
  appointment?: { startsAt: string; agentName: string; overlaps?: boolean } | null;
  nextCallAt?: string | null;
  contactState?: string;
}

interface OutcomeBody {
  statusId: number;
  notes?: string;
  answers?: Record<string, string>;
  callback?: { at?: string; visibility?: string };
  cart?: CartLine[];
  contact?: ContactEdits;
  dialledPhone?: string;
  appointment?: {
    agentId?: number;
    startsAt?: string;
    notes?: string;
    acknowledgeOverlap?: boolean;
  };
}

/** The draft as saved on every change (PUT /:contactId/draft) and restored on load. */
interface Draft {
  contact?: unknown;
  notes?: unknown;
  answers?: unknown;
  statusId?: unknown;
  callback?: { at?: unknown; visibility?: unknown; notes?: unknown };
  cart?: unknown;
  appointment?: {
    agentId?: unknown;
    startsAt?: unknown;
    notes?: unknown;
    acknowledgeOverlap?: unknown;
  };
}

type DraftState = 'idle' | 'saving' | 'saved' | 'failed';

/** The contact this tab has just discarded (sessionStorage), skipped by the next `next`. */
const DISCARDED_KEY = 'esito.work.discarded';

/** Typing in a field: the page's letter and digit keys stay the field's. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT') {
    return true;
  }
  if (!(target instanceof HTMLInputElement)) return false;
  return !['radio', 'checkbox', 'button', 'submit'].includes(target.type);
}

/** Dark or white text, whichever reads better on the status colour. */
function inkOn(hex: string): string {
  const match = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) return '#ffffff';
  const channel = (i: 1 | 2 | 3) => parseInt(match[i] ?? '0', 16);
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(2) + 0.0722 * channel(3);
  return luminance > 150 ? '#1b2430' : '#ffffff';
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export function startWorkstation(): void {
  const strings = byId('work-strings').dataset;
  const text = (key: string): string => strings[key] ?? '';
  const lang = strings.lang === 'en' ? 'en' : 'it';
  const nextButton = byId('work-next', HTMLButtonElement);
  const campaignSelect = maybeById('work-campaign', HTMLSelectElement);
  const message = byId('work-message');
  const card = maybeById('work-card');
  const result = byId('work-result');

  // Colours come from data attributes: a CSS custom property set here passes any CSP.
  for (const el of findAll(document, '[data-color]')) {
    el.style.setProperty('--status-color', el.dataset.color ?? '');
  }

  // ---- the API -------------------------------------------------------------------------

  function api<T>(
    method: 'POST' | 'PUT',
    path: string,
    json?: unknown,
    keepalive = false,
  ): Promise<{ status: number; body: T | null }> {
    return request<T>(API + path, { method, json, keepalive });
  }

  /** The refusal in the operator's language, one text a line; the page's words when it has none. */
  function errorMessage(error: unknown): string {
    if (!(error instanceof ApiError)) return '';
    return error.texts.join('\n') || text('generic');
  }

  function showMessage(value: string): void {
    message.textContent = value;
    message.hidden = !value;
  }

  // ---- next contact ----------------------------------------------------------------------

  if (campaignSelect) {
    // The chosen campaign is remembered on this workstation (storage may be refused).
    const remembered = tryStorage(() => window.localStorage.getItem(CAMPAIGN_KEY));
    if (remembered && campaignSelect.querySelector(`option[value="${remembered}"]`)) {
      campaignSelect.value = remembered;
    }
    campaignSelect.addEventListener('change', () => {
      tryStorage(() => window.localStorage.setItem(CAMPAIGN_KEY, campaignSelect.value));
    });
  }

  let cardActive = card !== null;
  let fetchingNext = false;

  // What a discard left for the page it reloads into: its notice, and the contact not to
  // be dealt straight back (sessionStorage: this tab only; refused storage loses nothing).
  if (tryStorage(() => window.sessionStorage.getItem(DISCARDED_KEY)) && !card) {
    showMessage(text('discarded'));
  }
  function nextContact(): void {
    if (fetchingNext || nextButton.disabled) return;
    fetchingNext = true;
    nextButton.setAttribute('aria-busy', 'true');
    clearErrors();
    showMessage('');
    const body: { campaignId?: number; skipContactId?: number } = {};
    if (campaignSelect?.value) body.campaignId = Number(campaignSelect.value);
    const discarded = Number(tryStorage(() => window.sessionStorage.getItem(DISCARDED_KEY)));
    tryStorage(() => window.sessionStorage.removeItem(DISCARDED_KEY));
    if (discarded > 0) body.skipContactId = discarded;
    // The page renders the card after: the answer need only say that a contact was leased.
    request(`${API}/next`, { method: 'POST', json: body, headers: { Prefer: 'return=minimal' } })
      .then((answer) => {
        if (answer.status === 204) {
          showMessage(text('nothing'));
          // Asking for a contact ended a pause: the state in the top bar says so.
          document.dispatchEvent(new Event('esito:work-changed'));
          return;
        }
        // The card is rendered by the server, like after a reload.
        window.location.replace('/work');
      })
      .catch((error: unknown) => {
        showError(error);
      })
      .finally(() => {
        fetchingNext = false;
        nextButton.removeAttribute('aria-busy');
        if (!card || !cardActive) nextButton.focus();
      });
  }
  nextButton.addEventListener('click', nextContact);

  // ---- errors beside their fields ------------------------------------------------------

  function clearErrors(): void {
    for (const el of findAll(document, '[data-error-for]')) {
      el.hidden = true;
      el.textContent = '';
    }
    for (const el of findAll(document, '[aria-invalid]', Element)) {
      el.removeAttribute('aria-invalid');
    }
  }

  function slotVisible(slot: HTMLElement): boolean {
    const panel = slot.closest<HTMLElement>('[data-panel]');
    return !panel || !panel.hidden;
  }

  /** The error slot for a field: itself, a parent ("cart.0.quantity" → "cart"), or a child. */
  function slotFor(field: string): HTMLElement | null {
    const parts = field ? field.split('.') : [];
    for (let n = parts.length; n > 0; n--) {
      const name = parts.slice(0, n).join('.');
      const slot = document.querySelector<HTMLElement>(`[data-error-for="${name}"]`);
      if (slot && slotVisible(slot)) return slot;
      const child = document.querySelector<HTMLElement>(`[data-error-for^="${name}."]`);
      if (child && slotVisible(child)) return child;
    }
    return (
      document.querySelector<HTMLElement>('[data-error-for="_general"]') ??
      document.querySelector<HTMLElement>('[data-error-for="campaignId"]')
    );
  }

  function showError(error: unknown): void {
    const all = errorMessage(error);
    const texts =
      error instanceof ApiError
        ? error.fieldErrors.length > 0
          ? error.fieldErrors
          : [{ field: '', message: all }]
        : [{ field: '', message: text('network') }];
    let focused = false;
    for (const { field, message: line } of texts) {
      const slot = slotFor(field);
      if (!slot) continue;
      slot.textContent = slot.hidden ? line : `${slot.textContent ?? ''} ${line}`;
      slot.hidden = false;
      // The agenda's hidden inputs take no focus: its error slot is shown instead.
      const input =
        field && card
          ? card.querySelector<HTMLElement>(`[name="${field}"]:not([type="hidden"])`)
          : null;
      if (input) input.setAttribute('aria-invalid', 'true');
      if (!focused) {
        focused = true;
        if (input) input.focus();
        else slot.scrollIntoView({ block: 'center' });
      }
    }
    const english = error instanceof ApiError ? error.messages.join(' ') : '';
    if (error instanceof ApiError && error.status === 403 && /not leased|expired/.test(english)) {
      leaseLost();
    }
    if (agenda) agenda.failed(error, all);
  }

  let agenda: WorkAgenda | null = null;

  if (!card) {
    document.addEventListener('keydown', (event) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTyping(event.target)) return;
      const onPage = event.target === document.body || event.target === document.documentElement;
      if (event.key === 'n' || event.key === 'N' || (event.key === 'Enter' && onPage)) {
        event.preventDefault();
        nextContact();
      }
    });
    return;
  }

  // ---- the contact being worked ----------------------------------------------------------

  const workCard: HTMLElement = card;

  const contactId = workCard.dataset.contactId ?? '';
  const zone = workCard.dataset.timezone ?? 'UTC';
  let busy = false;
  const notes = maybeById('work-notes', HTMLTextAreaElement);
  const statusRadios = findAll(workCard, 'input[name="statusId"]', HTMLInputElement);
  const quickButtons = findAll(workCard, '.work-quick-btn', HTMLButtonElement);
  const panels = findAll(workCard, '[data-panel]');
  const callbackAt = maybeById('callback-at', HTMLInputElement);
  const callbackNotes = maybeById('callback-notes', HTMLTextAreaElement);
  const appointmentAgent = maybeById('appointment-agent', HTMLInputElement);
  const appointmentStart = maybeById('appointment-start', HTMLInputElement);
  const appointmentNotes = maybeById('appointment-notes', HTMLTextAreaElement);
  const acknowledge = maybeById('appointment-ack', HTMLInputElement);
  const confirmButton = byId('work-confirm', HTMLButtonElement);
  const stopButton = byId('work-stop', HTMLButtonElement);
  const dialog = byId('work-stop-dialog', HTMLDialogElement);
  const draftState = byId('work-draft-state');
  const money = (amountCents: number) => formatMoney(amountCents, lang);
  const cartBox = maybeById('work-cart-box');
  const cart: WorkCart | null = cartBox
    ? createWorkCart(cartBox, {
        strings,
        formatMoney: money,
        changed: () => changed(),
        confirm: () => confirm(),
      })
    : null;
  // One of the contact's numbers dialled: the server first says it may be called (it is
  // the contact's and not on the do-not-call list), then the softphone dials it; the call
  // records which.
  let dialled = '';
  for (const link of findAll(document, 'a[data-dial]', HTMLAnchorElement)) {
    link.addEventListener('click', (event) => {
      const number = link.dataset.dial ?? '';
      if (!number) return;
      event.preventDefault();
      clearErrors();
      api('POST', `/${contactId}/dial`, { phone: number }).then(() => {
        dialled = number;
        window.location.href = link.href;
      }, showError);
    });
  }
  const editBox = maybeById('work-contact-edit');
  const contactEditor = editBox ? startContactEdits(editBox, () => changed()) : null;
  const agendaBox = maybeById('work-agenda');
  agenda = agendaBox
    ? createWorkAgenda(agendaBox, {
        zone,
        zonedLocalToUtc: (local) => zonedLocalToUtc(local, zone),
        changed: () => changed(),
        confirm: () => confirm(),
      })
    : null;

  function selectedStatus(): HTMLInputElement | null {
    return statusRadios.find((radio) => radio.checked) ?? null;
  }

  function radioValue(name: string): string {
    return workCard.querySelector<HTMLInputElement>(`input[name="${name}"]:checked`)?.value ?? '';
  }

  function setRadio(name: string, value: string): void {
    for (const radio of findAll(workCard, `input[name="${name}"]`, HTMLInputElement)) {
      radio.checked = radio.value === value;
    }
  }

  // ---- times in the campaign's zone ------------------------------------------------------

  function formatWhen(iso: string): string {
    return formatDateTime(iso, lang, zone);
  }

  /** A local time as the API wants it; a value that is no time is sent as typed (the server names it). */
  function isoOf(local: string): string {
    const instant = zonedLocalToUtc(local, zone);
    return instant ? instant.toISOString() : local;
  }

  // ---- the chosen outcome and what its type needs ----------------------------------------

  function showPanelFor(radio: HTMLInputElement | null): void {
    const type = radio ? radio.dataset.type : '';
    for (const panel of panels) panel.hidden = panel.dataset.panel !== type;
    for (const button of quickButtons) {
      button.setAttribute(
        'aria-pressed',
        String(!!radio && button.dataset.statusId === radio.value),
      );
    }
    for (const label of findAll(workCard, '.work-status', Element)) {
      label.classList.toggle('is-chosen', !!radio && label.contains(radio) && radio.checked);
    }
  }

  /** Selects a status; `fromDraft` keeps what the draft says instead of the status' defaults. */
  function chooseStatus(radio: HTMLInputElement, fromDraft: boolean): void {
    const previous = selectedStatus();
    radio.checked = true;
    showPanelFor(radio);
    if (cart) cart.allowOverride(radio.dataset.priceOverride === 'true');
    if (agenda && radio.dataset.type === 'T') agenda.show();
    if (!fromDraft && radio.dataset.type === 'R' && (!previous || previous !== radio)) {
      setRadio('callback.visibility', radio.dataset.visibility || 'private');
    }
  }

  /** Where the operator goes after choosing a status: the first thing its type needs. */
  function focusAfterChoice(radio: HTMLInputElement): void {
    const type = radio.dataset.type;
    let target: HTMLElement | null = confirmButton;
    if (type === 'R')
      target = workCard.querySelector<HTMLElement>('[data-preset="1h"]') ?? callbackAt;
    if (type === 'C' && cart) cart.focus();
    else if (type === 'T' && agenda) agenda.focus();
    else target?.focus();
  }

  for (const radio of statusRadios) {
    radio.addEventListener('change', () => {
      chooseStatus(radio, false);
      changed();
    });
  }

  for (const button of quickButtons) button.addEventListener('click', () => quick(button));

  function quick(button: HTMLElement): void {
    const radio = workCard.querySelector<HTMLInputElement>(
      `input[name="statusId"][value="${button.dataset.statusId ?? ''}"]`,
    );
    if (!radio || busy) return;
    chooseStatus(radio, false);
    clearErrors();
    // A negative outcome needs nothing more: one press confirms it.
    if (radio.dataset.type === 'N') {
      confirm();
      return;
    }
    changed();
    focusAfterChoice(radio);
  }

  // Enter on a status in the full list: choose it and move on.
  for (const radio of statusRadios) {
    radio.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter' || event.ctrlKey || event.metaKey) return;
      event.preventDefault();
      chooseStatus(radio, false);
      changed();
      focusAfterChoice(radio);
    });
  }

  // ---- callback presets ----------------------------------------------------------------

  for (const button of findAll(workCard, '[data-preset]')) {
    button.addEventListener('click', () => {
      if (!callbackAt) return;
      const now = new Date();
      if (button.dataset.preset === '1h') {
        callbackAt.value = toZonedLocal(new Date(now.getTime() + 3_600_000), zone);
      } else {
        const local = toZonedLocal(now, zone);
        const day = new Date(Date.parse(`${local.slice(0, 10)}T00:00:00Z`) + 86_400_000);
        callbackAt.value = day.toISOString().slice(0, 10) + local.slice(10);
      }
      callbackAt.removeAttribute('aria-invalid');
      changed();
      confirmButton.focus();
    });
  }

  // ---- the draft: everything entered, saved on every change, restored on load ----------

  function answerInputs(selector: string): (HTMLInputElement | HTMLTextAreaElement)[] {
    return findAll(workCard, selector, Element).filter(
      (el): el is HTMLInputElement | HTMLTextAreaElement =>
        el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement,
    );
  }

  function collectAnswers(): Record<string, string> {
    const answers: Record<string, string> = {};
    for (const input of answerInputs('[data-answer]')) {
      const id = input.dataset.answer ?? '';
      if (input.type === 'radio') {
        if (input instanceof HTMLInputElement && input.checked) answers[id] = input.value;
      } else if (input.value.trim() !== '') {
        answers[id] = input.value;
      }
    }
    return answers;
  }

  function draft(): Draft {
    const status = selectedStatus();
    return {
      contact: contactEditor?.draft(),
      notes: notes ? notes.value : '',
      answers: collectAnswers(),
      statusId: status ? Number(status.value) : null,
      callback: {
        at: callbackAt ? callbackAt.value : '',
        visibility: radioValue('callback.visibility'),
        notes: callbackNotes ? callbackNotes.value : '',
      },
      cart: cart ? cart.draft() : [],
      appointment: {
        agentId: appointmentAgent?.value ? Number(appointmentAgent.value) : null,
        startsAt: appointmentStart ? appointmentStart.value : '',
        notes: appointmentNotes ? appointmentNotes.value : '',
        acknowledgeOverlap: acknowledge ? acknowledge.checked : false,
      },
    };
  }

  function restore(saved: unknown): void {
    if (!isObject(saved)) return;
    const kept = saved as Draft;
    contactEditor?.restore(kept.contact);
    if (notes && typeof kept.notes === 'string') notes.value = kept.notes;
    const answers = isObject(kept.answers) ? kept.answers : {};
    for (const [id, answer] of Object.entries(answers)) {
      for (const input of answerInputs(`[data-answer="${id}"]`)) {
        if (input instanceof HTMLInputElement && input.type === 'radio') {
          input.checked = input.value === answer;
        } else {
          input.value = String(answer);
        }
      }
    }
    const callback = isObject(kept.callback) ? kept.callback : {};
    if (callbackAt && typeof callback.at === 'string') callbackAt.value = callback.at;
    if (callbackNotes && typeof callback.notes === 'string') callbackNotes.value = callback.notes;
    if (cart) cart.restore(kept.cart);
    const appointment = isObject(kept.appointment) ? kept.appointment : {};
    const agentId = appointment.agentId;
    if (
      appointmentAgent &&
      (typeof agentId === 'number' || typeof agentId === 'string') &&
      agentId
    ) {
      appointmentAgent.value = String(agentId);
    }
    if (appointmentStart && typeof appointment.startsAt === 'string') {
      appointmentStart.value = appointment.startsAt;
    }
    if (appointmentNotes && typeof appointment.notes === 'string') {
      appointmentNotes.value = appointment.notes;
    }
    if (acknowledge) acknowledge.checked = appointment.acknowledgeOverlap === true;
    const radio =
      kept.statusId !== null && kept.statusId !== undefined
        ? (workCard.querySelector<HTMLInputElement>(
            `input[name="statusId"][value="${Number(kept.statusId)}"]`,
          ) ?? null)
        : null;
    if (radio) chooseStatus(radio, true);
    if (typeof callback.visibility === 'string' && callback.visibility) {
      setRadio('callback.visibility', callback.visibility);
    } else if (radio && radio.dataset.type === 'R') {
      setRadio('callback.visibility', radio.dataset.visibility || 'private');
    }
  }

  let draftTimer: number | undefined;
  let draftDirty = false;
  let savingDraft: Promise<void> | null = null;

  function setDraftState(state: DraftState): void {
    draftState.dataset.draftState = state;
    draftState.textContent =
      state === 'saving'
        ? text('saving')
        : state === 'saved'
          ? text('saved')
          : state === 'failed'
            ? text('failed')
            : '';
  }

  function changed(): void {
    if (!cardActive) return;
    draftDirty = true;
    setDraftState('saving');
    window.clearTimeout(draftTimer);
    draftTimer = window.setTimeout(() => void saveDraft(), DRAFT_DELAY_MS);
  }

  function saveDraft(keepalive = false): Promise<void> {
    window.clearTimeout(draftTimer);
    draftTimer = undefined;
    if (!cardActive || !draftDirty) return savingDraft ?? Promise.resolve();
    draftDirty = false;
    const saving = api('PUT', `/${contactId}/draft`, { draft: draft() }, keepalive).then(
      () => {
        if (cardActive && !draftDirty) setDraftState('saved');
      },
      (error: unknown) => {
        if (!cardActive) return;
        if (error instanceof ApiError && error.status === 403) leaseLost();
        else {
          draftDirty = true;
          setDraftState('failed');
        }
      },
    );
    savingDraft = saving;
    return saving;
  }

  /** A corrected field loses its error. */
  function clearFieldError(input: HTMLElement): void {
    const name = input.getAttribute('name');
    if (!name) return;
    input.removeAttribute('aria-invalid');
    const slot = workCard.querySelector<HTMLElement>(`[data-error-for="${name}"]`);
    if (slot) {
      slot.hidden = true;
      slot.textContent = '';
    }
  }

  workCard.addEventListener('input', (event) => {
    const target = targetOf(event);
    if (!target?.closest('[name], [data-answer]')) return;
    clearFieldError(target);
    changed();
  });
  workCard.addEventListener('change', (event) => {
    const target = targetOf(event);
    if (target?.getAttribute('name') === 'statusId') return; // handled with its panel
    if (!target?.closest('[name], [data-answer]')) return;
    clearFieldError(target);
    changed();
  });
  // Answers bound to contract fields: checked as typed (after the listener above clears).
  const contractFields = watchContractFields(workCard, text);

  // A reload or a closed tab sends what the debounce still holds.
  window.addEventListener('pagehide', () => {
    if (draftDirty) void saveDraft(true);
  });

  // ---- heartbeat: the lease lives while the page is open -------------------------------

  const heartbeat = window.setInterval(() => {
    if (!cardActive || busy) return;
    api('POST', `/${contactId}/heartbeat`).catch((error: unknown) => {
      if (error instanceof ApiError && error.status === 403) leaseLost();
    });
  }, HEARTBEAT_MS);

  function stopWorking(): void {
    cardActive = false;
    window.clearTimeout(draftTimer);
    window.clearInterval(heartbeat);
    wrapUp?.stop();
  }

  function leaseLost(): void {
    // Past the wrap-up's deadline the lease ends by its outcome: the countdown says so.
    if (!cardActive || wrapUp?.due()) return;
    stopWorking();
    setDraftState('idle');
    confirmButton.disabled = true;
    showMessage(text('leaseLost'));
    nextButton.disabled = false;
    if (campaignSelect) campaignSelect.disabled = false;
  }

  // ---- CONFERMA ESITO ----------------------------------------------------------------------

  function outcomeBody(): OutcomeBody {
    const status = selectedStatus();
    const body: OutcomeBody = { statusId: status ? Number(status.value) : 0 };
    const type = status ? status.dataset.type : '';
    const typed = [
      notes ? notes.value.trim() : '',
      type === 'R' && callbackNotes ? callbackNotes.value.trim() : '',
    ]
      .filter(Boolean)
      .join('\n\n');
    if (typed) body.notes = typed;
    const answers = collectAnswers();
    if (Object.keys(answers).length) body.answers = answers;
    // An empty field is left out, so that the server answers "... is required" beside it.
    if (type === 'R') {
      body.callback = {};
      if (callbackAt?.value) body.callback.at = isoOf(callbackAt.value);
      const visibility = radioValue('callback.visibility');
      if (visibility) body.callback.visibility = visibility;
    }
    if (type === 'C') body.cart = cart ? cart.lines() : [];
    const corrected = contactEditor?.edits();
    if (corrected) body.contact = corrected;
    if (dialled) body.dialledPhone = dialled;
    if (type === 'T') {
      body.appointment = {};
      if (appointmentAgent?.value) body.appointment.agentId = Number(appointmentAgent.value);
      if (appointmentStart?.value) body.appointment.startsAt = isoOf(appointmentStart.value);
      if (appointmentNotes?.value.trim()) body.appointment.notes = appointmentNotes.value.trim();
      if (acknowledge?.checked) body.appointment.acknowledgeOverlap = true;
    }
    return body;
  }

  function confirm(): void {
    if (!cardActive || busy) return;
    clearErrors();
    const status = selectedStatus();
    if (!status) {
      const slot = workCard.querySelector<HTMLElement>('[data-error-for="statusId"]');
      if (slot) {
        slot.textContent = text('chooseStatus');
        slot.hidden = false;
      }
      const first = quickButtons[0] ?? statusRadios[0];
      if (first) first.focus();
      return;
    }
    // A fiscal code or IBAN the server would refuse is said beside it, and nothing is sent.
    const wrong = contractFields.firstInvalid();
    if (wrong) {
      wrong.focus();
      return;
    }
    // A sale is read back to the customer before it becomes a contract.
    if (status.dataset.type === 'C' && cart && !cart.reviewed()) return;
    // So is an appointment: agent, day, time and address, before it goes into the agenda.
    if (status.dataset.type === 'T' && agenda && !agenda.reviewed()) return;
    busy = true;
    window.clearTimeout(draftTimer);
    confirmButton.setAttribute('aria-busy', 'true');
    // A draft on its way is let through first: the outcome then finds the lease renewed.
    (savingDraft ?? Promise.resolve())
      .then(() => api<SavedOutcome>('POST', `/${contactId}/outcome`, outcomeBody()))
      .then((answer) => {
        stopWorking();
        showResult(answer.body ?? {});
        document.dispatchEvent(new Event('esito:work-changed'));
      })
      .catch((error: unknown) => {
        showError(error);
        // What was typed since the last save is still to be saved.
        if (cardActive && draftDirty) changed();
      })
      .finally(() => {
        busy = false;
        confirmButton.removeAttribute('aria-busy');
      });
  }

  confirmButton.addEventListener('click', confirm);

  function showResult(saved: SavedOutcome): void {
    const status = saved.status ?? {};
    const color = status.color || '#888888';
    document.body.style.setProperty('--outcome-color', color);
    document.body.classList.add('work-tinted');
    result.style.setProperty('--status-color', color);
    result.style.setProperty('--status-ink', inkOn(color));
    find(result, '[data-result="code"]').textContent = status.code || '';
    find(result, '[data-result="label"]').textContent = status.label || '';
    const rows: Record<string, string> = {
      callback: saved.callback
        ? `${formatWhen(saved.callback.dueAt)} · ${
            saved.callback.visibility === 'public' ? text('public') : text('private')
          }`
        : '',
      protocol: saved.contract ? saved.contract.protocolNumber : '',
      total: saved.contract ? money(cents(saved.contract.total)) : '',
      appointment: saved.appointment
        ? `${formatWhen(saved.appointment.startsAt)} · ${saved.appointment.agentName}${
            saved.appointment.overlaps ? ` (${text('overlaps')})` : ''
          }`
        : '',
      nextCall: saved.nextCallAt ? formatWhen(saved.nextCallAt) : '',
      state: strings[`state${capitalise(saved.contactState ?? '')}`] || saved.contactState || '',
    };
    for (const [key, value] of Object.entries(rows)) {
      find(result, `[data-result="${key}"]`).textContent = value;
      find(result, `[data-result-row="${key}"]`).hidden = !value;
    }
    workCard.hidden = true;
    if (dialog.open) dialog.close();
    result.hidden = false;
    nextButton.disabled = false;
    if (campaignSelect) campaignSelect.disabled = false;
    nextButton.focus();
  }

  // ---- STOP / CHIUDI -----------------------------------------------------------------------

  function askStop(): void {
    if (!cardActive || busy || dialog.open) return;
    dialog.returnValue = '';
    dialog.showModal();
  }
  stopButton.addEventListener('click', askStop);

  dialog.addEventListener('close', () => {
    if (dialog.returnValue !== 'discard') {
      stopButton.focus();
      return;
    }
    busy = true;
    // Nothing of the call is kept: no draft leaves the page after this.
    stopWorking();
    api('POST', `/${contactId}/discard`).then(
      () => {
        tryStorage(() => window.sessionStorage.setItem(DISCARDED_KEY, contactId));
        window.location.replace('/work');
      },
      (error: unknown) => {
        busy = false;
        showError(error);
      },
    );
  });

  // ---- keys --------------------------------------------------------------------------------

  document.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || dialog.open) return;
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      if (cardActive) confirm();
      return;
    }
    if (event.key === 'Escape') {
      // Esc while typing (notes, a callback's time) never asks to discard the call: only
      // Esc outside any text field does.
      if (isTyping(event.target)) return;
      if (cardActive) {
        event.preventDefault();
        askStop();
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
    if (!cardActive) {
      const onPage = event.target === document.body || event.target === result;
      if (event.key === 'n' || event.key === 'N' || (event.key === 'Enter' && onPage)) {
        event.preventDefault();
        nextContact();
      }
      return;
    }
    if (/^[1-9]$/.test(event.key)) {
      const button = workCard.querySelector<HTMLElement>(
        `.work-quick-btn[data-key="${event.key}"]`,
      );
      if (button) {
        event.preventDefault();
        quick(button);
      }
    }
  });

  // ---- "Fine chiamata": the wrap-up's countdown ----------------------------------------------

  const wrapUp = startWrapUp(maybeById('work-wrap-up'), {
    contactId,
    flushDraft: () => saveDraft(),
    applied: (status) => {
      stopWorking();
      showResult({ status });
      document.dispatchEvent(new Event('esito:work-changed'));
    },
    elsewhere: () => window.location.replace('/work'),
    say: showMessage,
  });

  // ---- start ---------------------------------------------------------------------------------

  try {
    restore(JSON.parse(workCard.dataset.draft || '{}'));
  } catch {
    // a draft the page cannot read is ignored; the operator starts over
  }
  if (!selectedStatus()) showPanelFor(null);
  setDraftState(workCard.dataset.draft && workCard.dataset.draft !== '{}' ? 'saved' : 'idle');
  byId('work-contact-name').focus();
}
