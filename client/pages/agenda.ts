/**
 * The agenda's move form (views/agenda/show.hbs): a picked free slot and a typed date and
 * time exclude each other (without scripts the server takes the picked slot first).
 */
import { findAll } from '../common/dom';

const form = document.querySelector('.ag-move-form');
if (form) {
  const radios = findAll(form, 'input[name="slot"]', HTMLInputElement);
  const typed = findAll(form, '#move-date, #move-time', HTMLInputElement);
  for (const radio of radios) {
    radio.addEventListener('change', () => {
      for (const input of typed) input.value = '';
    });
  }
  for (const input of typed) {
    input.addEventListener('input', () => {
      for (const radio of radios) radio.checked = false;
    });
  }
}
