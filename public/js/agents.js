// Weekly hours editor: add and remove time windows per day. Without it the fixed rows
// (two per day) still work; a removed window is emptied and hidden, never taken out of
// the form, so the rows keep their numbers (errors refer to them).
(function () {
  'use strict';
  var editor = document.getElementById('hours-editor');
  if (!editor) return;
  var nextRow = Number(editor.getAttribute('data-next-row')) || 0;

  function renumber(row, index, day) {
    row.setAttribute('data-row', String(index));
    row.classList.remove('has-error');
    row.hidden = false;
    row.querySelectorAll('.field-error').forEach(function (el) {
      el.remove();
    });
    row.querySelectorAll('input').forEach(function (input) {
      var part = /\[(day|start|end)\]$/.exec(input.name);
      if (!part) return;
      input.name = 'workingHours[' + index + '][' + part[1] + ']';
      input.removeAttribute('aria-invalid');
      input.removeAttribute('aria-describedby');
      if (part[1] === 'day') input.value = day;
      else {
        input.value = '';
        input.id = 'wh-' + index + '-' + part[1];
      }
    });
    row.querySelectorAll('label').forEach(function (label) {
      var part = /-(start|end)$/.exec(label.htmlFor);
      if (part) label.htmlFor = 'wh-' + index + '-' + part[1];
    });
  }

  editor.addEventListener('click', function (event) {
    var button = event.target.closest('button');
    if (!button) return;
    if (button.classList.contains('hours-remove')) {
      var row = button.closest('.hours-window');
      row.querySelectorAll('input:not([type="hidden"])').forEach(function (input) {
        input.value = '';
      });
      row.hidden = true;
    } else if (button.classList.contains('hours-add')) {
      var day = button.getAttribute('data-day');
      var cell = editor.querySelector('tr[data-day="' + day + '"] .hours-windows');
      var template = editor.querySelector('.hours-window');
      if (!cell || !template) return;
      var copy = template.cloneNode(true);
      renumber(copy, nextRow, day);
      nextRow += 1;
      cell.appendChild(copy);
      copy.querySelector('input:not([type="hidden"])').focus();
    }
  });

  editor.querySelectorAll('.hours-remove, .hours-add').forEach(function (button) {
    button.hidden = false;
  });
})();

// Agent's calendar: issuing a new link or revoking it asks first (the old link dies), and
// the feed URL gets a copy button. Without the script the forms post straight away and the
// URL stays selectable in its read-only field.
(function () {
  'use strict';
  var section = document.getElementById('calendar');
  if (!section) return;

  section.addEventListener('submit', function (event) {
    var message = event.target.getAttribute('data-confirm');
    if (message && !window.confirm(message)) event.preventDefault();
  });

  var url = document.getElementById('calendar-url');
  var copy = document.getElementById('calendar-copy');
  if (!url || !copy) return;
  var label = copy.textContent;
  url.addEventListener('focus', function () {
    url.select();
  });
  copy.addEventListener('click', function () {
    function done() {
      copy.textContent = copy.getAttribute('data-copied') || label;
      window.setTimeout(function () {
        copy.textContent = label;
      }, 2000);
    }
    url.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url.value).then(done, function () {
        if (document.execCommand('copy')) done();
      });
    } else if (document.execCommand('copy')) {
      done();
    }
  });
  copy.hidden = false;
})();
