// The follow-up template editor: a preview filled with a sample contact, from the server.
(function () {
  'use strict';
  var form = document.getElementById('template-form');
  if (!form) return;
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute('content') : '';
  var errorBox = document.getElementById('preview-error');
  var mail = document.getElementById('preview-mail');
  var ticket = 0;

  function show(result) {
    if (result.ok) {
      errorBox.hidden = true;
      mail.hidden = false;
      document.getElementById('preview-subject').textContent = result.data.subject;
      document.getElementById('preview-text').textContent = result.data.text;
    } else {
      mail.hidden = true;
      errorBox.hidden = false;
      errorBox.textContent = [].concat(result.data.message || '').join('; ');
    }
  }

  function preview() {
    var mine = ++ticket;
    fetch('/api/v1/follow-up-templates/preview', {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'X-CSRF-Token': csrf,
      },
      body: JSON.stringify({
        subject: form.elements.subject.value,
        body: form.elements.body.value,
        language: form.elements.language.value,
      }),
    })
      .then(function (response) {
        return response.json().then(function (data) {
          return { ok: response.ok, data: data };
        });
      })
      .then(function (result) {
        if (mine === ticket) show(result);
      })
      .catch(function () {
        if (mine === ticket) show({ ok: false, data: { message: '—' } });
      });
  }

  document.getElementById('preview-button').addEventListener('click', preview);
  if (form.elements.body.value.trim()) preview();
})();
