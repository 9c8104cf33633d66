// The contact import with a progress bar: uploads the file to the API and polls the
// import's progress; without this script the form posts to a page that shows the summary.
(function () {
  'use strict';
  var form = document.getElementById('import-form');
  if (!form || !window.fetch || !window.FormData) return;
  var progress = document.getElementById('import-progress');
  var bar = progress.querySelector('.ct-progress-bar');
  var barBox = progress.querySelector('.ct-progress');
  var result = document.getElementById('import-result');
  var failure = document.getElementById('import-error');
  var csrf = document.querySelector('meta[name="csrf-token"]');
  var POLL_MS = 500;
  var lang = document.documentElement.lang || undefined;

  function randomKey() {
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) {
        return ('0' + b.toString(16)).slice(-2);
      })
      .join('');
  }

  // Lines in the file, estimated from its first 64 KB, so the bar can move before the end.
  function estimateLines(file) {
    if (!file.slice || !file.size) return Promise.resolve(0);
    return file
      .slice(0, 65536)
      .text()
      .then(function (head) {
        var lines = head.split('\n').length - 1;
        if (lines < 1) return 1;
        return Math.max(1, Math.round((file.size / Math.min(file.size, head.length)) * lines) - 1);
      })
      .catch(function () {
        return 0;
      });
  }

  function show(counts, total, finished) {
    ['processed', 'imported', 'skipped'].forEach(function (name) {
      var cell = progress.querySelector('[data-count="' + name + '"]');
      if (cell && typeof counts[name] === 'number')
        cell.textContent = counts[name].toLocaleString(lang);
    });
    var percent = finished
      ? 100
      : total > 0
        ? Math.min(99, Math.floor((100 * (counts.processed || 0)) / total))
        : 5;
    bar.style.width = percent + '%';
    barBox.setAttribute('aria-valuenow', String(percent));
  }

  function getHtml(url) {
    return fetch(url, { credentials: 'same-origin', headers: { Accept: 'text/html' } }).then(
      function (response) {
        return response.ok ? response.text() : '';
      },
    );
  }

  // The summary as the server words it, then the list and its count as they are now.
  function showSummary(key) {
    return getHtml(form.dataset.summary + encodeURIComponent(key) + '?fragment=1')
      .then(function (html) {
        result.innerHTML = html;
        progress.hidden = true;
        return getHtml(window.location.href);
      })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, 'text/html');
        ['#contacts-list', '#contacts-count', '#recent-imports'].forEach(function (selector) {
          var now = document.querySelector(selector);
          var next = fresh.querySelector(selector);
          if (now && next) now.replaceWith(next);
        });
      });
  }

  form.addEventListener('submit', function (event) {
    var input = form.querySelector('input[type="file"]');
    var file = input.files && input.files[0];
    if (!file) return; // the browser's own "required" message
    event.preventDefault();
    var key = randomKey();
    var button = form.querySelector('button[type="submit"]');
    var finished = false;
    var total = 0;
    button.disabled = true;
    failure.hidden = true;
    result.innerHTML = '';
    progress.hidden = false;
    show({ processed: 0, imported: 0, skipped: 0 }, 0, false);
    estimateLines(file).then(function (lines) {
      total = lines;
    });

    function poll() {
      if (finished) return;
      fetch(form.dataset.progress + encodeURIComponent(key), {
        credentials: 'same-origin',
        headers: { Accept: 'application/json' },
      })
        .then(function (response) {
          return response.ok ? response.json() : null; // 404 until the upload has started
        })
        .then(function (summary) {
          if (summary && !finished) show(summary, total, false);
        })
        .catch(function () {})
        .then(function () {
          if (!finished) window.setTimeout(poll, POLL_MS);
        });
    }
    window.setTimeout(poll, POLL_MS);

    var body = new FormData();
    body.append('file', file, file.name);
    fetch(form.dataset.api + '?key=' + encodeURIComponent(key), {
      method: 'POST',
      body: body,
      credentials: 'same-origin',
      headers: { 'X-CSRF-Token': csrf ? csrf.content : '', Accept: 'application/json' },
    })
      .then(function (response) {
        return response.json().then(function (summary) {
          return { ok: response.ok, summary: summary };
        });
      })
      .then(function (answer) {
        finished = true;
        var summary = answer.summary || {};
        if (summary.key) {
          show(summary, total, true);
          return showSummary(summary.key);
        }
        // Refused before it started (no file, unknown campaign...): say why.
        progress.hidden = true;
        failure.querySelector('[data-message]').textContent = []
          .concat(summary.message || '')
          .join('; ');
        failure.hidden = false;
      })
      .catch(function (error) {
        finished = true;
        progress.hidden = true;
        failure.querySelector('[data-message]').textContent = String(
          error && error.message ? error.message : error,
        );
        failure.hidden = false;
      })
      .then(function () {
        button.disabled = false;
        delete form.dataset.submitting; // app.js blocks a second submit; this one is over
        form.reset();
      });
  });
})();
