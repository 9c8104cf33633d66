/** Every page (views/layouts/main.hbs). Progressive enhancement only: every page works without scripts. */
import { targetOf } from '../common/dom';

// A form submits once: a double click must not send the same outcome twice.
document.addEventListener('submit', (event) => {
  const form = targetOf(event);
  if (!form) return;
  if (form.dataset.submitting === 'true') {
    event.preventDefault();
    return;
  }
  form.dataset.submitting = 'true';
});
