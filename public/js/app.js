// Progressive enhancement only: every page works without scripts.
(function () {
  'use strict';
  // A form submits once: a double click must not send the same outcome twice.
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (form.dataset.submitting === 'true') {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = 'true';
  });
})();
