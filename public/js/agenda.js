// The move form: a picked free slot and a typed date and time exclude each other (without
// scripts the server takes the picked slot first).
(function () {
  'use strict';
  var form = document.querySelector('.ag-move-form');
  if (!form) return;
  var radios = form.querySelectorAll('input[name="slot"]');
  var typed = [form.querySelector('#move-date'), form.querySelector('#move-time')].filter(Boolean);
  radios.forEach(function (radio) {
    radio.addEventListener('change', function () {
      typed.forEach(function (input) {
        input.value = '';
      });
    });
  });
  typed.forEach(function (input) {
    input.addEventListener('input', function () {
      radios.forEach(function (radio) {
        radio.checked = false;
      });
    });
  });
})();
