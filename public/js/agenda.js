"use strict";
(() => {
  // client/common/dom.ts
  function findAll(root, selector, type = HTMLElement) {
    return Array.from(root.querySelectorAll(selector)).filter((el) => el instanceof type);
  }

  // client/pages/agenda.ts
  var form = document.querySelector(".ag-move-form");
  if (form) {
    const radios = findAll(form, 'input[name="slot"]', HTMLInputElement);
    const typed = findAll(form, "#move-date, #move-time", HTMLInputElement);
    for (const radio of radios) {
      radio.addEventListener("change", () => {
        for (const input of typed) input.value = "";
      });
    }
    for (const input of typed) {
      input.addEventListener("input", () => {
        for (const radio of radios) radio.checked = false;
      });
    }
  }
})();
//# sourceMappingURL=agenda.js.map
