/**
 * "Fine chiamata" and the wrap-up countdown on the workstation (views/partials/work/wrap-up.hbs).
 * The button posts /api/v1/work/:contactId/call-ended; a call.ended from the PBX arrives as
 * the screen-pop stream's `wrapup` event (screen-pop.ts passes it on as `esito:wrap-up`).
 * Either way the page counts down; at zero the server's wrap-up job confirms the campaign's
 * status with the draft's notes, and the page, asking /api/v1/work/current, moves on as
 * after a confirm. The server holds the deadline: a reload shows the seconds still left.
 */
import { ApiError, request } from '../common/api-client';
import { find } from '../common/dom';

const API = '/api/v1/work';
/** How long before zero the draft is sent, so that the notes typed last are the ones kept. */
const FLUSH_BEFORE_MS = 1_500;
/** How often the page asks whether the wrap-up has been confirmed, once the time is up. */
const POLL_MS = 1_000;

/** The status the wrap-up confirms, as the result box shows it. */
export interface WrapUpStatus {
  code: string;
  label: string;
  color: string;
}

export interface WrapUpHooks {
  contactId: string;
  /** Sends the draft now (the notes typed in the last moments). */
  flushDraft: () => Promise<void>;
  /** The wrap-up confirmed its status: the page moves on as after a confirm. */
  applied: (status: WrapUpStatus) => void;
  /** The contact is no longer this page's for another reason (a reload shows where it is). */
  elsewhere: () => void;
  /** A line for the operator (a refusal, or that the wrap-up will not confirm). */
  say: (text: string) => void;
}

export interface WrapUp {
  /** The time is up: the server is confirming (a lost lease is the wrap-up's doing). */
  due(): boolean;
  /** The operator confirmed or discarded: no countdown any more. */
  stop(): void;
}

interface CurrentItem {
  contact?: { id?: number };
  wrapUp?: { secondsLeft?: number | null } | null;
}

interface WrapUpEvent {
  wrapUp?: { contactId?: number; secondsLeft?: number } | null;
}

/** "0:25", "1:05:00". */
export function clockText(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

export function startWrapUp(box: HTMLElement | null, hooks: WrapUpHooks): WrapUp | null {
  if (!box) return null;
  const strings = box.dataset;
  const button = find(box, '#work-call-ended', HTMLButtonElement);
  const countdown = find(box, '#work-wrap-up-countdown');
  const left = find(countdown, '[data-wrap-up-left]');
  const status: WrapUpStatus = {
    code: strings.statusCode ?? '',
    label: strings.statusLabel ?? '',
    color: strings.statusColor ?? '',
  };
  let deadline: number | null = null;
  let timer: number | undefined;
  let flushed = false;
  let stopped = false;
  let polling = false;

  function show(): void {
    if (deadline === null) return;
    const ms = deadline - Date.now();
    left.textContent = clockText(ms / 1000);
    if (!flushed && ms <= FLUSH_BEFORE_MS) {
      flushed = true;
      void hooks.flushDraft();
    }
    if (ms <= 0) {
      window.clearInterval(timer);
      timer = undefined;
      left.textContent = clockText(0);
      hooks.say(strings.textApplying ?? '');
      poll();
    }
  }

  /** Counts down from `seconds`; an earlier deadline already counting is kept (the first end counts). */
  function count(seconds: number): void {
    if (stopped || deadline !== null) return;
    deadline = Date.now() + seconds * 1000;
    button.disabled = true;
    button.setAttribute('aria-pressed', 'true');
    box?.classList.add('is-counting');
    countdown.hidden = false;
    show();
    if (deadline > Date.now()) timer = window.setInterval(show, 250);
  }

  /** After zero: until the lease is gone (confirmed) or the wrap-up was dropped. */
  function poll(): void {
    if (stopped || polling) return;
    polling = true;
    request<CurrentItem>(`${API}/current`)
      .then((answer) => {
        polling = false;
        if (stopped) return;
        const item = answer.body;
        if (answer.status === 204 || !item) {
          stopped = true;
          hooks.say(strings.textApplied ?? '');
          hooks.applied(status);
          return;
        }
        if (String(item.contact?.id ?? '') !== hooks.contactId) {
          stopped = true;
          hooks.elsewhere();
          return;
        }
        if (item.wrapUp?.secondsLeft === null || item.wrapUp === null) {
          // Refused by the outcome's rules meanwhile: the operator confirms by hand.
          stopWatching();
          hooks.say(strings.textDropped ?? '');
          return;
        }
        window.setTimeout(poll, POLL_MS);
      })
      .catch(() => {
        polling = false;
        if (!stopped) window.setTimeout(poll, POLL_MS);
      });
  }

  function stopWatching(): void {
    stopped = true;
    window.clearInterval(timer);
    timer = undefined;
    countdown.hidden = true;
    box?.classList.remove('is-counting');
  }

  button.addEventListener('click', () => {
    if (stopped || deadline !== null) return;
    button.disabled = true;
    request(`${API}/${hooks.contactId}/call-ended`, { method: 'POST' }).then(
      () => count(Number(strings.seconds)),
      (error: unknown) => {
        button.disabled = false;
        const text = error instanceof ApiError ? error.messages.join(' ') : String(error);
        hooks.say(`${strings.textFailed ?? ''} ${text}`);
      },
    );
  });

  // The PBX ended the call of this contact.
  document.addEventListener('esito:wrap-up', (event) => {
    const detail = (event as CustomEvent<WrapUpEvent>).detail;
    const wrapUp = detail?.wrapUp;
    if (!wrapUp || String(wrapUp.contactId) !== hooks.contactId) return;
    if (typeof wrapUp.secondsLeft === 'number') count(wrapUp.secondsLeft);
  });

  // After a reload: the call had already ended.
  if (strings.secondsLeft !== undefined && strings.secondsLeft !== '') {
    count(Number(strings.secondsLeft));
  }

  return {
    due: () => deadline !== null && deadline <= Date.now() && !stopped,
    stop: () => {
      if (!stopped) stopWatching();
    },
  };
}
