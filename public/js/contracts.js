"use strict";
(() => {
  // client/pages/contracts.ts
  var button = document.querySelector("[data-print]");
  if (button) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
})();
//# sourceMappingURL=contracts.js.map
