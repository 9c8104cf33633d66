// Callback notices on the operator workstation (views/work/index.hbs): the operator's own
// private callbacks due within CALLBACK_NOTICE_MINUTES, or already due, polled from
// GET /api/v1/callbacks/notices and shown in a banner that stays until the callback is
// taken. A new one can ring (a short tone, off unless the operator turns it on here). With
// no contact on screen a callback opens from the banner; with one, it waits its turn: a
// due private callback is the operator's next contact anyway.
(function () {
  'use strict';
  var POLL_MS = 20000;
  var SOUND_KEY = 'esito.work.noticeSound';

  var box = document.getElementById('work-notices');
  if (!box) return;
  var list = document.getElementById('work-notice-list');
  var sound = document.getElementById('work-notice-sound');
  var strings = box.dataset;
  var lang = strings.lang === 'en' ? 'en-GB' : 'it-IT';
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute('content') : '';
  var seen = {};
  var first = true;
  var audio = null;

  function request(method, path) {
    return fetch(path, {
      method: method,
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'X-CSRF-Token': csrf },
    }).then(function (response) {
      return response
        .json()
        .catch(function () {
          return null;
        })
        .then(function (body) {
          if (response.ok) return body;
          var error = new Error(
            body && body.message
              ? [].concat(body.message).join(' ')
              : strings.failed || String(response.status),
          );
          error.status = response.status;
          throw error;
        });
    });
  }

  /** A contact on screen that is still being worked (the card's own script says so). */
  function contactOpen() {
    var card = document.getElementById('work-card');
    return !!card && !card.hidden;
  }

  function when(item) {
    var at = new Date(item.dueAt);
    var sameDay =
      new Intl.DateTimeFormat('en-CA', { timeZone: item.campaign.timezone }).format(at) ===
      new Intl.DateTimeFormat('en-CA', { timeZone: item.campaign.timezone }).format(new Date());
    return new Intl.DateTimeFormat(lang, {
      timeZone: item.campaign.timezone,
      hour: '2-digit',
      minute: '2-digit',
      day: sameDay ? undefined : '2-digit',
      month: sameDay ? undefined : '2-digit',
    }).format(at);
  }

  function relative(item) {
    var minutes = Math.round((new Date(item.dueAt).getTime() - Date.now()) / 60000);
    if (minutes > 0) return strings.inMinutes.replace('%n', String(minutes));
    if (minutes < 0) return strings.lateMinutes.replace('%n', String(-minutes));
    return strings.now;
  }

  function render(items) {
    list.textContent = '';
    items.forEach(function (item) {
      var due = new Date(item.dueAt).getTime() <= Date.now();
      var li = document.createElement('li');
      li.className = 'work-notice' + (due ? ' is-due' : '');
      li.dataset.callbackId = String(item.id);
      var text = document.createElement('span');
      text.className = 'work-notice-text';
      var who = document.createElement('b');
      who.textContent = item.contact.name || item.contact.phone;
      text.append(
        (due ? strings.due : strings.soon) + ' ',
        who,
        ' · ' + item.contact.phone + ' · ' + item.campaign.name + ' · ',
      );
      var time = document.createElement('time');
      time.dateTime = item.dueAt;
      time.textContent = when(item) + ' (' + relative(item) + ')';
      text.appendChild(time);
      if (item.notes) {
        var notes = document.createElement('span');
        notes.className = 'work-notice-notes';
        notes.textContent = item.notes;
        text.appendChild(notes);
      }
      li.appendChild(text);
      if (!contactOpen()) {
        var open = document.createElement('button');
        open.type = 'button';
        open.className = 'btn btn-small btn-primary';
        open.textContent = strings.open;
        open.setAttribute('aria-label', strings.open + ' ' + who.textContent);
        open.addEventListener('click', function () {
          openCallback(item, open, li);
        });
        li.appendChild(open);
      } else if (due) {
        var next = document.createElement('span');
        next.className = 'work-notice-next';
        next.textContent = strings.next;
        li.appendChild(next);
      }
      list.appendChild(li);
    });
    box.hidden = items.length === 0;
  }

  function openCallback(item, button, li) {
    button.disabled = true;
    request('POST', '/api/v1/callbacks/' + item.id + '/open')
      .then(function () {
        window.location.replace('/work');
      })
      .catch(function (error) {
        button.disabled = false;
        var problem = li.querySelector('.field-error') || document.createElement('p');
        problem.className = 'field-error';
        problem.setAttribute('role', 'alert');
        problem.textContent = error.message;
        li.appendChild(problem);
      });
  }

  function ring() {
    if (!sound || !sound.checked || !audio) return;
    var tone = audio.createOscillator();
    var gain = audio.createGain();
    tone.frequency.value = 880;
    gain.gain.setValueAtTime(0.2, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.4);
    tone.connect(gain).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.4);
    box.dataset.rang = String(Number(box.dataset.rang || 0) + 1);
  }

  function poll() {
    if (document.hidden && !first) return;
    request('GET', '/api/v1/callbacks/notices')
      .then(function (items) {
        items = Array.isArray(items) ? items : [];
        var fresh = items.some(function (item) {
          return !seen[item.id];
        });
        seen = {};
        items.forEach(function (item) {
          seen[item.id] = true;
        });
        render(items);
        if (fresh && !first) ring();
        first = false;
      })
      .catch(function () {
        // The next poll tries again; a banner already shown stays.
      });
  }

  if (sound) {
    try {
      sound.checked = window.localStorage.getItem(SOUND_KEY) === 'on';
    } catch (ignored) {
      // not remembered
    }
    // Browsers let a page play sound only after a gesture: the tick is that gesture.
    var prepare = function () {
      if (!audio && sound.checked && window.AudioContext) audio = new window.AudioContext();
    };
    sound.addEventListener('change', function () {
      prepare();
      try {
        window.localStorage.setItem(SOUND_KEY, sound.checked ? 'on' : 'off');
      } catch (ignored) {
        // not remembered
      }
    });
    document.addEventListener('pointerdown', prepare, { once: true });
    document.addEventListener('keydown', prepare, { once: true });
  }

  poll();
  window.setInterval(poll, POLL_MS);
  document.addEventListener('visibilitychange', function () {
    if (!document.hidden) poll();
  });
})();
