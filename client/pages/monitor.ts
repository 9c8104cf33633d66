/**
 * The coordinators' wall (views/monitor/index.hbs): tiles and campaign figures arrive over
 * Server-Sent Events from GET /api/v1/monitor/stream (the whole wall first, then the tiles
 * that changed); times in state count up here every second, from the server's clock.
 * Filters reconnect the stream.
 */
import { formatPercent } from '../../src/common/format/locale-format';
import { byId, element, findAll, maybeById } from '../common/dom';

type OutcomeType = 'R' | 'N' | 'C' | 'T';
type Counts = Record<OutcomeType, number>;

interface Labelled {
  label: string;
  labelEn?: string | null;
}

interface OperatorTile {
  operatorId: number;
  name: string;
  team?: string | null;
  state: string;
  since?: string | null;
  pauseReason?: Labelled | null;
  lastOutcome?: (Labelled & { code: string; color: string; type: OutcomeType }) | null;
  counts: Counts;
  recent: (Labelled & { code: string; color: string; count: number })[];
  attention: string[];
  callbacksOverdue: number;
}

interface CampaignFigures {
  code: string;
  name: string;
  counts: Counts;
  conversionRate: number | null;
  contactsLeft: number;
  callbacksDue: number;
  callbacksOverdue: number;
}

interface WallMessage {
  kind: 'full' | 'delta';
  at: string;
  removed: number[];
  operators: OperatorTile[];
  campaigns: CampaignFigures[];
}

const TYPES: OutcomeType[] = ['R', 'N', 'C', 'T'];

