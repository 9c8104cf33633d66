// The agenda of a type T outcome on the operator workstation (views/work/index.hbs): the
// campaign's agents (those covering the contact's zone first) as rows of a week grid of
// slots, free / taken / absent / past, each agent's next free slot highlighted; a slot picked
// shows the summary read back to the customer before CONFERMA APPUNTAMENTO. The slots come
// from GET /api/v1/campaigns/:id/agenda; the booking itself is the outcome's (public/js/work.js),
// which re-checks the slot under the agent's lock and answers 409 when someone was quicker.
(function () {
  'use strict';

  var DAY_MS = 86400000;
  var LOCAL_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

  /** "2026-11-30" + 2 → "2026-12-02" (calendar days, no time zone involved). */
  function addDays(date, days) {
    return new Date(Date.parse(date + 'T00:00:00Z') + days * DAY_MS).toISOString().slice(0, 10);
  }

  /** The Monday of the week of a calendar day. */
  function mondayOf(date) {
    var weekday = new Date(date + 'T00:00:00Z').getUTCDay() || 7;
    return addDays(date, 1 - weekday);
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function messageOf(json) {
    if (!json || json.message === undefined) return '';
    return Array.isArray(json.message) ? json.message.join(' ') : String(json.message);
  }

  /**
   * The agenda inside `box` (#work-agenda). `options`: `zone` (the campaign's time zone),
   * `zonedLocalToUtc(local)` (for a draft that kept a local time), `changed()` after the chosen
   * slot or the acknowledgement changes, `confirm()` from the summary.
   */
  function WorkAgenda(box, options) {
    var strings = box.dataset;
    var lang = strings.lang === 'en' ? 'en-GB' : 'it-IT';
    var zone = options.zone;
    var policy = strings.policy;
    var $ = function (id) {
      return box.querySelector('#' + id);
    };
    var agentInput = $('appointment-agent');
    var startInput = $('appointment-start');
    var notesInput = $('appointment-notes');
    var ack = $('appointment-ack');
    var ackRow = $('agenda-ack-row');
    var pick = $('agenda-pick');
    var grid = $('agenda-grid');
    var weekLabel = $('agenda-week');
    var status = $('agenda-status');
    var hint = $('agenda-hint');
    var conflict = $('appointment-slots');
    var conflictMessage = $('agenda-conflict-message');
    var choices = $('agenda-choices');
    var review = $('agenda-review');
    var overlapNote = $('agenda-overlap');
    var prevButton = $('agenda-prev');
    var nextButton = $('agenda-next');

    /** The last agenda the server sent, for the week shown. */
    var data = null;
    /** The Monday of the week shown, "YYYY-MM-DD" in the campaign's zone. */
    var week = null;
    /** The slot chosen: {agentId, agentName, coversZone, start, end, state}. */
    var selection = null;
    /** A slot the draft kept, checked against the agenda once it is loaded. */
    var restoring = null;
    var reviewing = false;
    var requests = 0;
    var loading = false;
    /** Where focus goes once the grid is drawn: 'first', {agentId} or {agentId, start}. */
    var pendingFocus = null;

    // ---- dates and times in the campaign's zone, words in the page's language -------------

    var zoned = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    var calendar = function (fields) {
      return new Intl.DateTimeFormat(lang, Object.assign({ timeZone: 'UTC' }, fields));
    };
    var dayHead = calendar({ weekday: 'short', day: 'numeric', month: 'short' });
    var dayWords = calendar({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
    var weekStart = calendar({ day: 'numeric', month: 'short' });
    var weekEnd = calendar({ day: 'numeric', month: 'short', year: 'numeric' });
    var noon = function (date) {
      return new Date(date + 'T12:00:00Z');
    };

    /** An instant's local day and time: {date: "YYYY-MM-DD", time: "HH:MM"}. */
    function local(iso) {
      var parts = {};
      zoned.formatToParts(new Date(iso)).forEach(function (part) {
        parts[part.type] = part.value;
      });
      return {
        date: parts.year + '-' + parts.month + '-' + parts.day,
        time: parts.hour + ':' + parts.minute,
      };
    }

    function today() {
      return local(new Date().toISOString()).date;
    }

    function sameInstant(a, b) {
      return Date.parse(a) === Date.parse(b);
    }

    /** "10:00–11:00". */
    function hours(slot) {
      return local(slot.start).time + '–' + local(slot.end).time;
    }

    /** "lun 30 nov, 12:00". */
    function shortWhen(iso) {
      var at = local(iso);
      return dayHead.format(noon(at.date)) + ', ' + at.time;
    }

    /** "martedì 1 dicembre 2026, 10:00–11:00". */
    function when(slot) {
      return dayWords.format(noon(local(slot.start).date)) + ', ' + hours(slot);
    }

    function stateText(state) {
      if (state === 'taken') return policy === 'reject' ? strings.taken : strings.takenBookable;
      return strings[state] || state;
    }

    function bookable(state) {
      return state === 'free' || (state === 'taken' && policy !== 'reject');
    }

    // ---- loading a week ---------------------------------------------------------------------

    function load(monday) {
      week = monday;
      var sequence = ++requests;
      loading = true;
      setStatus(strings.loading);
      grid.setAttribute('aria-busy', 'true');
      updateNavigation();
      var url =
        '/api/v1/campaigns/' +
        encodeURIComponent(strings.campaignId) +
        '/agenda?from=' +
        monday +
        '&to=' +
        addDays(monday, 6) +
        '&contactId=' +
        encodeURIComponent(strings.contactId);
      return fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (response) {
          return response
            .json()
            .catch(function () {
              return null;
            })
            .then(function (json) {
              if (!response.ok || !json) throw new Error(messageOf(json));
              return json;
            });
        })
        .then(function (json) {
          if (sequence !== requests) return;
          loading = false;
          data = json;
          setStatus('');
          render();
          checkSelection();
          flushFocus();
        })
        .catch(function (error) {
          if (sequence !== requests) return;
          loading = false;
          grid.removeAttribute('aria-busy');
          setStatus(strings.loadFailed + (error && error.message ? ' ' + error.message : ''), true);
        });
    }

    function setStatus(text, failed) {
      status.textContent = text;
      status.classList.toggle('is-failed', !!failed);
      if (failed) {
        var retry = element('button', 'btn btn-small', strings.retry);
        retry.type = 'button';
        retry.addEventListener('click', function () {
          load(week);
        });
        status.append(' ', retry);
      }
    }

    function updateNavigation() {
      var days = [week, addDays(week, 6)];
      weekLabel.textContent =
        weekStart.format(noon(days[0])) + ' – ' + weekEnd.format(noon(days[1]));
      // No visit is booked in the past: the weeks before this one have nothing to offer.
      prevButton.disabled = week <= mondayOf(today());
    }

    function goToWeek(monday) {
      if (monday < mondayOf(today())) monday = mondayOf(today());
      load(monday);
    }

    prevButton.addEventListener('click', function () {
      goToWeek(addDays(week, -7));
    });
    nextButton.addEventListener('click', function () {
      goToWeek(addDays(week, 7));
    });
    $('agenda-today').addEventListener('click', function () {
      goToWeek(mondayOf(today()));
    });

    // ---- the grid ---------------------------------------------------------------------------

    function render() {
      var days = [0, 1, 2, 3, 4, 5, 6].map(function (n) {
        return addDays(week, n);
      });
      var now = today();
      grid.textContent = '';
      grid.removeAttribute('aria-busy');
      // Days nobody works (the weekend, usually) take less room.
      var worked = {};
      data.agents.forEach(function (agent) {
        agent.slots.forEach(function (slot) {
          worked[local(slot.start).date] = true;
        });
      });
      var columns = element('colgroup');
      days.forEach(function (date) {
        columns.appendChild(element('col', worked[date] ? '' : 'is-off'));
      });
      grid.appendChild(columns);
      var head = element('thead');
      var headRow = element('tr');
      days.forEach(function (date) {
        var th = element('th', date === now ? 'is-today' : '', dayHead.format(noon(date)));
        th.scope = 'col';
        if (date === now) th.setAttribute('aria-current', 'date');
        headRow.appendChild(th);
      });
      head.appendChild(headRow);
      grid.appendChild(head);
      data.agents.forEach(function (agent) {
        grid.appendChild(agentRows(agent, days));
      });
      grid.hidden = false;
    }

    function agentRows(agent, days) {
      var body = element('tbody', 'work-agenda-agent' + (agent.coversZone ? ' is-in-zone' : ''));
      body.dataset.agentId = String(agent.id);
      var titleRow = element('tr', 'work-agenda-agent-head');
      var title = element('th');
      title.colSpan = days.length;
      title.scope = 'rowgroup';
      title.appendChild(element('span', 'work-agenda-name', agent.name));
      if (agent.coversZone)
        title.append(' ', element('span', 'work-agenda-inzone', strings.inZone));
      if (agent.zones && agent.zones.length) {
        title.append(
          ' ',
          element('span', 'work-agenda-zones', strings.zones + ': ' + agent.zones.join(', ')),
        );
      }
      title.append(' ', nextFreeNote(agent, days));
      titleRow.appendChild(title);
      body.appendChild(titleRow);

      var byDay = {};
      agent.slots.forEach(function (slot) {
        var date = local(slot.start).date;
        (byDay[date] = byDay[date] || []).push(slot);
      });
      var row = element('tr', 'work-agenda-slots');
      var stop = null;
      var firstBookable = null;
      days.forEach(function (date) {
        var cell = element('td');
        var slots = byDay[date] || [];
        if (!slots.length) {
          cell.appendChild(element('span', 'work-agenda-off', '—'));
          cell.appendChild(element('span', 'visually-hidden', strings.noSlots));
        }
        // A day all absent (or all gone) is one mark, not a column of slots nobody can take.
        var whole = slots.length > 1 && wholeDay(slots);
        if (whole) {
          cell.appendChild(dayMark(agent, date, whole, slots));
          slots = [];
        }
        slots.forEach(function (slot) {
          var button = slotButton(agent, slot, date);
          cell.appendChild(button);
          if (button.disabled) return;
          if (!firstBookable) firstBookable = button;
          if (button.classList.contains('is-selected')) stop = button;
          else if (!stop && button.classList.contains('is-next')) stop = button;
        });
        row.appendChild(cell);
      });
      // One Tab stop per agent (the chosen slot, the next free one, or the first it offers);
      // the arrows move between an agent's slots.
      stop = stop || firstBookable;
      if (stop) stop.tabIndex = 0;
      body.appendChild(row);
      return body;
    }

    /** 'absent' or 'past' when every slot of the day is so. */
    function wholeDay(slots) {
      var state = slots[0].state;
      if (state !== 'absent' && state !== 'past') return '';
      for (var i = 1; i < slots.length; i++) if (slots[i].state !== state) return '';
      return state;
    }

    function dayMark(agent, date, state, slots) {
      var mark = element('span', 'work-agenda-slot work-agenda-day is-' + state);
      if (state === 'absent') {
        var icon = element('span', 'work-agenda-icon', '⊘');
        icon.setAttribute('aria-hidden', 'true');
        mark.appendChild(icon);
      }
      mark.appendChild(element('span', 'work-agenda-time', strings[state]));
      mark.dataset.state = state;
      mark.title =
        local(slots[0].start).time +
        '–' +
        local(slots[slots.length - 1].end).time +
        ' · ' +
        strings[state];
      mark.setAttribute(
        'aria-label',
        [agent.name, dayWords.format(noon(date)), mark.title.replace(' · ', ', ')].join(', '),
      );
      mark.setAttribute('role', 'img');
      return mark;
    }

    /** "★ Next free: Mon 30 Nov, 12:00", with a jump when it falls in another week. */
    function nextFreeNote(agent, days) {
      var note = element('span', 'work-agenda-next');
      if (!agent.nextFree) {
        note.classList.add('is-none');
        note.textContent = strings.noFree;
        return note;
      }
      var date = local(agent.nextFree.start).date;
      var text = strings.firstFree + ' ' + shortWhen(agent.nextFree.start);
      if (date >= days[0] && date <= days[days.length - 1]) {
        var star = element('span', 'work-agenda-icon', '★');
        star.setAttribute('aria-hidden', 'true');
        note.append(star, ' ' + text);
        return note;
      }
      note.append(text + ' ');
      var jump = element('button', 'work-agenda-jump', strings.goToWeek + ' →');
      jump.type = 'button';
      jump.setAttribute('aria-label', agent.name + ', ' + text + ': ' + strings.goToWeek);
      jump.addEventListener('click', function () {
        pendingFocus = { agentId: agent.id, start: agent.nextFree.start };
        goToWeek(mondayOf(date));
      });
      note.appendChild(jump);
      return note;
    }

    function slotButton(agent, slot, date) {
      var state = slot.state;
      var button = element('button', 'work-agenda-slot is-' + state);
      button.type = 'button';
      button.tabIndex = -1;
      button.dataset.agentId = String(agent.id);
      button.dataset.start = slot.start;
      button.dataset.end = slot.end;
      button.dataset.state = state;
      var time = local(slot.start).time;
      button.dataset.minute = String(Number(time.slice(0, 2)) * 60 + Number(time.slice(3)));
      var chosen =
        selection && selection.agentId === agent.id && sameInstant(selection.start, slot.start);
      var next = agent.nextFree && sameInstant(agent.nextFree.start, slot.start);
      var icon = chosen
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
        var mark = element('span', 'work-agenda-icon', icon);
        mark.setAttribute('aria-hidden', 'true');
        button.appendChild(mark);
      }
      button.appendChild(element('span', 'work-agenda-time', time));
      var words = [
        agent.name,
        dayWords.format(noon(date)),
        hours(slot),
        stateText(state) + (next ? ', ' + strings.nextFree : ''),
      ];
      if (chosen) words.push(strings.selected);
      button.setAttribute('aria-label', words.join(', '));
      button.title = hours(slot) + ' · ' + stateText(state);
      if (!bookable(state)) button.disabled = true;
      else button.setAttribute('aria-pressed', String(!!chosen));
      return button;
    }

    grid.addEventListener('click', function (event) {
      var button = event.target.closest('.work-agenda-slot');
      if (!button || button.disabled) return;
      var agent = agentOf(Number(button.dataset.agentId));
      if (!agent) return;
      choose(agent, {
        start: button.dataset.start,
        end: button.dataset.end,
        state: button.dataset.state,
      });
    });

    // Arrows: up and down within a day, left and right to the nearest time of the next day
    // with bookable slots; Home / End the day's first and last; Page Up / Down the week.
    grid.addEventListener('keydown', function (event) {
      var button = event.target.closest ? event.target.closest('.work-agenda-slot') : null;
      if (!button || event.ctrlKey || event.metaKey || event.altKey) return;
      var key = event.key;
      if (key === 'PageUp' || key === 'PageDown') {
        event.preventDefault();
        if (key === 'PageUp' && prevButton.disabled) return;
        pendingFocus = { agentId: Number(button.dataset.agentId) };
        goToWeek(addDays(week, key === 'PageUp' ? -7 : 7));
        return;
      }
      var body = button.closest('tbody');
      var columns = Array.prototype.map.call(body.querySelectorAll('td'), function (td) {
        return Array.prototype.slice.call(td.querySelectorAll('.work-agenda-slot:not([disabled])'));
      });
      var column = -1;
      columns.forEach(function (list, index) {
        if (list.indexOf(button) !== -1) column = index;
      });
      if (column === -1) return;
      var row = columns[column].indexOf(button);
      var target = null;
      if (key === 'ArrowDown') {
        target = columns[column][row + 1] || edgeOf(columns, column, 1);
      } else if (key === 'ArrowUp') {
        target = columns[column][row - 1] || edgeOf(columns, column, -1);
      } else if (key === 'ArrowRight' || key === 'ArrowLeft') {
        target = nearestTime(columns, column, key === 'ArrowRight' ? 1 : -1, button);
      } else if (key === 'Home') {
        target = columns[column][0];
      } else if (key === 'End') {
        target = columns[column][columns[column].length - 1];
      } else {
        return;
      }
      event.preventDefault();
      if (target) moveFocus(button, target);
    });

    /** The first slot of the next day with any (or the last of the previous one). */
    function edgeOf(columns, column, step) {
      for (var c = column + step; c >= 0 && c < columns.length; c += step) {
        if (columns[c].length) return step > 0 ? columns[c][0] : columns[c][columns[c].length - 1];
      }
      return null;
    }

    function nearestTime(columns, column, step, from) {
      var minute = Number(from.dataset.minute);
      for (var c = column + step; c >= 0 && c < columns.length; c += step) {
        if (!columns[c].length) continue;
        return columns[c].reduce(function (best, candidate) {
          var distance = Math.abs(Number(candidate.dataset.minute) - minute);
          return distance < Math.abs(Number(best.dataset.minute) - minute) ? candidate : best;
        });
      }
      return null;
    }

    function moveFocus(from, to) {
      from.tabIndex = -1;
      to.tabIndex = 0;
      to.focus();
    }

    function agentOf(id) {
      if (!data) return null;
      for (var i = 0; i < data.agents.length; i++)
        if (data.agents[i].id === id) return data.agents[i];
      return null;
    }

    function slotOf(agent, start) {
      for (var i = 0; i < agent.slots.length; i++) {
        if (sameInstant(agent.slots[i].start, start)) return agent.slots[i];
      }
      return null;
    }

    function tabStop(agentId) {
      var body = grid.querySelector('tbody[data-agent-id="' + agentId + '"]');
      return body ? body.querySelector('.work-agenda-slot[tabindex="0"]') : null;
    }

    function flushFocus() {
      var wanted = pendingFocus;
      pendingFocus = null;
      if (!wanted || reviewing) return;
      var target = null;
      if (wanted !== 'first' && wanted.start) {
        target = grid.querySelector(
          '.work-agenda-slot[data-agent-id="' +
            wanted.agentId +
            '"][data-start="' +
            wanted.start +
            '"]:not([disabled])',
        );
        if (target) {
          var stop = tabStop(wanted.agentId);
          if (stop && stop !== target) stop.tabIndex = -1;
          target.tabIndex = 0;
        }
      }
      if (!target && wanted !== 'first') target = tabStop(wanted.agentId);
      if (!target) target = grid.querySelector('.work-agenda-slot[tabindex="0"]');
      // Just chosen: the whole agenda in sight (the week, the legend, the agents in zone).
      if (wanted === 'first') box.parentElement.scrollIntoView({ block: 'start' });
      if (target) target.focus({ preventScroll: wanted === 'first' });
      else nextButton.focus();
    }

    // ---- the slot chosen ----------------------------------------------------------------------

    function choose(agent, slot) {
      selection = {
        agentId: agent.id,
        agentName: agent.name,
        coversZone: agent.coversZone,
        start: slot.start,
        end: slot.end,
        state: slot.state,
      };
      agentInput.value = String(agent.id);
      startInput.value = slot.start;
      if (ack) ack.checked = false;
      hideConflict();
      showHint('');
      clearReviewErrors();
      options.changed();
      showReview(true);
    }

    function clearSelection() {
      selection = null;
      agentInput.value = '';
      startInput.value = '';
      if (ack) ack.checked = false;
    }

    /** A slot the draft kept: the hidden inputs, an instant (or a local time of older drafts). */
    function keptSlot() {
      var agentId = Number(agentInput.value);
      var start = startInput.value;
      if (!agentId || !start) return null;
      if (LOCAL_PATTERN.test(start)) {
        var instant = options.zonedLocalToUtc(start);
        start = instant ? instant.toISOString() : '';
      }
      return isNaN(Date.parse(start)) ? null : { agentId: agentId, start: start };
    }

    /** After a load: is the slot chosen (or kept by the draft) still there to book? */
    function checkSelection() {
      var wanted = restoring || selection;
      var fromDraft = !!restoring;
      restoring = null;
      if (!wanted) return;
      var date = local(wanted.start).date;
      // A slot of another week is checked when that week is shown.
      if (date < week || date > addDays(week, 6)) return;
      var agent = agentOf(wanted.agentId);
      var slot = agent ? slotOf(agent, wanted.start) : null;
      if (!agent || !slot || !bookable(slot.state)) {
        clearSelection();
        if (reviewing) showPick(false);
        render();
        showHint(strings.gone);
        options.changed();
        return;
      }
      selection = {
        agentId: agent.id,
        agentName: agent.name,
        coversZone: agent.coversZone,
        start: slot.start,
        end: slot.end,
        state: slot.state,
      };
      startInput.value = slot.start;
      if (fromDraft) showReview(false);
      else if (reviewing) fillSummary();
      else render();
    }

    // ---- the summary ----------------------------------------------------------------------------

    function fillSummary() {
      review.querySelector('[data-summary="agent"]').textContent = selection.agentName;
      review.querySelector('[data-summary="in-zone"]').hidden = !selection.coversZone;
      review.querySelector('[data-summary="when"]').textContent = when(selection);
      fillNotes();
      var overlaps = selection.state === 'taken';
      overlapNote.hidden = !overlaps;
      overlapNote.textContent = overlaps
        ? policy === 'warn'
          ? overlapNote.dataset.warn
          : overlapNote.dataset.allow
        : '';
      if (ackRow) ackRow.hidden = !(overlaps && policy === 'warn');
    }

    function fillNotes() {
      var notes = review.querySelector('[data-summary="notes"]');
      var text = notesInput.value.trim();
      notes.textContent = text || strings.noNotes;
      notes.classList.toggle('muted', !text);
    }

    notesInput.addEventListener('input', function () {
      if (reviewing) fillNotes();
    });

    function showReview(focus) {
      if (!selection) return;
      reviewing = true;
      fillSummary();
      pick.hidden = true;
      review.hidden = false;
      box.classList.add('is-reviewing');
      if (focus) review.focus();
    }

    /** Back to the grid, the chosen slot (if any) marked and focused. */
    function showPick(focus) {
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

    function clearReviewErrors() {
      Array.prototype.forEach.call(review.querySelectorAll('[data-error-for]'), function (slot) {
        slot.hidden = true;
        slot.textContent = '';
      });
    }

    function showHint(text) {
      hint.textContent = text;
      hint.hidden = !text;
    }

    $('agenda-change').addEventListener('click', function () {
      showPick(true);
    });
    $('agenda-confirm').addEventListener('click', function () {
      options.confirm();
    });

    // ---- a slot taken meanwhile (409) ------------------------------------------------------------

    function hideConflict() {
      conflict.hidden = true;
      choices.textContent = '';
    }

    function showConflict(message, wanted, slots) {
      conflictMessage.textContent = message;
      choices.textContent = '';
      slots.forEach(function (slot) {
        if (!slot || !slot.start) return;
        var button = element('button', 'btn btn-small', shortWhen(slot.start));
        button.type = 'button';
        button.setAttribute(
          'aria-label',
          wanted.agentName +
            ', ' +
            dayWords.format(noon(local(slot.start).date)) +
            ', ' +
            hours(slot),
        );
        button.addEventListener('click', function () {
          var agent = { id: wanted.agentId, name: wanted.agentName, coversZone: wanted.coversZone };
          choose(agent, { start: slot.start, end: slot.end, state: 'free' });
          // The grid follows the choice, and checks it is still free.
          var monday = mondayOf(local(slot.start).date);
          if (monday !== week) load(monday);
        });
        choices.appendChild(button);
      });
      conflict.hidden = false;
      var first = choices.querySelector('button');
      if (first) first.focus();
      else conflict.scrollIntoView({ block: 'center' });
    }

    // ---- what work.js asks --------------------------------------------------------------------

    /** The T panel is shown: the week of the kept slot (or this week), fresh from the server. */
    function show() {
      if (week === null) {
        restoring = keptSlot();
        load(mondayOf(restoring ? local(restoring.start).date : today()));
      } else {
        load(week);
      }
    }

    /** Focus on the summary, or on the first agent's slot once the grid is there. */
    function focus() {
      if (reviewing) {
        review.focus();
        return;
      }
      pendingFocus = 'first';
      if (data && !loading) flushFocus();
    }

    /** True when the summary is on screen (and an overlap acknowledged where asked). */
    function reviewed() {
      if (reviewing && selection) {
        if (selection.state === 'taken' && policy === 'warn' && ack && !ack.checked) {
          var slot = review.querySelector('[data-error-for="appointment"]');
          slot.textContent = strings.ackNeeded;
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
      if (!loading) showHint(strings.chooseSlot);
      focus();
      return false;
    }

    /** The outcome was refused: a 409 offers the nearest free slots; a 400 is read in the summary. */
    function failed(error) {
      if (error.status === 409 && error.body && Array.isArray(error.body.nearestFreeSlots)) {
        var wanted = selection;
        clearSelection();
        options.changed();
        clearReviewErrors();
        showPick(false);
        load(week);
        if (wanted) showConflict(error.message, wanted, error.body.nearestFreeSlots);
        return;
      }
      if (error.status === 400 && selection && !reviewing) showReview(false);
    }

    return { show: show, focus: focus, reviewed: reviewed, failed: failed };
  }

  window.EsitoWorkAgenda = WorkAgenda;
})();
