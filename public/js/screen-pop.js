// Screen-pop on the operator workstation (views/work/index.hbs): calls ringing or answered on
// the operator's extension arrive over GET /api/v1/cti/stream (Server-Sent Events) and show
// the caller's contact at once, without a reload; an unknown number opens a new-contact form
// filled in with it, saved through POST /api/v1/cti/contacts.
(function () {
  'use strict';
  var box = document.getElementById('screen-pop');
  if (!box || typeof EventSource === 'undefined') return;
  var strings = box.dataset;
  var title = document.getElementById('screen-pop-title');
  var line = document.getElementById('screen-pop-line');
  var form = document.getElementById('screen-pop-form');
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute('content') : '';

  function link(href, text) {
    var a = document.createElement('a');
    a.href = href;
    a.textContent = text;
    return a;
  }

  function show(pop) {
    box.hidden = false;
    var heading = pop.type === 'call.answered' ? strings.answered : strings.ringing;
    line.textContent = '';
    if (pop.contact) {
      title.textContent = heading + ' ' + (pop.contact.name || pop.phone);
      line.appendChild(link(pop.phoneLink, pop.phone));
      line.appendChild(document.createTextNode(' · ' + pop.contact.campaignName + ' · '));
      line.appendChild(link(pop.contact.url, strings.open));
      form.hidden = true;
    } else {
      title.textContent = heading + ' ' + pop.phone;
      line.appendChild(document.createTextNode(strings.unknown + ' '));
      line.appendChild(link(pop.phoneLink, pop.phone));
      document.getElementById('screen-pop-phone').value = pop.phone;
      form.hidden = false;
      document.getElementById('screen-pop-first').focus();
    }
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var data = new FormData(form);
    fetch('/api/v1/cti/contacts', {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/json',
        'X-CSRF-Token': csrf,
      },
      body: JSON.stringify({
        campaignId: Number(data.get('campaignId')),
        firstName: String(data.get('firstName') || ''),
        lastName: String(data.get('lastName') || ''),
        phone: String(data.get('phone') || ''),
      }),
    })
      .then(function (response) {
        return response.json().then(function (body) {
          line.textContent = '';
          if (!response.ok) {
            line.textContent = strings.failed + ' ' + [].concat(body.message).join(' ');
            return;
          }
          form.hidden = true;
          line.appendChild(
            document.createTextNode(
              strings.saved + ' ' + body.firstName + ' ' + body.lastName + ' · ',
            ),
          );
          line.appendChild(link('/contacts/' + body.id, strings.open));
        });
      })
      .catch(function (error) {
        line.textContent = strings.failed + ' ' + String(error);
      });
  });

  var source = new EventSource('/api/v1/cti/stream');
  source.addEventListener('pop', function (event) {
    show(JSON.parse(event.data));
  });
})();
