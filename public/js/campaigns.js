// The campaign form's workflow editor: add, remove and reorder steps, live script preview.
// Without scripts the form still works: spare rows and order numbers (see form.hbs).
(function () {
  'use strict';
  var form = document.querySelector('[data-campaign-form]');
  if (!form) return;
  var list = form.querySelector('[data-workflow]');
  var adder = form.querySelector('[data-step-adder]');
  var emptyNote = form.querySelector('[data-workflow-empty]');
  var outcomeOnce = form.querySelector('[data-outcome-once]');
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute('content') : '';
  var previewUrl = form.getAttribute('data-preview-url');
  var texts = {
    error: form.getAttribute('data-text-preview-error') || '',
    empty: form.getAttribute('data-text-preview-empty') || '',
    failed: form.getAttribute('data-text-preview-failed') || '',
  };
  var PREVIEW_DELAY_MS = 300;

  function rows() {
    return Array.prototype.slice.call(list.querySelectorAll('[data-step]'));
  }

  // A new step is a copy of an empty row; the spare rows themselves are for scriptless browsers.
  var spares = list.querySelectorAll('[data-spare]');
  var prototype = (spares[0] || rows()[0]).cloneNode(true);
  prototype.removeAttribute('data-spare');
  Array.prototype.forEach.call(prototype.querySelectorAll('[aria-invalid]'), function (el) {
    el.removeAttribute('aria-invalid');
  });
  Array.prototype.forEach.call(prototype.querySelectorAll('.field-error'), function (el) {
    el.remove();
  });
  Array.prototype.forEach.call(spares, function (row) {
    row.remove();
  });

  form.classList.add('wf-editor-on');
  adder.hidden = false;

  function renumber() {
    var all = rows();
    all.forEach(function (row, i) {
      Array.prototype.forEach.call(row.querySelectorAll('[name^="steps["]'), function (el) {
        el.name = el.name.replace(/^steps\[\d+\]/, 'steps[' + i + ']');
      });
      Array.prototype.forEach.call(row.querySelectorAll('[id^="step-"]'), function (el) {
        el.id = el.id.replace(/^step-\d+-/, 'step-' + i + '-');
      });
      Array.prototype.forEach.call(row.querySelectorAll('label[for^="step-"]'), function (el) {
        el.htmlFor = el.htmlFor.replace(/^step-\d+-/, 'step-' + i + '-');
      });
      row.querySelector('[data-step-number]').textContent = String(i + 1);
      row.querySelector('[name$="[position]"]').value = String(i + 1);
      row.querySelector('[data-action="up"]').disabled = i === 0;
      row.querySelector('[data-action="down"]').disabled = i === all.length - 1;
    });
    emptyNote.hidden = all.length > 0;
    var hasOutcome = all.some(function (row) {
      return kindOf(row) === 'outcome';
    });
    var addOutcome = adder.querySelector('[data-add-step="outcome"]');
    addOutcome.disabled = hasOutcome;
    outcomeOnce.hidden = !hasOutcome;
  }

  function kindOf(row) {
    return row.querySelector('[data-step-kind]').value;
  }

  // Fields that do not belong to the kind are disabled, so they are not sent either.
  function applyKind(row) {
    var kind = kindOf(row);
    row.setAttribute('data-kind', kind);
    row.querySelector('[data-step-choices]').disabled = kind !== 'question';
    row.querySelector('[data-step-consent-purpose]').disabled = kind !== 'consent';
    row.querySelector('[name$="[required]"]').disabled = kind === 'outcome';
    if (kind === 'script') schedulePreview(row, 0);
  }

  function enhance(row) {
    row.querySelector('[data-step-tools]').hidden = false;
    applyKind(row);
  }

  function addStep(kind) {
    var row = prototype.cloneNode(true);
    row.querySelector('[data-step-kind]').value = kind;
    list.appendChild(row);
    enhance(row);
    renumber();
    row.querySelector('[name$="[title]"]').focus();
  }

  function showPreview(row, html, isError) {
    var pane = row.querySelector('[data-preview]');
    pane.textContent = '';
    if (isError) {
      var span = document.createElement('span');
      span.className = 'wf-preview-error';
      span.textContent = html;
      pane.appendChild(span);
    } else {
      // Safe: the server escapes the script's text and every value (ScriptRenderer).
      pane.innerHTML = html;
    }
  }

  function schedulePreview(row, delay) {
    clearTimeout(row._previewTimer);
    row._previewTimer = setTimeout(function () {
      preview(row);
    }, delay);
  }

  function preview(row) {
    var body = row.querySelector('[data-step-body]').value;
    if (!body.trim()) {
      var pane = row.querySelector('[data-preview]');
      pane.innerHTML = '';
      var muted = document.createElement('span');
      muted.className = 'muted';
      muted.textContent = texts.empty;
      pane.appendChild(muted);
      return;
    }
    // Only the answer to the latest request counts.
    var ticket = (row._previewTicket = (row._previewTicket || 0) + 1);
    fetch(previewUrl, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'X-CSRF-Token': csrf,
      },
      body: JSON.stringify({ body: body }),
    })
      .then(function (response) {
        return response.json().then(function (data) {
          return { ok: response.ok, data: data };
        });
      })
      .then(function (result) {
        if (ticket !== row._previewTicket) return;
        if (result.ok) {
          row.classList.remove('has-preview-error');
          showPreview(row, result.data.html, false);
        } else {
          var message = [].concat(result.data.message || '').join('; ');
          message = message.replace(/^body: (the script does not compile: )?/, '');
          row.classList.add('has-preview-error');
          showPreview(row, texts.error + ' ' + message, true);
        }
      })
      .catch(function () {
        if (ticket === row._previewTicket) showPreview(row, texts.failed, true);
      });
  }

  list.addEventListener('click', function (event) {
    var button = event.target.closest('[data-action]');
    if (!button) return;
    var row = button.closest('[data-step]');
    var action = button.getAttribute('data-action');
    if (action === 'up' && row.previousElementSibling) {
      list.insertBefore(row, row.previousElementSibling);
    } else if (action === 'down' && row.nextElementSibling) {
      list.insertBefore(row.nextElementSibling, row);
    } else if (action === 'remove') {
      var next = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      if (next) next.querySelector('[name$="[title]"]').focus();
    }
    renumber();
    if (action !== 'remove' && document.body.contains(button) && !button.disabled) button.focus();
  });

  list.addEventListener('change', function (event) {
    if (event.target.matches('[data-step-kind]')) {
      applyKind(event.target.closest('[data-step]'));
      renumber();
    }
  });

  list.addEventListener('input', function (event) {
    if (!event.target.matches('[data-step-body]')) return;
    var row = event.target.closest('[data-step]');
    if (kindOf(row) === 'script') schedulePreview(row, PREVIEW_DELAY_MS);
  });

  adder.addEventListener('click', function (event) {
    var button = event.target.closest('[data-add-step]');
    if (button && !button.disabled) addStep(button.getAttribute('data-add-step'));
  });

  rows().forEach(enhance);
  renumber();
})();
