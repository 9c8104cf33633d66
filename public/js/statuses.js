"use strict";
(() => {
  // client/common/dom.ts
  function byId(id, type = HTMLElement) {
    const found = document.getElementById(id);
    if (!(found instanceof type)) throw new Error(`#${id}: missing or not a ${type.name}`);
    return found;
  }
  function maybeById(id, type = HTMLElement) {
    const found = document.getElementById(id);
    return found instanceof type ? found : null;
  }
  function findAll(root, selector, type = HTMLElement) {
    return Array.from(root.querySelectorAll(selector)).filter((el) => el instanceof type);
  }
  function targetOf(event) {
    return event.target instanceof HTMLElement ? event.target : null;
  }

  // client/pages/statuses.ts
  var HEX = /^#[0-9A-F]{6}$/;
  function readableTextColor(hex) {
    const channel = (offset) => {
      const c = parseInt(hex.slice(offset, offset + 2), 16) / 255;
      return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    };
    const l = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
    return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? "#000000" : "#FFFFFF";
  }
  document.addEventListener(
    "submit",
    (event) => {
      const message = targetOf(event)?.getAttribute("data-confirm");
      if (message && !window.confirm(message)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true
  );
  function statusForm() {
    const form = maybeById("status-form", HTMLFormElement);
    if (!form) return;
    const picker = byId("colorPicker", HTMLInputElement);
    const colorField = byId("color", HTMLInputElement);
    const codeField = byId("code", HTMLInputElement);
    const labelField = byId("label", HTMLInputElement);
    const quick = byId("quick", HTMLInputElement);
    const quickOrder = byId("quickOrder", HTMLSelectElement);
    const tile = byId("status-preview");
    const quickPreview = byId("quick-preview");
    function setText(name, value) {
      for (const el of findAll(document, `[data-preview="${name}"]`)) el.textContent = value;
    }
    function selectedType() {
      return form?.querySelector('input[name="type"]:checked')?.value ?? "";
    }
    function updatePreview() {
      const color = colorField.value.trim().toUpperCase();
      if (HEX.test(color)) {
        const text = readableTextColor(color);
        tile.style.backgroundColor = color;
        tile.style.color = text;
        tile.setAttribute("data-text-color", text);
        quickPreview.style.borderColor = color;
        colorField.removeAttribute("aria-invalid");
      } else if (color.length >= 7) {
        colorField.setAttribute("aria-invalid", "true");
      }
      setText("code", codeField.value.trim().toUpperCase());
      setText("label", labelField.value.trim());
      setText("type", selectedType());
      setText("quickOrder", quickOrder.value);
      quickPreview.hidden = !quick.checked;
    }
    const controls = (root, selector) => [
      ...findAll(root, selector, HTMLInputElement),
      ...findAll(root, selector, HTMLSelectElement)
    ];
    function showFieldsFor(type) {
      for (const field of findAll(form ?? document, "[data-types]")) {
        const on = (field.getAttribute("data-types") ?? "").split(" ").includes(type);
        field.hidden = !on;
        for (const input of controls(field, "input, select")) input.disabled = !on;
      }
      for (const field of findAll(form ?? document, '[data-show-with="quick"]')) {
        field.hidden = !quick.checked;
        for (const input of findAll(field, "select", HTMLSelectElement)) {
          input.disabled = !quick.checked;
        }
      }
    }
    picker.hidden = false;
    picker.addEventListener("input", () => {
      colorField.value = picker.value.toUpperCase();
      updatePreview();
    });
    colorField.addEventListener("input", () => {
      const color = colorField.value.trim().toUpperCase();
      if (HEX.test(color)) picker.value = color.toLowerCase();
      updatePreview();
    });
    for (const input of [codeField, labelField, quickOrder]) {
      input.addEventListener("input", updatePreview);
    }
    form.addEventListener("change", () => {
      showFieldsFor(selectedType());
      updatePreview();
    });
    showFieldsFor(selectedType());
    updatePreview();
  }
  statusForm();
})();
//# sourceMappingURL=statuses.js.map
