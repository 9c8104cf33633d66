"use strict";
(() => {
  // client/common/dom.ts
  function targetOf(event) {
    return event.target instanceof HTMLElement ? event.target : null;
  }

  // client/pages/app.ts
  document.addEventListener("submit", (event) => {
    const form = targetOf(event);
    if (!form) return;
    if (form.dataset.submitting === "true") {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "true";
  });
})();
//# sourceMappingURL=app.js.map
