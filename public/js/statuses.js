// Outcome status form: colour picker kept in sync with the #RRGGBB field, a live preview of
// the wall tile, and only the fields the chosen type uses. The form works without it.
(function () {
  'use strict';
  var HEX = /^#[0-9A-F]{6}$/;

  // Same sum as src/outcome-statuses/tile-color.ts (WCAG contrast, black or white).
  function readableTextColor(hex) {
    function channel(offset) {
      var c = parseInt(hex.slice(offset, offset + 2), 16) / 255;
      return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }
    var l = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
    return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? '#000000' : '#FFFFFF';
  }

  // Deleting asks first; a cancelled dialog must not leave the form marked as submitted.
  document.addEventListener(
    'submit',
    function (event) {
      var message = event.target.getAttribute('data-confirm');
      if (message && !window.confirm(message)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true,
  );

  var form = document.getElementById('status-form');
  if (!form) return;
  var picker = document.getElementById('colorPicker');
  var colorField = document.getElementById('color');
  var codeField = document.getElementById('code');
  var labelField = document.getElementById('label');
  var quick = document.getElementById('quick');
  var quickOrder = document.getElementById('quickOrder');
  var tile = document.getElementById('status-preview');
  var quickPreview = document.getElementById('quick-preview');

  function setText(name, value) {
    document.querySelectorAll('[data-preview="' + name + '"]').forEach(function (el) {
      el.textContent = value;
    });
  }

  function selectedType() {
    var checked = form.querySelector('input[name="type"]:checked');
    return checked ? checked.value : '';
  }

  function updatePreview() {
    var color = colorField.value.trim().toUpperCase();
    if (HEX.test(color)) {
      var text = readableTextColor(color);
      tile.style.backgroundColor = color;
      tile.style.color = text;
      tile.setAttribute('data-text-color', text);
      quickPreview.style.borderColor = color;
      colorField.removeAttribute('aria-invalid');
    } else if (color.length >= 7) {
      colorField.setAttribute('aria-invalid', 'true');
    }
    setText('code', codeField.value.trim().toUpperCase());
    setText('label', labelField.value.trim());
    setText('type', selectedType());
    setText('quickOrder', quickOrder.value);
    quickPreview.hidden = !quick.checked;
  }

  // Fields of another type are hidden and disabled, so the browser does not send them.
  function showFieldsFor(type) {
    form.querySelectorAll('[data-types]').forEach(function (field) {
      var on = field.getAttribute('data-types').split(' ').indexOf(type) !== -1;
      field.hidden = !on;
      field.querySelectorAll('input, select').forEach(function (input) {
        input.disabled = !on;
      });
    });
    form.querySelectorAll('[data-show-with="quick"]').forEach(function (field) {
      field.hidden = !quick.checked;
      field.querySelectorAll('select').forEach(function (input) {
        input.disabled = !quick.checked;
      });
    });
  }

  picker.hidden = false;
  picker.addEventListener('input', function () {
    colorField.value = picker.value.toUpperCase();
    updatePreview();
  });
  colorField.addEventListener('input', function () {
    var color = colorField.value.trim().toUpperCase();
    if (HEX.test(color)) picker.value = color.toLowerCase();
    updatePreview();
  });
  [codeField, labelField, quickOrder].forEach(function (input) {
    input.addEventListener('input', updatePreview);
  });
  form.addEventListener('change', function () {
    showFieldsFor(selectedType());
    updatePreview();
  });
  showFieldsFor(selectedType());
  updatePreview();
})();
