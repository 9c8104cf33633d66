/**
 * The agenda of a type T outcome on the operator workstation
 * (views/partials/work/agenda.hbs): the campaign's agents (those covering the contact's zone
 * first) as rows of a week grid of slots, free / taken / absent / past, each agent's next free
 * slot highlighted; a slot picked shows the summary read back to the customer before
 * CONFERMA APPUNTAMENTO. The slots come from GET /api/v1/campaigns/:id/agenda; the booking
 * itself is the outcome's (workstation.ts), which re-checks the slot under the agent's lock
 * and answers 409 when someone was quicker.
 */
import { ApiError, getJson } from '../common/api-client';
import { element, find, findAll, targetOf } from '../common/dom';
import { addDays, LOCAL_PATTERN, mondayOf, zonedParts } from './zoned-time';

type SlotState = 'free' | 'taken' | 'absent' | 'past';

interface Slot {
  start: string;
  end: string;
  state: SlotState;
}

interface AgendaAgent {
  id: number;
  name: string;
  coversZone: boolean;
  zones?: string[];
  slots: Slot[];
  nextFree: { start: string; end: string } | null;
}

interface Agenda {
  agents: AgendaAgent[];
}

/** The slot chosen. */
interface Selection {
  agentId: number;
  agentName: string;
  coversZone: boolean;
  start: string;
  end: string;
  state: string;
}

/** Where focus goes once the grid is drawn. */
type PendingFocus = 'first' | { agentId: number; start?: string } | null;

export interface AgendaOptions {
  /** The campaign's time zone. */
  zone: string;
  /** For a draft that kept a local time. */
  zonedLocalToUtc(local: string): Date | null;
  /** After the chosen slot or the acknowledgement changes. */
  changed(): void;
  /** CONFERMA APPUNTAMENTO from the summary. */
  confirm(): void;
}

export interface WorkAgenda {
  /** The T panel is shown: the week of the kept slot (or this week), fresh from the server. */
  show(): void;
  /** Focus on the summary, or on the first agent's slot once the grid is there. */
  focus(): void;
  /** True when the summary is on screen (and an overlap acknowledged where asked). */
  reviewed(): boolean;
  /**
   * The outcome was refused (`message`: the refusal as the page words it): a 409 offers the
   * nearest free slots; a 400 is read in the summary.
   */
  failed(error: unknown, message: string): void;
}

function isSlotList(value: unknown): value is { start?: string; end?: string }[] {
  return Array.isArray(value);
}

