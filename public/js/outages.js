"use strict";
(() => {
  // client/common/api-client.ts
  var ApiError = class extends Error {
    constructor(status, body) {
      const messages = messagesOf(body);
      super(messages.join(" ") || `HTTP ${status}`);
      this.status = status;
      this.body = body;
      this.name = "ApiError";
      this.messages = messages;
    }
    /** Each message with the field it names, for showing it beside that field. */
    get fieldErrors() {
      return this.messages.map((message) => ({ field: fieldOf(message), message }));
    }
  };
  var token = null;
  function csrfToken() {
    if (token === null) {
      const meta = document.querySelector('meta[name="csrf-token"]');
      token = meta?.getAttribute("content") ?? "";
    }
    return token;
  }
  function messagesOf(body) {
    if (!isRecord(body) || body.message === void 0 || body.message === null) return [];
    const { message } = body;
    const list = Array.isArray(message) ? message : [message];
    return list.map((item) => typeof item === "string" ? item : JSON.stringify(item));
  }
  function fieldOf(message) {
    const match = /^([A-Za-z_]\w*(?:\.\w+)*)(?::|\s)/.exec(message);
    return match?.[1] ?? "";
  }
  async function request(url, options = {}) {
    const method = options.method ?? "GET";
    const headers = { Accept: "application/json" };
    if (method !== "GET") headers["X-CSRF-Token"] = csrfToken();
    let body;
    if (options.form) {
      body = options.form;
    } else if (options.json !== void 0) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(options.json);
    }
    const response = await fetch(url, {
      method,
      credentials: "same-origin",
      headers,
      body,
      keepalive: options.keepalive === true
    });
    if (response.status === 204) return { status: 204, body: null };
    const json = await response.json().catch(() => null);
    if (!response.ok) throw new ApiError(response.status, isRecord(json) ? json : {});
    return { status: response.status, body: json };
  }
  async function getJson(url) {
    const answer = await request(url);
    if (answer.body === null) throw new ApiError(answer.status, {});
    return answer.body;
  }
  function isRecord(value) {
    return typeof value === "object" && value !== null && !Array.isArray(value);
  }

  // client/common/dom.ts
  function findAll(root, selector, type = HTMLElement) {
    return Array.from(root.querySelectorAll(selector)).filter((el) => el instanceof type);
  }

  // client/pages/outages.ts
  var POLL_MS = 3e3;
  function csvFile() {
    const file = document.querySelector("input[data-csv-file]");
    const csvText = document.querySelector("[data-csv-text]");
    if (!file || !csvText) return;
    file.addEventListener("change", () => {
      const chosen = file.files?.[0];
      if (!chosen) {
        csvText.value = "";
        return;
      }
      const reader = new FileReader();
      reader.onload = () => {
        csvText.value = typeof reader.result === "string" ? reader.result : "";
      };
      reader.readAsText(chosen);
    });
  }
  function closeConfirm() {
    const closeForm = document.querySelector("form[data-confirm]");
    if (!closeForm) return;
    closeForm.addEventListener("submit", (event) => {
      if (!window.confirm(closeForm.getAttribute("data-confirm") ?? "")) event.preventDefault();
    });
  }
  function progressPoll() {
    const box = document.getElementById("outage-progress");
    if (!box || box.getAttribute("data-closed")) return;
    const url = box.getAttribute("data-progress-url") ?? "";
    const list = document.querySelector("[data-by-status]");
    function render(progress) {
      for (const cell of findAll(box ?? document, "[data-count]")) {
        const key = cell.getAttribute("data-count") ?? "";
        if (key in progress) cell.textContent = String(progress[key]);
      }
      if (list) {
        list.textContent = "";
        for (const s of progress.byStatus) {
          const li = document.createElement("li");
          const outcome = document.createElement("span");
          outcome.className = "ct-outcome";
          const dot = document.createElement("span");
          dot.className = "ct-dot";
          dot.style.background = s.color;
          const code = document.createElement("strong");
          code.textContent = s.code;
          outcome.appendChild(dot);
          outcome.appendChild(code);
          outcome.appendChild(document.createTextNode(` ${s.label}`));
          const count = document.createElement("span");
          count.setAttribute("data-status-count", "");
          count.textContent = String(s.contacts);
          li.appendChild(outcome);
          li.appendChild(document.createTextNode(" "));
          li.appendChild(count);
          list.appendChild(li);
        }
      }
      if (progress.state === "closed") window.location.reload();
    }
    function poll() {
      getJson(url).then(render).catch(() => {
      }).finally(() => window.setTimeout(poll, POLL_MS));
    }
    window.setTimeout(poll, POLL_MS);
  }
  csvFile();
  closeConfirm();
  progressPoll();
})();
//# sourceMappingURL=outages.js.map
