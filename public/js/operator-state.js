// The operator's own state in the top bar: ready, on a contact, or paused with a reason.
// The page says it is open every 30 s (POST /api/v1/me/presence); without it the wall
// shows the operator as logged out.
(function () {
  'use strict';
  var box = document.getElementById('op-state');
  if (!box) return;
  var text = document.getElementById('op-state-text');
  var timer = document.getElementById('op-state-timer');
  var reasonSelect = document.getElementById('op-state-reason');
  var readyButton = document.getElementById('op-state-ready');
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute('content') : '';
  var lang = box.getAttribute('data-lang') || 'it';
  var PRESENCE_MS = 30000;
  var current = null;

  function t(key) {
    return box.getAttribute('data-t-' + key) || key;
  }

  function call(path, body) {
    return fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/json',
        'X-CSRF-Token': csrf,
      },
      body: JSON.stringify(body || {}),
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) throw data;
        return data;
      });
    });
  }

  function elapsed() {
    if (!current) return '';
    var seconds = Math.max(0, Math.floor((Date.now() - Date.parse(current.since)) / 1000));
    var m = Math.floor(seconds / 60);
    var s = seconds % 60;
    return m + ':' + (s < 10 ? '0' : '') + s;
  }

  function render(state) {
    current = state;
    box.setAttribute('data-state', state.state);
    var reasons = state.pauseReasons || [];
    // Keep the first option ("Pausa…") and list the reasons in use.
    while (reasonSelect.options.length > 1) reasonSelect.remove(1);
    reasons.forEach(function (r) {
      var option = document.createElement('option');
      option.value = String(r.id);
      option.textContent = lang === 'en' && r.labelEn ? r.labelEn : r.label;
      reasonSelect.appendChild(option);
    });
    var reason = reasons.filter(function (r) {
      return r.id === state.pauseReasonId;
    })[0];
    if (state.state === 'paused') {
      var name = reason ? (lang === 'en' && reason.labelEn ? reason.labelEn : reason.label) : '';
      text.textContent = t('paused').replace('%reason', name);
    } else {
      text.textContent = t(state.state === 'on_contact' ? 'on_contact' : 'ready');
    }
    reasonSelect.value = '';
    reasonSelect.hidden = state.state !== 'ready';
    readyButton.hidden = state.state !== 'paused';
    timer.textContent = elapsed();
  }

  function failed(error) {
    var message = error && error.message ? [].concat(error.message).join(' ') : t('failed');
    text.textContent = message;
  }

  function presence() {
    call('/api/v1/me/presence').then(render, function () {
      // The next beat tries again.
    });
  }

  reasonSelect.addEventListener('change', function () {
    if (!reasonSelect.value) return;
    call('/api/v1/me/state', { state: 'paused', pauseReasonId: Number(reasonSelect.value) }).then(
      render,
      failed,
    );
  });
  readyButton.addEventListener('click', function () {
    call('/api/v1/me/state', { state: 'ready' }).then(render, failed);
  });
  // The workstation takes and ends contacts: it tells this box to look again.
  document.addEventListener('esito:work-changed', presence);

  presence();
  setInterval(presence, PRESENCE_MS);
  setInterval(function () {
    timer.textContent = elapsed();
  }, 1000);
})();
