/**
 * The operator's own state in the top bar (views/partials/header.hbs): ready, on a contact,
 * or paused with a reason. The page says it is open every 30 s (POST /api/v1/me/presence);
 * without it the wall shows the operator as logged out.
 */
import { ApiError, postJson } from '../common/api-client';
import { byId, maybeById } from '../common/dom';

const PRESENCE_MS = 30_000;

interface PauseReason {
  id: number;
  label: string;
  labelEn?: string | null;
}

interface OperatorState {
  /** 'ready', 'on_contact' or 'paused'. */
  state: string;
  since: string;
  pauseReasonId?: number | null;
  pauseReasons?: PauseReason[];
}

function start(): void {
  const box = maybeById('op-state');
  if (!box) return;
  const text = byId('op-state-text');
  const timer = byId('op-state-timer');
  const reasonSelect = byId('op-state-reason', HTMLSelectElement);
  const readyButton = byId('op-state-ready', HTMLButtonElement);
  const lang = box.getAttribute('data-lang') || 'it';
  let current: OperatorState | null = null;

  function t(key: string): string {
    return box?.getAttribute(`data-t-${key}`) || key;
  }

  function labelOf(reason: PauseReason): string {
    return lang === 'en' && reason.labelEn ? reason.labelEn : reason.label;
  }

  function elapsed(): string {
    if (!current) return '';
    const seconds = Math.max(0, Math.floor((Date.now() - Date.parse(current.since)) / 1000));
    const m = Math.floor(seconds / 60);
    const s = seconds % 60;
    return `${m}:${s < 10 ? '0' : ''}${s}`;
  }

  function render(state: OperatorState | null): void {
    if (!state) return;
    current = state;
    box?.setAttribute('data-state', state.state);
    const reasons = state.pauseReasons ?? [];
    // Keep the first option ("Pausa…") and list the reasons in use.
    while (reasonSelect.options.length > 1) reasonSelect.remove(1);
    for (const reason of reasons) {
      const option = document.createElement('option');
      option.value = String(reason.id);
      option.textContent = labelOf(reason);
      reasonSelect.appendChild(option);
    }
    const reason = reasons.find((r) => r.id === state.pauseReasonId);
    if (state.state === 'paused') {
      text.textContent = t('paused').replace('%reason', reason ? labelOf(reason) : '');
    } else {
      text.textContent = t(state.state === 'on_contact' ? 'on_contact' : 'ready');
    }
    reasonSelect.value = '';
    reasonSelect.hidden = state.state !== 'ready';
    readyButton.hidden = state.state !== 'paused';
    timer.textContent = elapsed();
  }

  function failed(error: unknown): void {
    // The server's words; else the browser's (a network failure); else the page's own.
    const words =
      error instanceof ApiError
        ? error.texts.join(' ')
        : error instanceof Error
          ? error.message
          : '';
    text.textContent = words || t('failed');
  }

  function call(path: string, body: object = {}): Promise<OperatorState | null> {
    return postJson<OperatorState>(path, body);
  }

  function presence(): void {
    call('/api/v1/me/presence').then(render, () => {
      // The next beat tries again.
    });
  }

  reasonSelect.addEventListener('change', () => {
    if (!reasonSelect.value) return;
    call('/api/v1/me/state', { state: 'paused', pauseReasonId: Number(reasonSelect.value) }).then(
      render,
      failed,
    );
  });
  readyButton.addEventListener('click', () => {
    call('/api/v1/me/state', { state: 'ready' }).then(render, failed);
  });
  // The workstation takes and ends contacts: it tells this box to look again.
  document.addEventListener('esito:work-changed', presence);

  presence();
  window.setInterval(presence, PRESENCE_MS);
  window.setInterval(() => {
    timer.textContent = elapsed();
  }, 1000);
}

start();