function start(): void {
  const grid = maybeById('mon-grid');
  if (!grid) return;
  const wall: HTMLElement = grid;
  const campaignsBox = byId('mon-campaigns');
  const summary = byId('mon-summary');
  const live = byId('mon-live');
  const liveText = byId('mon-live-text');
  const clock = byId('mon-clock');
  const form = byId('mon-filter', HTMLFormElement);
  const lang = wall.getAttribute('data-lang') || 'it';

  function t(key: string): string {
    return wall.getAttribute(`data-t-${key}`) || key;
  }

  const tiles = new Map<number, { data: OperatorTile; el: HTMLElement }>();
  let skew = 0; // server time - this browser's time, in ms
  let source: EventSource | null = null;

  function icon(name: string, cls?: string): SVGSVGElement {
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('class', `mon-icon${cls ? ` ${cls}` : ''}`);
    svg.setAttribute('aria-hidden', 'true');
    const use = document.createElementNS(ns, 'use');
    use.setAttribute('href', `#i-${name}`);
    svg.appendChild(use);
    return svg;
  }

  // Black or white text, whichever reads better on the status colour.
  function inkOn(hex: string): string {
    const n = parseInt(hex.slice(1), 16);
    const r = (n >> 16) & 255;
    const g = (n >> 8) & 255;
    const b = n & 255;
    return 0.299 * r + 0.587 * g + 0.114 * b > 150 ? '#111' : '#fff';
  }

  function label(mark: Labelled): string {
    return lang === 'en' && mark.labelEn ? mark.labelEn : mark.label;
  }

  function elapsed(since: string): string {
    const seconds = Math.max(0, Math.floor((Date.now() + skew - Date.parse(since)) / 1000));
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = seconds % 60;
    const mm = `${h > 0 && m < 10 ? '0' : ''}${m}`;
    return `${h > 0 ? `${h}:` : ''}${mm}:${s < 10 ? '0' : ''}${s}`;
  }

  function counts(box: HTMLElement, c: Counts): void {
    for (const type of TYPES) {
      const item = element('span', `mon-count mon-count-${type}`);
      item.title = t(`type-${type.toLowerCase()}`);
      item.appendChild(icon(`type-${type}`));
      item.appendChild(element('span', 'mon-count-type', type));
      item.appendChild(element('b', null, c[type]));
      box.appendChild(item);
    }
  }

  function renderTile(data: OperatorTile): HTMLElement {
    const tile = element('article', `mon-tile mon-state-${data.state}`);
    tile.setAttribute('data-operator-id', String(data.operatorId));
    if (data.attention.length) tile.classList.add('mon-attention');
    const last = data.lastOutcome;
    tile.style.setProperty('--outcome', last ? last.color : '#9aa4b2');
    if (last) tile.setAttribute('data-outcome', last.code);

    const band = element('div', 'mon-band');
    if (last) {
      band.style.background = last.color;
      band.style.color = inkOn(last.color);
      band.appendChild(icon(`type-${last.type}`));
      band.appendChild(element('span', 'mon-band-code', last.code));
      band.appendChild(element('span', 'mon-band-label', label(last)));
      band.title = `${t(`type-${last.type.toLowerCase()}`)} · ${label(last)}`;
    } else {
      band.classList.add('mon-band-none');
      band.appendChild(element('span', 'mon-band-label', t('no-outcome')));
    }
    tile.appendChild(band);

    const head = element('div', 'mon-tile-head');
    head.appendChild(element('h2', 'mon-name', data.name));
    if (data.team) head.appendChild(element('span', 'mon-team', data.team));
    tile.appendChild(head);

    const state = element('p', 'mon-state');
    state.appendChild(icon(`state-${data.state}`));
    let stateText = t(`state-${data.state}`);
    if (data.pauseReason) stateText += ` · ${label(data.pauseReason)}`;
    state.appendChild(element('span', 'mon-state-text', stateText));
    if (data.since) {
      const timer = element('time', 'mon-timer', elapsed(data.since));
      timer.setAttribute('data-since', data.since);
      state.appendChild(timer);
    }
    tile.appendChild(state);

    const row = element('div', 'mon-counts');
    counts(row, data.counts);
    tile.appendChild(row);

    const strip = element('div', 'mon-strip');
    const total = data.recent.reduce((sum, r) => sum + r.count, 0);
    strip.setAttribute('role', 'img');
    if (total === 0) {
      strip.classList.add('mon-strip-empty');
      strip.setAttribute('aria-label', t('nothing-hour'));
    } else {
      strip.setAttribute(
        'aria-label',
        `${t('last-hour')}: ${data.recent.map((r) => `${r.code} ${r.count}`).join(', ')}`,
      );
      for (const r of data.recent) {
        const part = element('span', 'mon-strip-part');
        part.style.background = r.color;
        part.style.color = inkOn(r.color);
        part.style.flexGrow = String(r.count);
        part.title = `${r.code} · ${label(r)} × ${r.count}`;
        if (r.count / total >= 0.2) part.textContent = r.code;
        strip.appendChild(part);
      }
      // The bar has room for codes only: each status is said whole beneath it, wrapping.
      strip.setAttribute('aria-hidden', 'true');
    }
    tile.appendChild(strip);
    if (total > 0) {
      const legend = element('ul', 'mon-legend');
      legend.setAttribute('aria-label', t('last-hour'));
      for (const r of data.recent) {
        const item = element('li', 'mon-legend-item');
        const swatch = element('span', 'mon-legend-swatch');
        swatch.style.background = r.color;
        item.appendChild(swatch);
        item.appendChild(element('b', 'mon-legend-code', r.code));
        item.appendChild(element('span', 'mon-legend-label', label(r)));
        item.appendChild(element('span', 'mon-legend-count', `× ${r.count}`));
        legend.appendChild(item);
      }
      tile.appendChild(legend);
    }

    if (data.attention.length) {
      const alert = element('p', 'mon-alert');
      alert.appendChild(icon('alert'));
      alert.appendChild(
        element(
          'span',
          null,
          data.attention
            .map((a) => {
              const text = t(`attention-${a}`);
              return a === 'callbacks_overdue'
                ? text.replace('%n', String(data.callbacksOverdue))
                : text;
            })
            .join(' · '),
        ),
      );
      tile.appendChild(alert);
    }
    return tile;
  }

  function renderCampaigns(list: CampaignFigures[]): void {
    campaignsBox.textContent = '';
    for (const c of list) {
      const card = element('article', 'mon-campaign');
      const head = element('h2', 'mon-campaign-name');
      head.appendChild(element('code', null, c.code));
      head.appendChild(document.createTextNode(` ${c.name}`));
      card.appendChild(head);
      const row = element('div', 'mon-counts');
      counts(row, c.counts);
      card.appendChild(row);
      const facts = element('dl', 'mon-facts');
      const fact = (name: string, value: string | number, cls?: string | null) => {
        const box = element('div', cls ?? null);
        box.appendChild(element('dt', null, name));
        box.appendChild(element('dd', null, value));
        facts.appendChild(box);
      };
      fact(t('conversion'), formatPercent(c.conversionRate, lang));
      fact(t('left'), c.contactsLeft);
      fact(t('due'), c.callbacksDue);
      fact(t('overdue'), c.callbacksOverdue, c.callbacksOverdue > 0 ? 'mon-fact-bad' : null);
      card.appendChild(facts);
      campaignsBox.appendChild(card);
    }
  }

  function place(): void {
    // Those needing attention first, then by name: the wall reads from the top left.
    const needs = (entry: { data: OperatorTile }) => (entry.data.attention.length > 0 ? 1 : 0);
    const ordered = Array.from(tiles.values()).sort(
      (a, b) => needs(b) - needs(a) || a.data.name.localeCompare(b.data.name, lang),
    );
    ordered.forEach((entry, i) => {
      if (wall.children[i] !== entry.el) wall.insertBefore(entry.el, wall.children[i] ?? null);
    });
    const attention = ordered.filter((e) => e.data.attention.length > 0).length;
    summary.textContent =
      tiles.size === 0
        ? t('empty')
        : t('summary')
            .replace('%shown', String(tiles.size))
            .replace('%attention', String(attention));
  }

  function apply(message: WallMessage): void {
    skew = Date.parse(message.at) - Date.now();
    if (message.kind === 'full') {
      tiles.clear();
      wall.textContent = '';
    }
    for (const id of message.removed) {
      tiles.get(id)?.el.remove();
      tiles.delete(id);
    }
    for (const data of message.operators) {
      const entry = tiles.get(data.operatorId);
      const node = renderTile(data);
      if (entry) wall.replaceChild(node, entry.el);
      tiles.set(data.operatorId, { data, el: node });
    }
    renderCampaigns(message.campaigns);
    place();
  }

  function setLive(state: string): void {
    live.setAttribute('data-state', state);
    liveText.textContent = t(state);
  }

  function connect(): void {
    if (source) source.close();
    const params = new URLSearchParams();
    for (const [key, value] of new FormData(form)) {
      if (typeof value === 'string' && value) params.append(key, value);
    }
    const query = params.toString();
    history.replaceState(null, '', `/monitor${query ? `?${query}` : ''}`);
    setLive('connecting');
    source = new EventSource(`/api/v1/monitor/stream${query ? `?${query}` : ''}`);
    source.addEventListener('wall', (event) => {
      setLive('live');
      apply(JSON.parse((event as MessageEvent<string>).data) as WallMessage);
    });
    // EventSource reconnects by itself; say so meanwhile.
    source.onerror = () => setLive('lost');
  }

  window.setInterval(() => {
    for (const node of findAll(wall, '.mon-timer')) {
      node.textContent = elapsed(node.getAttribute('data-since') ?? '');
    }
    clock.textContent = new Date(Date.now() + skew).toLocaleTimeString(
      lang === 'en' ? 'en-GB' : 'it-IT',
    );
  }, 1000);

  form.addEventListener('change', connect);
  connect();
}

start();
