"use strict";
(() => {
  // client/common/dom.ts
  function maybeById(id, type = HTMLElement) {
    const found = document.getElementById(id);
    return found instanceof type ? found : null;
  }
  function find(root, selector, type = HTMLElement) {
    const found = root.querySelector(selector);
    if (!(found instanceof type)) throw new Error(`${selector}: missing or not a ${type.name}`);
    return found;
  }
  function findAll(root, selector, type = HTMLElement) {
    return Array.from(root.querySelectorAll(selector)).filter((el) => el instanceof type);
  }
  function targetOf(event) {
    return event.target instanceof HTMLElement ? event.target : null;
  }

  // client/pages/agents.ts
  function hoursEditor() {
    const editor = maybeById("hours-editor");
    if (!editor) return;
    let nextRow = Number(editor.getAttribute("data-next-row")) || 0;
    function renumber(row, index, day) {
      row.setAttribute("data-row", String(index));
      row.classList.remove("has-error");
      row.hidden = false;
      for (const el of findAll(row, ".field-error", Element)) el.remove();
      for (const input of findAll(row, "input", HTMLInputElement)) {
        const part = /\[(day|start|end)\]$/.exec(input.name)?.[1];
        if (!part) continue;
        input.name = `workingHours[${index}][${part}]`;
        input.removeAttribute("aria-invalid");
        input.removeAttribute("aria-describedby");
        if (part === "day") input.value = day;
        else {
          input.value = "";
          input.id = `wh-${index}-${part}`;
        }
      }
      for (const label of findAll(row, "label", HTMLLabelElement)) {
        const part = /-(start|end)$/.exec(label.htmlFor)?.[1];
        if (part) label.htmlFor = `wh-${index}-${part}`;
      }
    }
    editor.addEventListener("click", (event) => {
      const button = targetOf(event)?.closest("button");
      if (!button) return;
      if (button.classList.contains("hours-remove")) {
        const row = button.closest(".hours-window");
        if (!row) return;
        for (const input of findAll(row, 'input:not([type="hidden"])', HTMLInputElement)) {
          input.value = "";
        }
        row.hidden = true;
      } else if (button.classList.contains("hours-add")) {
        const day = button.getAttribute("data-day") ?? "";
        const cell = editor.querySelector(`tr[data-day="${day}"] .hours-windows`);
        const template = editor.querySelector(".hours-window");
        if (!cell || !template) return;
        const copy = template.cloneNode(true);
        if (!(copy instanceof HTMLElement)) return;
        renumber(copy, nextRow, day);
        nextRow += 1;
        cell.appendChild(copy);
        find(copy, 'input:not([type="hidden"])').focus();
      }
    });
    for (const button of findAll(editor, ".hours-remove, .hours-add")) button.hidden = false;
  }
  function calendarLink() {
    const section = maybeById("calendar");
    if (!section) return;
    section.addEventListener("submit", (event) => {
      const message = targetOf(event)?.getAttribute("data-confirm");
      if (message && !window.confirm(message)) event.preventDefault();
    });
    const url = maybeById("calendar-url", HTMLInputElement);
    const copy = maybeById("calendar-copy", HTMLButtonElement);
    if (!url || !copy) return;
    const label = copy.textContent;
    url.addEventListener("focus", () => url.select());
    copy.addEventListener("click", () => {
      const done = () => {
        copy.textContent = copy.getAttribute("data-copied") || label;
        window.setTimeout(() => {
          copy.textContent = label;
        }, 2e3);
      };
      url.select();
      const copyBySelection = () => document.execCommand("copy");
      if (window.isSecureContext && "clipboard" in navigator) {
        navigator.clipboard.writeText(url.value).then(done, () => {
          if (copyBySelection()) done();
        });
      } else if (copyBySelection()) {
        done();
      }
    });
    copy.hidden = false;
  }
  hoursEditor();
  calendarLink();
})();
//# sourceMappingURL=agents.js.map