/** The agenda inside `box` (#work-agenda). */
export function createWorkAgenda(box: HTMLElement, options: AgendaOptions): WorkAgenda {
  const strings = box.dataset;
  const text = (key: string): string => strings[key] ?? '';
  const lang = strings.lang === 'en' ? 'en-GB' : 'it-IT';
  const zone = options.zone;
  const policy = strings.policy;
  const $ = (id: string): HTMLElement => find(box, `#${id}`);
  const agentInput = find(box, '#appointment-agent', HTMLInputElement);
  const startInput = find(box, '#appointment-start', HTMLInputElement);
  const notesInput = find(box, '#appointment-notes', HTMLTextAreaElement);
  const ack = box.querySelector<HTMLInputElement>('#appointment-ack');
  const ackRow = box.querySelector<HTMLElement>('#agenda-ack-row');
  const pick = $('agenda-pick');
  const grid = find(box, '#agenda-grid', HTMLTableElement);
  const weekLabel = $('agenda-week');
  const status = $('agenda-status');
  const hint = $('agenda-hint');
  const conflict = $('appointment-slots');
  const conflictMessage = $('agenda-conflict-message');
  const choices = $('agenda-choices');
  const review = $('agenda-review');
  const overlapNote = $('agenda-overlap');
  const prevButton = find(box, '#agenda-prev', HTMLButtonElement);
  const nextButton = find(box, '#agenda-next', HTMLButtonElement);

  /** The last agenda the server sent, for the week shown. */
  let data: Agenda | null = null;
  /** The Monday of the week shown, "YYYY-MM-DD" in the campaign's zone. */
  let week: string | null = null;
  let selection: Selection | null = null;
  /** A slot the draft kept, checked against the agenda once it is loaded. */
  let restoring: { agentId: number; start: string } | null = null;
  let reviewing = false;
  let requests = 0;
  let loading = false;
  let pendingFocus: PendingFocus = null;

  // ---- dates and times in the campaign's zone, words in the page's language -------------

  const zoned = zonedParts(zone);
  const calendar = (fields: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat(lang, { timeZone: 'UTC', ...fields });
  const dayHead = calendar({ weekday: 'short', day: 'numeric', month: 'short' });
  const dayWords = calendar({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  const weekStart = calendar({ day: 'numeric', month: 'short' });
  const weekEnd = calendar({ day: 'numeric', month: 'short', year: 'numeric' });
  const noon = (date: string) => new Date(`${date}T12:00:00Z`);

  /** An instant's local day and time: {date: "YYYY-MM-DD", time: "HH:MM"}. */
  function local(iso: string): { date: string; time: string } {
    const parts: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
    for (const part of zoned.formatToParts(new Date(iso))) parts[part.type] = part.value;
    return {
      date: `${parts.year}-${parts.month}-${parts.day}`,
      time: `${parts.hour}:${parts.minute}`,
    };
  }

  function today(): string {
    return local(new Date().toISOString()).date;
  }

  function sameInstant(a: string, b: string): boolean {
    return Date.parse(a) === Date.parse(b);
  }

  /** "10:00–11:00". */
  function hours(slot: { start: string; end: string }): string {
    return `${local(slot.start).time}–${local(slot.end).time}`;
  }

  /** "lun 30 nov, 12:00". */
  function shortWhen(iso: string): string {
    const at = local(iso);
    return `${dayHead.format(noon(at.date))}, ${at.time}`;
  }

  /** "martedì 1 dicembre 2026, 10:00–11:00". */
  function when(slot: { start: string; end: string }): string {
    return `${dayWords.format(noon(local(slot.start).date))}, ${hours(slot)}`;
  }

  function stateText(state: string): string {
    if (state === 'taken') return policy === 'reject' ? text('taken') : text('takenBookable');
    return strings[state] || state;
  }

  function bookable(state: string): boolean {
    return state === 'free' || (state === 'taken' && policy !== 'reject');
  }

  function shownWeek(): string {
    if (week === null) throw new Error('no week shown yet');
    return week;
  }

  // ---- loading a week ---------------------------------------------------------------------

  function load(monday: string): void {
    week = monday;
    const sequence = ++requests;
    loading = true;
    setStatus(text('loading'));
    grid.setAttribute('aria-busy', 'true');
    updateNavigation();
    const url =
      `/api/v1/campaigns/${encodeURIComponent(text('campaignId'))}/agenda` +
      `?from=${monday}&to=${addDays(monday, 6)}&contactId=${encodeURIComponent(text('contactId'))}`;
    getJson<Agenda>(url).then(
      (json) => {
        if (sequence !== requests) return;
        loading = false;
        data = json;
        setStatus('');
        render();
        checkSelection();
        flushFocus();
      },
      (error: unknown) => {
        if (sequence !== requests) return;
        loading = false;
        grid.removeAttribute('aria-busy');
        const message =
          error instanceof ApiError
            ? error.texts.join(' ')
            : error instanceof Error
              ? error.message
              : '';
        setStatus(text('loadFailed') + (message ? ` ${message}` : ''), true);
      },
    );
  }

  function setStatus(message: string, failed = false): void {
    status.textContent = message;
    status.classList.toggle('is-failed', failed);
    if (failed) {
      const retry = element('button', 'btn btn-small', text('retry'));
      retry.type = 'button';
      retry.addEventListener('click', () => load(shownWeek()));
      status.append(' ', retry);
    }
  }

  function updateNavigation(): void {
    const monday = shownWeek();
    weekLabel.textContent = `${weekStart.format(noon(monday))} – ${weekEnd.format(noon(addDays(monday, 6)))}`;
    // No visit is booked in the past: the weeks before this one have nothing to offer.
    prevButton.disabled = monday <= mondayOf(today());
  }

  function goToWeek(monday: string): void {
    load(monday < mondayOf(today()) ? mondayOf(today()) : monday);
  }

  prevButton.addEventListener('click', () => goToWeek(addDays(shownWeek(), -7)));
  nextButton.addEventListener('click', () => goToWeek(addDays(shownWeek(), 7)));
  $('agenda-today').addEventListener('click', () => goToWeek(mondayOf(today())));

  // ---- the grid ---------------------------------------------------------------------------

  function render(): void {
    if (!data) return;
    const monday = shownWeek();
    const days = [0, 1, 2, 3, 4, 5, 6].map((n) => addDays(monday, n));
    const now = today();
    grid.textContent = '';
    grid.removeAttribute('aria-busy');
    // Days nobody works (the weekend, usually) take less room.
    const worked = new Set<string>();
    for (const agent of data.agents) {
      for (const slot of agent.slots) worked.add(local(slot.start).date);
    }
    const columns = element('colgroup');
    for (const date of days) columns.appendChild(element('col', worked.has(date) ? '' : 'is-off'));
    grid.appendChild(columns);
    const head = element('thead');
    const headRow = element('tr');
    for (const date of days) {
      const th = element('th', date === now ? 'is-today' : '', dayHead.format(noon(date)));
      th.scope = 'col';
      if (date === now) th.setAttribute('aria-current', 'date');
      headRow.appendChild(th);
    }
    head.appendChild(headRow);
    grid.appendChild(head);
    for (const agent of data.agents) grid.appendChild(agentRows(agent, days));
    grid.hidden = false;
  }

  function agentRows(agent: AgendaAgent, days: string[]): HTMLTableSectionElement {
    const body = element('tbody', `work-agenda-agent${agent.coversZone ? ' is-in-zone' : ''}`);
    body.dataset.agentId = String(agent.id);
    const titleRow = element('tr', 'work-agenda-agent-head');
    const title = element('th');
    title.colSpan = days.length;
    title.scope = 'rowgroup';
    title.appendChild(element('span', 'work-agenda-name', agent.name));
    if (agent.coversZone) title.append(' ', element('span', 'work-agenda-inzone', text('inZone')));
    if (agent.zones?.length) {
      title.append(
        ' ',
        element('span', 'work-agenda-zones', `${text('zones')}: ${agent.zones.join(', ')}`),
      );
    }
    title.append(' ', nextFreeNote(agent, days));
    titleRow.appendChild(title);
    body.appendChild(titleRow);

    const byDay = new Map<string, Slot[]>();
    for (const slot of agent.slots) {
      const date = local(slot.start).date;
      byDay.set(date, [...(byDay.get(date) ?? []), slot]);
    }
    const row = element('tr', 'work-agenda-slots');
    let stop: HTMLButtonElement | null = null;
    let firstBookable: HTMLButtonElement | null = null;
    for (const date of days) {
      const cell = element('td');
      let slots = byDay.get(date) ?? [];
      if (!slots.length) {
        cell.appendChild(element('span', 'work-agenda-off', '—'));
        cell.appendChild(element('span', 'visually-hidden', text('noSlots')));
      }
      // A day all absent (or all gone) is one mark, not a column of slots nobody can take.
      const whole = slots.length > 1 ? wholeDay(slots) : '';
      if (whole) {
        cell.appendChild(dayMark(agent, date, whole, slots));
        slots = [];
      }
      for (const slot of slots) {
        const button = slotButton(agent, slot, date);
        cell.appendChild(button);
        if (button.disabled) continue;
        firstBookable ??= button;
        if (button.classList.contains('is-selected')) stop = button;
        else if (!stop && button.classList.contains('is-next')) stop = button;
      }
      row.appendChild(cell);
    }
    // One Tab stop per agent (the chosen slot, the next free one, or the first it offers);
    // the arrows move between an agent's slots.
    stop = stop ?? firstBookable;
    if (stop) stop.tabIndex = 0;
    body.appendChild(row);
    return body;
  }

  /** 'absent' or 'past' when every slot of the day is so. */
  function wholeDay(slots: Slot[]): '' | 'absent' | 'past' {
    const state = slots[0]?.state;
    if (state !== 'absent' && state !== 'past') return '';
    return slots.every((slot) => slot.state === state) ? state : '';
  }

  function dayMark(
    agent: AgendaAgent,
    date: string,
    state: 'absent' | 'past',
    slots: Slot[],
  ): HTMLElement {
    const mark = element('span', `work-agenda-slot work-agenda-day is-${state}`);
    if (state === 'absent') {
      const icon = element('span', 'work-agenda-icon', '⊘');
      icon.setAttribute('aria-hidden', 'true');
      mark.appendChild(icon);
    }
    mark.appendChild(element('span', 'work-agenda-time', text(state)));
    mark.dataset.state = state;
    const first = slots[0];
    const last = slots[slots.length - 1];
    mark.title = `${first ? local(first.start).time : ''}–${last ? local(last.end).time : ''} · ${text(state)}`;
    mark.setAttribute(
      'aria-label',
      [agent.name, dayWords.format(noon(date)), mark.title.replace(' · ', ', ')].join(', '),
    );
    mark.setAttribute('role', 'img');
    return mark;
  }

  /** "★ Next free: Mon 30 Nov, 12:00", with a jump when it falls in another week. */
  function nextFreeNote(agent: AgendaAgent, days: string[]): HTMLElement {
    const note = element('span', 'work-agenda-next');
    const nextFree = agent.nextFree;
    if (!nextFree) {
      note.classList.add('is-none');
      note.textContent = text('noFree');
      return note;
    }
    const date = local(nextFree.start).date;
    const words = `${text('firstFree')} ${shortWhen(nextFree.start)}`;
    if (date >= (days[0] ?? '') && date <= (days[days.length - 1] ?? '')) {
      const star = element('span', 'work-agenda-icon', '★');
      star.setAttribute('aria-hidden', 'true');
      note.append(star, ` ${words}`);
      return note;
    }
    note.append(`${words} `);
    const jump = element('button', 'work-agenda-jump', `${text('goToWeek')} →`);
    jump.type = 'button';
    jump.setAttribute('aria-label', `${agent.name}, ${words}: ${text('goToWeek')}`);
    jump.addEventListener('click', () => {
      pendingFocus = { agentId: agent.id, start: nextFree.start };
      goToWeek(mondayOf(date));
    });
    note.appendChild(jump);
    return note;
  }

  function slotButton(agent: AgendaAgent, slot: Slot, date: string): HTMLButtonElement {
    const state = slot.state;
    const button = element('button', `work-agenda-slot is-${state}`);
    button.type = 'button';
    button.tabIndex = -1;
    button.dataset.agentId = String(agent.id);
    button.dataset.start = slot.start;
    button.dataset.end = slot.end;
    button.dataset.state = state;
    const time = local(slot.start).time;
    button.dataset.minute = String(Number(time.slice(0, 2)) * 60 + Number(time.slice(3)));
    const chosen =
      !!selection && selection.agentId === agent.id && sameInstant(selection.start, slot.start);
    const next = !!agent.nextFree && sameInstant(agent.nextFree.start, slot.start);
    const icon = chosen
      ? '✓'
      : next
        ? '★'
        : state === 'taken'
          ? '✕'
          : state === 'absent'
            ? '⊘'
            : '';
    if (chosen) button.classList.add('is-selected');
    if (next) button.classList.add('is-next');
    if (icon) {
      const mark = element('span', 'work-agenda-icon', icon);
      mark.setAttribute('aria-hidden', 'true');
      button.appendChild(mark);
    }
    button.appendChild(element('span', 'work-agenda-time', time));
    const words = [
      agent.name,
      dayWords.format(noon(date)),
      hours(slot),
      stateText(state) + (next ? `, ${text('nextFree')}` : ''),
    ];
    if (chosen) words.push(text('selected'));
    button.setAttribute('aria-label', words.join(', '));
    button.title = `${hours(slot)} · ${stateText(state)}`;
    if (!bookable(state)) button.disabled = true;
    else button.setAttribute('aria-pressed', String(chosen));
    return button;
  }

  grid.addEventListener('click', (event) => {
    const button = targetOf(event)?.closest('.work-agenda-slot');
    if (!(button instanceof HTMLButtonElement) || button.disabled) return;
    const agent = agentOf(Number(button.dataset.agentId));
    if (!agent) return;
    choose(agent, {
      start: button.dataset.start ?? '',
      end: button.dataset.end ?? '',
      state: button.dataset.state ?? '',
    });
  });

  // Arrows: up and down within a day, left and right to the nearest time of the next day
  // with bookable slots; Home / End the day's first and last; Page Up / Down the week.
  grid.addEventListener('keydown', (event) => {
    const button = targetOf(event)?.closest<HTMLElement>('.work-agenda-slot');
    if (!button || event.ctrlKey || event.metaKey || event.altKey) return;
    const key = event.key;
    if (key === 'PageUp' || key === 'PageDown') {
      event.preventDefault();
      if (key === 'PageUp' && prevButton.disabled) return;
      pendingFocus = { agentId: Number(button.dataset.agentId) };
      goToWeek(addDays(shownWeek(), key === 'PageUp' ? -7 : 7));
      return;
    }
    const body = button.closest('tbody');
    if (!body) return;
    const columns = findAll(body, 'td').map((td) =>
      findAll(td, '.work-agenda-slot:not([disabled])'),
    );
    const column = columns.findIndex((list) => list.includes(button));
    const slots = columns[column];
    if (!slots) return;
    const row = slots.indexOf(button);
    let target: HTMLElement | null | undefined = null;
    if (key === 'ArrowDown') {
      target = slots[row + 1] ?? edgeOf(columns, column, 1);
    } else if (key === 'ArrowUp') {
      target = slots[row - 1] ?? edgeOf(columns, column, -1);
    } else if (key === 'ArrowRight' || key === 'ArrowLeft') {
      target = nearestTime(columns, column, key === 'ArrowRight' ? 1 : -1, button);
    } else if (key === 'Home') {
      target = slots[0];
    } else if (key === 'End') {
      target = slots[slots.length - 1];
    } else {
      return;
    }
    event.preventDefault();
    if (target) moveFocus(button, target);
  });

  /** The first slot of the next day with any (or the last of the previous one). */
  function edgeOf(columns: HTMLElement[][], column: number, step: 1 | -1): HTMLElement | null {
    for (let c = column + step; c >= 0 && c < columns.length; c += step) {
      const slots = columns[c] ?? [];
      if (slots.length) return (step > 0 ? slots[0] : slots[slots.length - 1]) ?? null;
    }
    return null;
  }

  function nearestTime(
    columns: HTMLElement[][],
    column: number,
    step: 1 | -1,
    from: HTMLElement,
  ): HTMLElement | null {
    const minute = Number(from.dataset.minute);
    const distance = (slot: HTMLElement) => Math.abs(Number(slot.dataset.minute) - minute);
    for (let c = column + step; c >= 0 && c < columns.length; c += step) {
      const slots = columns[c] ?? [];
      const [first, ...rest] = slots;
      if (!first) continue;
      return rest.reduce((best, slot) => (distance(slot) < distance(best) ? slot : best), first);
    }
    return null;
  }

  function moveFocus(from: HTMLElement, to: HTMLElement): void {
    from.tabIndex = -1;
    to.tabIndex = 0;
    to.focus();
  }

  function agentOf(id: number): AgendaAgent | null {
    return data?.agents.find((agent) => agent.id === id) ?? null;
  }

  function slotOf(agent: AgendaAgent, start: string): Slot | null {
    return agent.slots.find((slot) => sameInstant(slot.start, start)) ?? null;
  }

  function tabStop(agentId: number): HTMLElement | null {
    const body = grid.querySelector(`tbody[data-agent-id="${agentId}"]`);
    return body?.querySelector<HTMLElement>('.work-agenda-slot[tabindex="0"]') ?? null;
  }

  function flushFocus(): void {
    const wanted = pendingFocus;
    pendingFocus = null;
    if (!wanted || reviewing) return;
    let target: HTMLElement | null = null;
    if (wanted !== 'first' && wanted.start) {
      target = grid.querySelector<HTMLElement>(
        `.work-agenda-slot[data-agent-id="${wanted.agentId}"][data-start="${wanted.start}"]:not([disabled])`,
      );
      if (target) {
        const stop = tabStop(wanted.agentId);
        if (stop && stop !== target) stop.tabIndex = -1;
        target.tabIndex = 0;
      }
    }
    if (!target && wanted !== 'first') target = tabStop(wanted.agentId);
    target ??= grid.querySelector<HTMLElement>('.work-agenda-slot[tabindex="0"]');
    // Just chosen: the whole agenda in sight (the week, the legend, the agents in zone).
    if (wanted === 'first') box.parentElement?.scrollIntoView({ block: 'start' });
    if (target) target.focus({ preventScroll: wanted === 'first' });
    else nextButton.focus();
  }

  // ---- the slot chosen ----------------------------------------------------------------------

  function selectionOf(
    agent: Pick<AgendaAgent, 'id' | 'name' | 'coversZone'>,
    slot: { start: string; end: string; state: string },
  ): Selection {
    return {
      agentId: agent.id,
      agentName: agent.name,
      coversZone: agent.coversZone,
      start: slot.start,
      end: slot.end,
      state: slot.state,
    };
  }

  function choose(
    agent: Pick<AgendaAgent, 'id' | 'name' | 'coversZone'>,
    slot: { start: string; end: string; state: string },
  ): void {
    selection = selectionOf(agent, slot);
    agentInput.value = String(agent.id);
    startInput.value = slot.start;
    if (ack) ack.checked = false;
    hideConflict();
    showHint('');
    clearReviewErrors();
    options.changed();
    showReview(true);
  }

  function clearSelection(): void {
    selection = null;
    agentInput.value = '';
    startInput.value = '';
    if (ack) ack.checked = false;
  }

  /** A slot the draft kept: the hidden inputs, an instant (or a local time of older drafts). */
  function keptSlot(): { agentId: number; start: string } | null {
    const agentId = Number(agentInput.value);
    let start = startInput.value;
    if (!agentId || !start) return null;
    if (LOCAL_PATTERN.test(start)) {
      const instant = options.zonedLocalToUtc(start);
      start = instant ? instant.toISOString() : '';
    }
    return isNaN(Date.parse(start)) ? null : { agentId, start };
  }

  /** After a load: is the slot chosen (or kept by the draft) still there to book? */
  function checkSelection(): void {
    const wanted = restoring ?? selection;
    const fromDraft = !!restoring;
    restoring = null;
    if (!wanted) return;
    const monday = shownWeek();
    const date = local(wanted.start).date;
    // A slot of another week is checked when that week is shown.
    if (date < monday || date > addDays(monday, 6)) return;
    const agent = agentOf(wanted.agentId);
    const slot = agent ? slotOf(agent, wanted.start) : null;
    if (!agent || !slot || !bookable(slot.state)) {
      clearSelection();
      if (reviewing) showPick(false);
      render();
      showHint(text('gone'));
      options.changed();
      return;
    }
    selection = selectionOf(agent, slot);
    startInput.value = slot.start;
    if (fromDraft) showReview(false);
    else if (reviewing) fillSummary();
    else render();
  }

  // ---- the summary ----------------------------------------------------------------------------

  function fillSummary(): void {
    if (!selection) return;
    find(review, '[data-summary="agent"]').textContent = selection.agentName;
    find(review, '[data-summary="in-zone"]').hidden = !selection.coversZone;
    find(review, '[data-summary="when"]').textContent = when(selection);
    fillNotes();
    const overlaps = selection.state === 'taken';
    overlapNote.hidden = !overlaps;
    overlapNote.textContent = overlaps
      ? policy === 'warn'
        ? (overlapNote.dataset.warn ?? '')
        : (overlapNote.dataset.allow ?? '')
      : '';
    if (ackRow) ackRow.hidden = !(overlaps && policy === 'warn');
  }

  function fillNotes(): void {
    const notes = find(review, '[data-summary="notes"]');
    const typed = notesInput.value.trim();
    notes.textContent = typed || text('noNotes');
    notes.classList.toggle('muted', !typed);
  }

  notesInput.addEventListener('input', () => {
    if (reviewing) fillNotes();
  });

  function showReview(focus: boolean): void {
    if (!selection) return;
    reviewing = true;
    fillSummary();
    pick.hidden = true;
    review.hidden = false;
    box.classList.add('is-reviewing');
    if (focus) review.focus();
  }

  /** Back to the grid, the chosen slot (if any) marked and focused. */
  function showPick(focus: boolean): void {
    reviewing = false;
    review.hidden = true;
    pick.hidden = false;
    box.classList.remove('is-reviewing');
    if (data) render();
    if (focus) {
      pendingFocus = selection ? { agentId: selection.agentId, start: selection.start } : 'first';
      if (data && !loading) flushFocus();
    }
  }

  function clearReviewErrors(): void {
    for (const slot of findAll(review, '[data-error-for]')) {
      slot.hidden = true;
      slot.textContent = '';
    }
  }

  function showHint(message: string): void {
    hint.textContent = message;
    hint.hidden = !message;
  }

  $('agenda-change').addEventListener('click', () => showPick(true));
  $('agenda-confirm').addEventListener('click', () => options.confirm());

  // ---- a slot taken meanwhile (409) ------------------------------------------------------------

  function hideConflict(): void {
    conflict.hidden = true;
    choices.textContent = '';
  }

  function showConflict(
    message: string,
    wanted: Selection,
    slots: { start?: string; end?: string }[],
  ): void {
    conflictMessage.textContent = message;
    choices.textContent = '';
    for (const slot of slots) {
      const start = slot?.start;
      if (!start) continue;
      const end = slot.end ?? '';
      const button = element('button', 'btn btn-small', shortWhen(start));
      button.type = 'button';
      button.setAttribute(
        'aria-label',
        `${wanted.agentName}, ${dayWords.format(noon(local(start).date))}, ${hours({ start, end })}`,
      );
      button.addEventListener('click', () => {
        const agent = { id: wanted.agentId, name: wanted.agentName, coversZone: wanted.coversZone };
        choose(agent, { start, end, state: 'free' });
        // The grid follows the choice, and checks it is still free.
        const monday = mondayOf(local(start).date);
        if (monday !== week) load(monday);
      });
      choices.appendChild(button);
    }
    conflict.hidden = false;
    const first = choices.querySelector('button');
    if (first) first.focus();
    else conflict.scrollIntoView({ block: 'center' });
  }

  // ---- what the workstation asks ------------------------------------------------------------

  function show(): void {
    if (week === null) {
      restoring = keptSlot();
      load(mondayOf(restoring ? local(restoring.start).date : today()));
    } else {
      load(week);
    }
  }

  function focus(): void {
    if (reviewing) {
      review.focus();
      return;
    }
    pendingFocus = 'first';
    if (data && !loading) flushFocus();
  }

  function reviewed(): boolean {
    if (reviewing && selection) {
      if (selection.state === 'taken' && policy === 'warn' && ack && !ack.checked) {
        const slot = find(review, '[data-error-for="appointment"]');
        slot.textContent = text('ackNeeded');
        slot.hidden = false;
        ack.focus();
        return false;
      }
      return true;
    }
    if (selection) {
      showReview(true);
      return false;
    }
    if (!loading) showHint(text('chooseSlot'));
    focus();
    return false;
  }

  function failed(error: unknown, message: string): void {
    if (!(error instanceof ApiError)) return;
    const nearest = error.body.nearestFreeSlots;
    if (error.status === 409 && isSlotList(nearest)) {
      const wanted = selection;
      clearSelection();
      options.changed();
      clearReviewErrors();
      showPick(false);
      if (week !== null) load(week);
      if (wanted) showConflict(message, wanted, nearest);
      return;
    }
    if (error.status === 400 && selection && !reviewing) showReview(false);
  }

  return { show, focus, reviewed, failed };
}
