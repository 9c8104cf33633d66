// Outage campaigns: the new form reads a chosen CSV file into its text field; the
// progress page polls its numbers every few seconds until the campaign is closed.
(function () {
  'use strict';

  var file = document.querySelector('[data-csv-file]');
  var csvText = document.querySelector('[data-csv-text]');
  if (file && csvText) {
    file.addEventListener('change', function () {
      var chosen = file.files && file.files[0];
      if (!chosen) {
        csvText.value = '';
        return;
      }
      var reader = new FileReader();
      reader.onload = function () {
        csvText.value = String(reader.result || '');
      };
      reader.readAsText(chosen);
    });
  }

  var closeForm = document.querySelector('form[data-confirm]');
  if (closeForm) {
    closeForm.addEventListener('submit', function (event) {
      if (!window.confirm(closeForm.getAttribute('data-confirm'))) event.preventDefault();
    });
  }

  var box = document.getElementById('outage-progress');
  if (!box || box.getAttribute('data-closed')) return;
  var url = box.getAttribute('data-progress-url');
  var list = document.querySelector('[data-by-status]');

  function render(progress) {
    var cells = box.querySelectorAll('[data-count]');
    for (var i = 0; i < cells.length; i++) {
      var key = cells[i].getAttribute('data-count');
      if (key in progress) cells[i].textContent = String(progress[key]);
    }
    if (list) {
      list.textContent = '';
      progress.byStatus.forEach(function (s) {
        var li = document.createElement('li');
        var outcome = document.createElement('span');
        outcome.className = 'ct-outcome';
        var dot = document.createElement('span');
        dot.className = 'ct-dot';
        dot.style.background = s.color;
        var code = document.createElement('strong');
        code.textContent = s.code;
        outcome.appendChild(dot);
        outcome.appendChild(code);
        outcome.appendChild(document.createTextNode(' ' + s.label));
        var count = document.createElement('span');
        count.setAttribute('data-status-count', '');
        count.textContent = String(s.contacts);
        li.appendChild(outcome);
        li.appendChild(document.createTextNode(' '));
        li.appendChild(count);
        list.appendChild(li);
      });
    }
    if (progress.state === 'closed') window.location.reload();
  }

  function poll() {
    fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (progress) {
        if (progress) render(progress);
      })
      .catch(function () {
        // a missed poll is tried again at the next tick
      })
      .then(function () {
        window.setTimeout(poll, 3000);
      });
  }
  window.setTimeout(poll, 3000);
})();
