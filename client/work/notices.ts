/**
 * Callback notices on the operator workstation (views/partials/work/notices.hbs): the
 * operator's own private callbacks due within CALLBACK_NOTICE_MINUTES, or already due,
 * polled from GET /api/v1/callbacks/notices and shown in a banner that stays until the
 * callback is taken. A new one can ring (a short tone, off unless the operator turns it on
 * here). With no contact on screen a callback opens from the banner; with one, it waits its
 * turn: a due private callback is the operator's next contact anyway.
 */
import { formatDate, formatDateTime, formatTime } from '../../src/common/format/locale-format';
import { ApiError, getJson, request } from '../common/api-client';
import { byId, maybeById, tryStorage } from '../common/dom';

const POLL_MS = 20_000;
const SOUND_KEY = 'esito.work.noticeSound';

interface Notice {
  id: number;
  dueAt: string;
  notes?: string | null;
  contact: { name?: string | null; phone: string };
  campaign: { name: string; timezone: string };
}

export function startNotices(): void {
  const box = maybeById('work-notices');
  if (!box) return;
  const list = byId('work-notice-list');
  const sound = maybeById('work-notice-sound', HTMLInputElement);
  const strings = box.dataset;
  const text = (key: string): string => strings[key] ?? '';
  const lang = strings.lang === 'en' ? 'en' : 'it';
  let seen = new Set<number>();
  let first = true;
  let audio: AudioContext | null = null;

  /** A contact on screen that is still being worked (the workstation hides the card after). */
  function contactOpen(): boolean {
    const card = document.getElementById('work-card');
    return !!card && !card.hidden;
  }

  function when(item: Notice): string {
    const zone = item.campaign.timezone;
    const sameDay = formatDate(item.dueAt, lang, zone) === formatDate(new Date(), lang, zone);
    return sameDay ? formatTime(item.dueAt, lang, zone) : formatDateTime(item.dueAt, lang, zone);
  }

  function relative(item: Notice): string {
    const minutes = Math.round((new Date(item.dueAt).getTime() - Date.now()) / 60_000);
    if (minutes > 0) return text('inMinutes').replace('%n', String(minutes));
    if (minutes < 0) return text('lateMinutes').replace('%n', String(-minutes));
    return text('now');
  }

  function render(items: Notice[]): void {
    list.textContent = '';
    for (const item of items) {
      const due = new Date(item.dueAt).getTime() <= Date.now();
      const li = document.createElement('li');
      li.className = `work-notice${due ? ' is-due' : ''}`;
      li.dataset.callbackId = String(item.id);
      const line = document.createElement('span');
      line.className = 'work-notice-text';
      const who = document.createElement('b');
      who.textContent = item.contact.name || item.contact.phone;
      line.append(
        `${due ? text('due') : text('soon')} `,
        who,
        ` · ${item.contact.phone} · ${item.campaign.name} · `,
      );
      const time = document.createElement('time');
      time.dateTime = item.dueAt;
      time.textContent = `${when(item)} (${relative(item)})`;
      line.appendChild(time);
      if (item.notes) {
        const notes = document.createElement('span');
        notes.className = 'work-notice-notes';
        notes.textContent = item.notes;
        line.appendChild(notes);
      }
      li.appendChild(line);
      if (!contactOpen()) {
        const open = document.createElement('button');
        open.type = 'button';
        open.className = 'btn btn-small btn-primary';
        open.textContent = text('open');
        open.setAttribute('aria-label', `${text('open')} ${who.textContent}`);
        open.addEventListener('click', () => openCallback(item, open, li));
        li.appendChild(open);
      } else if (due) {
        const next = document.createElement('span');
        next.className = 'work-notice-next';
        next.textContent = text('next');
        li.appendChild(next);
      }
      list.appendChild(li);
    }
    if (box) box.hidden = items.length === 0;
  }

  function openCallback(item: Notice, button: HTMLButtonElement, li: HTMLElement): void {
    button.disabled = true;
    request(`/api/v1/callbacks/${item.id}/open`, { method: 'POST' }).then(
      () => window.location.replace('/work'),
      (error: unknown) => {
        button.disabled = false;
        const problem = li.querySelector('.field-error') ?? document.createElement('p');
        problem.className = 'field-error';
        problem.setAttribute('role', 'alert');
        problem.textContent =
          error instanceof ApiError
            ? error.texts.join(' ') || text('failed') || String(error.status)
            : error instanceof Error
              ? error.message
              : String(error);
        li.appendChild(problem);
      },
    );
  }

  function ring(): void {
    if (!sound || !sound.checked || !audio || !box) return;
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = 880;
    gain.gain.setValueAtTime(0.2, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.4);
    tone.connect(gain).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.4);
    box.dataset.rang = String(Number(box.dataset.rang || 0) + 1);
  }

  function poll(): void {
    if (document.hidden && !first) return;
    getJson<unknown>('/api/v1/callbacks/notices').then(
      (answer) => {
        const items: Notice[] = Array.isArray(answer) ? (answer as Notice[]) : [];
        const fresh = items.some((item) => !seen.has(item.id));
        seen = new Set(items.map((item) => item.id));
        render(items);
        if (fresh && !first) ring();
        first = false;
      },
      () => {
        // The next poll tries again; a banner already shown stays.
      },
    );
  }

  if (sound) {
    sound.checked = tryStorage(() => window.localStorage.getItem(SOUND_KEY)) === 'on';
    // Browsers let a page play sound only after a gesture: the tick is that gesture.
    const prepare = () => {
      if (!audio && sound.checked && 'AudioContext' in window) audio = new AudioContext();
    };
    sound.addEventListener('change', () => {
      prepare();
      tryStorage(() => window.localStorage.setItem(SOUND_KEY, sound.checked ? 'on' : 'off'));
    });
    document.addEventListener('pointerdown', prepare, { once: true });
    document.addEventListener('keydown', prepare, { once: true });
  }

  poll();
  window.setInterval(poll, POLL_MS);
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) poll();
  });
}
