// The operator workstation (views/work/index.hbs): next contact, the outcome and what its
// type needs, CONFERMA ESITO, STOP / CHIUDI, a draft saved on every change and a heartbeat
// that keeps the lease, all through /api/v1/work. Keyboard first: N (or Enter on the empty
// page) next contact, 1-9 quick outcomes, Ctrl+Enter confirm, Esc stop. The cart of a sale
// is public/js/work-cart.js, the agenda of an appointment public/js/work-agenda.js.
(function () {
  'use strict';
  var API = '/api/v1/work';
  var DRAFT_DELAY_MS = 500;
  var HEARTBEAT_MS = 30000;
  var CAMPAIGN_KEY = 'esito.work.campaign';

  var strings = document.getElementById('work-strings').dataset;
  var lang = strings.lang === 'en' ? 'en-GB' : 'it-IT';
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute('content') : '';
  var nextButton = document.getElementById('work-next');
  var campaignSelect = document.getElementById('work-campaign');
  var message = document.getElementById('work-message');
  var card = document.getElementById('work-card');
  var result = document.getElementById('work-result');

  // Colours come from data attributes: a CSS custom property set here passes any CSP.
  Array.prototype.forEach.call(document.querySelectorAll('[data-color]'), function (el) {
    el.style.setProperty('--status-color', el.dataset.color);
  });

  // ---- the API -------------------------------------------------------------------------

  function api(method, path, body, options) {
    var init = {
      method: method,
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'X-CSRF-Token': csrf },
      keepalive: !!(options && options.keepalive),
    };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(API + path, init).then(function (response) {
      if (response.status === 204) return { status: 204, body: null };
      return response
        .json()
        .catch(function () {
          return null;
        })
        .then(function (json) {
          if (response.ok) return { status: response.status, body: json };
          var error = new Error(messageOf(json) || strings.generic);
          error.status = response.status;
          error.body = json || {};
          throw error;
        });
    });
  }

  function messageOf(json) {
    if (!json || json.message === undefined) return '';
    return Array.isArray(json.message) ? json.message.join('\n') : String(json.message);
  }

  function showMessage(text) {
    message.textContent = text;
    message.hidden = !text;
  }

  // ---- next contact ----------------------------------------------------------------------

  if (campaignSelect) {
    // The chosen campaign is remembered on this workstation (storage may be refused).
    try {
      var remembered = window.localStorage.getItem(CAMPAIGN_KEY);
      if (remembered && campaignSelect.querySelector('option[value="' + remembered + '"]')) {
        campaignSelect.value = remembered;
      }
    } catch (ignored) {
      // nothing remembered
    }
    campaignSelect.addEventListener('change', function () {
      try {
        window.localStorage.setItem(CAMPAIGN_KEY, campaignSelect.value);
      } catch (ignored) {
        // not remembered
      }
    });
  }

  var fetchingNext = false;
  function nextContact() {
    if (fetchingNext || nextButton.disabled) return;
    fetchingNext = true;
    nextButton.setAttribute('aria-busy', 'true');
    clearErrors();
    showMessage('');
    var body = {};
    if (campaignSelect && campaignSelect.value) body.campaignId = Number(campaignSelect.value);
    api('POST', '/next', body)
      .then(function (answer) {
        if (answer.status === 204) {
          showMessage(strings.nothing);
          // Asking for a contact ended a pause: the state in the top bar says so.
          document.dispatchEvent(new Event('esito:work-changed'));
          return;
        }
        // The card is rendered by the server, like after a reload.
        window.location.replace('/work');
      })
      .catch(function (error) {
        showError(error);
      })
      .then(function () {
        fetchingNext = false;
        nextButton.removeAttribute('aria-busy');
        if (!card || !cardActive) nextButton.focus();
      });
  }
  nextButton.addEventListener('click', nextContact);

  // ---- errors beside their fields ------------------------------------------------------

  function clearErrors() {
    Array.prototype.forEach.call(document.querySelectorAll('[data-error-for]'), function (el) {
      el.hidden = true;
      el.textContent = '';
    });
    Array.prototype.forEach.call(document.querySelectorAll('[aria-invalid]'), function (el) {
      el.removeAttribute('aria-invalid');
    });
  }

  /** The field an API message starts with: "callback.at: ..." or "answers.5 must be ...". */
  function fieldOf(text) {
    var match = /^([A-Za-z_][\w]*(?:\.[\w]+)*)(?::|\s)/.exec(text);
    return match ? match[1] : '';
  }

  /** The error slot for a field: itself, a parent ("cart.0.quantity" → "cart"), or a child. */
  function slotFor(field) {
    var parts = field ? field.split('.') : [];
    for (var n = parts.length; n > 0; n--) {
      var name = parts.slice(0, n).join('.');
      var slot = document.querySelector('[data-error-for="' + name + '"]');
      if (slot && slotVisible(slot)) return slot;
      var child = document.querySelector('[data-error-for^="' + name + '."]');
      if (child && slotVisible(child)) return child;
    }
    return (
      document.querySelector('[data-error-for="_general"]') ||
      document.querySelector('[data-error-for="campaignId"]')
    );
  }

  function slotVisible(slot) {
    var panel = slot.closest('[data-panel]');
    return !panel || !panel.hidden;
  }

  function showError(error) {
    var texts = error.status ? error.message.split('\n') : [strings.network];
    var focused = false;
    texts.forEach(function (text) {
      var field = fieldOf(text);
      var slot = slotFor(field);
      if (!slot) return;
      slot.textContent = slot.hidden ? text : slot.textContent + ' ' + text;
      slot.hidden = false;
      // The agenda's hidden inputs take no focus: its error slot is shown instead.
      var input =
        field && card ? card.querySelector('[name="' + field + '"]:not([type="hidden"])') : null;
      if (input) input.setAttribute('aria-invalid', 'true');
      if (!focused) {
        focused = true;
        var target = input || slot.closest('.work-field, .work-step, .work-actions') || slot;
        if (target === input) input.focus();
        else slot.scrollIntoView({ block: 'center' });
      }
    });
    if (error.status === 403 && /not leased|expired/.test(error.message)) leaseLost();
    if (agenda) agenda.failed(error);
  }

  if (!card) {
    document.addEventListener('keydown', function (event) {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTyping(event.target)) return;
      var onPage = event.target === document.body || event.target === document.documentElement;
      if (event.key === 'n' || event.key === 'N' || (event.key === 'Enter' && onPage)) {
        event.preventDefault();
        nextContact();
      }
    });
    return;
  }

  // ---- the contact being worked ----------------------------------------------------------

  var contactId = card.dataset.contactId;
  var zone = card.dataset.timezone;
  var cardActive = true;
  var busy = false;
  var notes = document.getElementById('work-notes');
  var statusRadios = Array.prototype.slice.call(card.querySelectorAll('input[name="statusId"]'));
  var quickButtons = Array.prototype.slice.call(card.querySelectorAll('.work-quick-btn'));
  var panels = Array.prototype.slice.call(card.querySelectorAll('[data-panel]'));
  var callbackAt = document.getElementById('callback-at');
  var callbackNotes = document.getElementById('callback-notes');
  var appointmentAgent = document.getElementById('appointment-agent');
  var appointmentStart = document.getElementById('appointment-start');
  var appointmentNotes = document.getElementById('appointment-notes');
  var acknowledge = document.getElementById('appointment-ack');
  var confirmButton = document.getElementById('work-confirm');
  var stopButton = document.getElementById('work-stop');
  var dialog = document.getElementById('work-stop-dialog');
  var draftState = document.getElementById('work-draft-state');
  var cartBox = document.getElementById('work-cart-box');
  var cart = cartBox
    ? window.EsitoWorkCart(cartBox, {
        strings: strings,
        formatMoney: formatMoney,
        changed: function () {
          changed();
        },
        confirm: function () {
          confirm();
        },
      })
    : null;
  var agendaBox = document.getElementById('work-agenda');
  var agenda = agendaBox
    ? window.EsitoWorkAgenda(agendaBox, {
        zone: zone,
        zonedLocalToUtc: zonedLocalToUtc,
        changed: function () {
          changed();
        },
        confirm: function () {
          confirm();
        },
      })
    : null;

  function selectedStatus() {
    for (var i = 0; i < statusRadios.length; i++)
      if (statusRadios[i].checked) return statusRadios[i];
    return null;
  }

  function radioValue(name) {
    var checked = card.querySelector('input[name="' + name + '"]:checked');
    return checked ? checked.value : '';
  }

  function setRadio(name, value) {
    Array.prototype.forEach.call(card.querySelectorAll('input[name="' + name + '"]'), function (r) {
      r.checked = r.value === value;
    });
  }

  // ---- times in the campaign's zone ------------------------------------------------------

  /** The wall-clock time of `date` in the campaign's zone, as "YYYY-MM-DDTHH:MM". */
  function toZonedLocal(date) {
    var parts = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    }).formatToParts(date);
    var get = function (type) {
      for (var i = 0; i < parts.length; i++) if (parts[i].type === type) return parts[i].value;
      return '';
    };
    return (
      get('year') + '-' + get('month') + '-' + get('day') + 'T' + get('hour') + ':' + get('minute')
    );
  }

  /** The instant of a wall-clock time in the campaign's zone (as src/common/time/local-time.ts). */
  function zonedLocalToUtc(local) {
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local)) return null;
    var wall = Date.parse(local + ':00Z');
    if (isNaN(wall)) return null;
    var offsetAt = function (instant) {
      return (
        Date.parse(toZonedLocal(new Date(instant)) + ':00Z') - Math.floor(instant / 60000) * 60000
      );
    };
    var guess = wall - offsetAt(wall);
    var instant = wall - offsetAt(guess);
    return toZonedLocal(new Date(instant)) === local ? new Date(instant) : null;
  }

  function formatWhen(iso) {
    return new Intl.DateTimeFormat(lang, {
      weekday: 'short',
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZone: zone,
    }).format(new Date(iso));
  }

  /** A local time as the API wants it; a value that is no time is sent as typed (the server names it). */
  function isoOf(local) {
    var instant = zonedLocalToUtc(local);
    return instant ? instant.toISOString() : local;
  }

  // ---- money, in cents (never through a float for the digits) ----------------------------

  var cents = window.EsitoWorkCart.cents;

  function formatMoney(amountCents) {
    return new Intl.NumberFormat(lang, { style: 'currency', currency: 'EUR' }).format(
      amountCents / 100,
    );
  }

  // ---- the chosen outcome and what its type needs ----------------------------------------

  function showPanelFor(radio) {
    var type = radio ? radio.dataset.type : '';
    panels.forEach(function (panel) {
      panel.hidden = panel.dataset.panel !== type;
    });
    quickButtons.forEach(function (button) {
      button.setAttribute(
        'aria-pressed',
        String(!!radio && button.dataset.statusId === radio.value),
      );
    });
    Array.prototype.forEach.call(card.querySelectorAll('.work-status'), function (label) {
      label.classList.toggle('is-chosen', !!radio && label.contains(radio) && radio.checked);
    });
  }

  /** Selects a status; `fromDraft` keeps what the draft says instead of the status' defaults. */
  function chooseStatus(radio, fromDraft) {
    var previous = selectedStatus();
    radio.checked = true;
    showPanelFor(radio);
    if (cart) cart.allowOverride(radio.dataset.priceOverride === 'true');
    if (agenda && radio.dataset.type === 'T') agenda.show();
    if (!fromDraft && radio.dataset.type === 'R' && (!previous || previous !== radio)) {
      setRadio('callback.visibility', radio.dataset.visibility || 'private');
    }
  }

  /** Where the operator goes after choosing a status: the first thing its type needs. */
  function focusAfterChoice(radio) {
    var type = radio.dataset.type;
    var target = confirmButton;
    if (type === 'R') target = card.querySelector('[data-preset="1h"]') || callbackAt;
    if (type === 'C' && cart) cart.focus();
    else if (type === 'T' && agenda) agenda.focus();
    else target.focus();
  }

  statusRadios.forEach(function (radio) {
    radio.addEventListener('change', function () {
      chooseStatus(radio, false);
      changed();
    });
  });

  quickButtons.forEach(function (button) {
    button.addEventListener('click', function () {
      quick(button);
    });
  });

  function quick(button) {
    var radio = card.querySelector(
      'input[name="statusId"][value="' + button.dataset.statusId + '"]',
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
  statusRadios.forEach(function (radio) {
    radio.addEventListener('keydown', function (event) {
      if (event.key !== 'Enter' || event.ctrlKey || event.metaKey) return;
      event.preventDefault();
      chooseStatus(radio, false);
      changed();
      focusAfterChoice(radio);
    });
  });

  // ---- callback presets ----------------------------------------------------------------

  Array.prototype.forEach.call(card.querySelectorAll('[data-preset]'), function (button) {
    button.addEventListener('click', function () {
      var now = new Date();
      if (button.dataset.preset === '1h') {
        callbackAt.value = toZonedLocal(new Date(now.getTime() + 3600000));
      } else {
        var local = toZonedLocal(now);
        var day = new Date(Date.parse(local.slice(0, 10) + 'T00:00:00Z') + 86400000);
        callbackAt.value = day.toISOString().slice(0, 10) + local.slice(10);
      }
      callbackAt.removeAttribute('aria-invalid');
      changed();
      confirmButton.focus();
    });
  });

  // ---- the draft: everything entered, saved on every change, restored on load ----------

  function collectAnswers() {
    var answers = {};
    Array.prototype.forEach.call(card.querySelectorAll('[data-answer]'), function (input) {
      var id = input.dataset.answer;
      if (input.type === 'radio') {
        if (input.checked) answers[id] = input.value;
      } else if (input.value.trim() !== '') {
        answers[id] = input.value;
      }
    });
    return answers;
  }

  function draft() {
    var status = selectedStatus();
    return {
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
        agentId: appointmentAgent && appointmentAgent.value ? Number(appointmentAgent.value) : null,
        startsAt: appointmentStart ? appointmentStart.value : '',
        notes: appointmentNotes ? appointmentNotes.value : '',
        acknowledgeOverlap: acknowledge ? acknowledge.checked : false,
      },
    };
  }

  function restore(saved) {
    if (!saved || typeof saved !== 'object') return;
    if (notes && typeof saved.notes === 'string') notes.value = saved.notes;
    var answers = saved.answers && typeof saved.answers === 'object' ? saved.answers : {};
    Object.keys(answers).forEach(function (id) {
      Array.prototype.forEach.call(
        card.querySelectorAll('[data-answer="' + id + '"]'),
        function (input) {
          if (input.type === 'radio') input.checked = input.value === answers[id];
          else input.value = String(answers[id]);
        },
      );
    });
    var callback = saved.callback || {};
    if (callbackAt && typeof callback.at === 'string') callbackAt.value = callback.at;
    if (callbackNotes && typeof callback.notes === 'string') callbackNotes.value = callback.notes;
    if (cart) cart.restore(saved.cart);
    var appointment = saved.appointment || {};
    if (appointmentAgent && appointment.agentId) {
      appointmentAgent.value = String(appointment.agentId);
    }
    if (appointmentStart && typeof appointment.startsAt === 'string') {
      appointmentStart.value = appointment.startsAt;
    }
    if (appointmentNotes && typeof appointment.notes === 'string') {
      appointmentNotes.value = appointment.notes;
    }
    if (acknowledge) acknowledge.checked = appointment.acknowledgeOverlap === true;
    var radio =
      saved.statusId != null
        ? card.querySelector('input[name="statusId"][value="' + Number(saved.statusId) + '"]')
        : null;
    if (radio) chooseStatus(radio, true);
    if (typeof callback.visibility === 'string' && callback.visibility) {
      setRadio('callback.visibility', callback.visibility);
    } else if (radio && radio.dataset.type === 'R') {
      setRadio('callback.visibility', radio.dataset.visibility || 'private');
    }
  }

  var draftTimer = null;
  var draftDirty = false;
  var savingDraft = null;

  function setDraftState(state) {
    draftState.dataset.draftState = state;
    draftState.textContent =
      state === 'saving'
        ? strings.saving
        : state === 'saved'
          ? strings.saved
          : state === 'failed'
            ? strings.failed
            : '';
  }

  function changed() {
    if (!cardActive) return;
    draftDirty = true;
    setDraftState('saving');
    window.clearTimeout(draftTimer);
    draftTimer = window.setTimeout(saveDraft, DRAFT_DELAY_MS);
  }

  function saveDraft(keepalive) {
    window.clearTimeout(draftTimer);
    draftTimer = null;
    if (!cardActive || !draftDirty) return savingDraft || Promise.resolve();
    draftDirty = false;
    var request = api(
      'PUT',
      '/' + contactId + '/draft',
      { draft: draft() },
      { keepalive: keepalive },
    )
      .then(function () {
        if (cardActive && !draftDirty) setDraftState('saved');
      })
      .catch(function (error) {
        if (!cardActive) return;
        if (error.status === 403) leaseLost();
        else {
          draftDirty = true;
          setDraftState('failed');
        }
      });
    savingDraft = request;
    return request;
  }

  /** A corrected field loses its error. */
  function clearFieldError(input) {
    if (!input.name) return;
    input.removeAttribute('aria-invalid');
    var slot = card.querySelector('[data-error-for="' + input.name + '"]');
    if (slot) {
      slot.hidden = true;
      slot.textContent = '';
    }
  }

  card.addEventListener('input', function (event) {
    if (!event.target.closest('[name], [data-answer]')) return;
    clearFieldError(event.target);
    changed();
  });
  card.addEventListener('change', function (event) {
    if (event.target.name === 'statusId') return; // handled with its panel
    if (!event.target.closest('[name], [data-answer]')) return;
    clearFieldError(event.target);
    changed();
  });
  // A reload or a closed tab sends what the debounce still holds.
  window.addEventListener('pagehide', function () {
    if (draftDirty) saveDraft(true);
  });

  // ---- heartbeat: the lease lives while the page is open -------------------------------

  var heartbeat = window.setInterval(function () {
    if (!cardActive || busy) return;
    api('POST', '/' + contactId + '/heartbeat').catch(function (error) {
      if (error.status === 403) leaseLost();
    });
  }, HEARTBEAT_MS);

  function stopWorking() {
    cardActive = false;
    window.clearTimeout(draftTimer);
    window.clearInterval(heartbeat);
  }

  function leaseLost() {
    if (!cardActive) return;
    stopWorking();
    setDraftState('idle');
    confirmButton.disabled = true;
    showMessage(strings.leaseLost);
    nextButton.disabled = false;
    if (campaignSelect) campaignSelect.disabled = false;
  }

  // ---- CONFERMA ESITO ----------------------------------------------------------------------

  function outcomeBody() {
    var status = selectedStatus();
    var body = { statusId: status ? Number(status.value) : 0 };
    var type = status ? status.dataset.type : '';
    var text = [
      notes ? notes.value.trim() : '',
      type === 'R' && callbackNotes ? callbackNotes.value.trim() : '',
    ]
      .filter(Boolean)
      .join('\n\n');
    if (text) body.notes = text;
    var answers = collectAnswers();
    if (Object.keys(answers).length) body.answers = answers;
    // An empty field is left out, so that the server answers "... is required" beside it.
    if (type === 'R') {
      body.callback = {};
      if (callbackAt.value) body.callback.at = isoOf(callbackAt.value);
      var visibility = radioValue('callback.visibility');
      if (visibility) body.callback.visibility = visibility;
    }
    if (type === 'C') body.cart = cart ? cart.lines() : [];
    if (type === 'T') {
      body.appointment = {};
      if (appointmentAgent && appointmentAgent.value) {
        body.appointment.agentId = Number(appointmentAgent.value);
      }
      if (appointmentStart && appointmentStart.value) {
        body.appointment.startsAt = isoOf(appointmentStart.value);
      }
      if (appointmentNotes && appointmentNotes.value.trim()) {
        body.appointment.notes = appointmentNotes.value.trim();
      }
      if (acknowledge && acknowledge.checked) body.appointment.acknowledgeOverlap = true;
    }
    return body;
  }

  function confirm() {
    if (!cardActive || busy) return;
    clearErrors();
    var status = selectedStatus();
    if (!status) {
      var slot = card.querySelector('[data-error-for="statusId"]');
      slot.textContent = strings.chooseStatus;
      slot.hidden = false;
      var first = quickButtons[0] || statusRadios[0];
      if (first) first.focus();
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
    (savingDraft || Promise.resolve())
      .then(function () {
        return api('POST', '/' + contactId + '/outcome', outcomeBody());
      })
      .then(function (answer) {
        stopWorking();
        showResult(answer.body);
        document.dispatchEvent(new Event('esito:work-changed'));
      })
      .catch(function (error) {
        showError(error);
        // What was typed since the last save is still to be saved.
        if (cardActive && draftDirty) changed();
      })
      .then(function () {
        busy = false;
        confirmButton.removeAttribute('aria-busy');
      });
  }

  confirmButton.addEventListener('click', confirm);

  function showResult(saved) {
    var status = saved.status || {};
    var color = status.color || '#888888';
    document.body.style.setProperty('--outcome-color', color);
    document.body.classList.add('work-tinted');
    result.style.setProperty('--status-color', color);
    result.style.setProperty('--status-ink', inkOn(color));
    result.querySelector('[data-result="code"]').textContent = status.code || '';
    result.querySelector('[data-result="label"]').textContent = status.label || '';
    var rows = {
      callback: saved.callback
        ? formatWhen(saved.callback.dueAt) +
          ' · ' +
          (saved.callback.visibility === 'public' ? strings.public : strings.private)
        : '',
      protocol: saved.contract ? saved.contract.protocolNumber : '',
      total: saved.contract ? formatMoney(cents(saved.contract.total)) : '',
      appointment: saved.appointment
        ? formatWhen(saved.appointment.startsAt) +
          ' · ' +
          saved.appointment.agentName +
          (saved.appointment.overlaps ? ' (' + strings.overlaps + ')' : '')
        : '',
      nextCall: saved.nextCallAt ? formatWhen(saved.nextCallAt) : '',
      state: strings['state' + capitalise(saved.contactState || '')] || saved.contactState || '',
    };
    Object.keys(rows).forEach(function (key) {
      result.querySelector('[data-result="' + key + '"]').textContent = rows[key];
      result.querySelector('[data-result-row="' + key + '"]').hidden = !rows[key];
    });
    card.hidden = true;
    if (dialog && dialog.open) dialog.close();
    result.hidden = false;
    nextButton.disabled = false;
    if (campaignSelect) campaignSelect.disabled = false;
    nextButton.focus();
  }

  /** Dark or white text, whichever reads better on the status colour. */
  function inkOn(hex) {
    var match = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
    if (!match) return '#ffffff';
    var luminance =
      0.2126 * parseInt(match[1], 16) +
      0.7152 * parseInt(match[2], 16) +
      0.0722 * parseInt(match[3], 16);
    return luminance > 150 ? '#1b2430' : '#ffffff';
  }

  function capitalise(text) {
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  // ---- STOP / CHIUDI -----------------------------------------------------------------------

  function askStop() {
    if (!cardActive || busy || dialog.open) return;
    dialog.returnValue = '';
    dialog.showModal();
  }
  stopButton.addEventListener('click', askStop);

  dialog.addEventListener('close', function () {
    if (dialog.returnValue !== 'discard') {
      stopButton.focus();
      return;
    }
    busy = true;
    // Nothing of the call is kept: no draft leaves the page after this.
    stopWorking();
    api('POST', '/' + contactId + '/discard')
      .then(function () {
        window.location.replace('/work');
      })
      .catch(function (error) {
        busy = false;
        showError(error);
      });
  });

  // ---- keys --------------------------------------------------------------------------------

  function isTyping(target) {
    if (!target || !target.tagName) return false;
    if (target.isContentEditable || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT') {
      return true;
    }
    if (target.tagName !== 'INPUT') return false;
    return ['radio', 'checkbox', 'button', 'submit'].indexOf(target.type) === -1;
  }

  document.addEventListener('keydown', function (event) {
    if (event.defaultPrevented || dialog.open) return;
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      if (cardActive) confirm();
      return;
    }
    if (event.key === 'Escape') {
      if (cardActive) {
        event.preventDefault();
        askStop();
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
    if (!cardActive) {
      var onPage = event.target === document.body || event.target === result;
      if (event.key === 'n' || event.key === 'N' || (event.key === 'Enter' && onPage)) {
        event.preventDefault();
        nextContact();
      }
      return;
    }
    if (/^[1-9]$/.test(event.key)) {
      var button = card.querySelector('.work-quick-btn[data-key="' + event.key + '"]');
      if (button) {
        event.preventDefault();
        quick(button);
      }
    }
  });

  // ---- start ---------------------------------------------------------------------------------

  try {
    restore(JSON.parse(card.dataset.draft || '{}'));
  } catch (ignored) {
    // a draft the page cannot read is ignored; the operator starts over
  }
  if (!selectedStatus()) showPanelFor(null);
  setDraftState(card.dataset.draft && card.dataset.draft !== '{}' ? 'saved' : 'idle');
  document.getElementById('work-contact-name').focus();
})();
