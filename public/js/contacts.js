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
  function isRecord(value) {
    return typeof value === "object" && value !== null && !Array.isArray(value);
  }

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

  // client/pages/contacts.ts
  var POLL_MS = 500;
  function randomKey() {
    const bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => `0${b.toString(16)}`.slice(-2)).join("");
  }
  function estimateLines(file) {
    if (!file.size) return Promise.resolve(0);
    return file.slice(0, 65536).text().then((head) => {
      const lines = head.split("\n").length - 1;
      if (lines < 1) return 1;
      return Math.max(1, Math.round(file.size / Math.min(file.size, head.length) * lines) - 1);
    }).catch(() => 0);
  }
  function start() {
    const form = maybeById("import-form", HTMLFormElement);
    if (!form) return;
    const progress = find(document, "#import-progress");
    const bar = find(progress, ".ct-progress-bar");
    const barBox = find(progress, ".ct-progress");
    const result = find(document, "#import-result");
    const failure = find(document, "#import-error");
    const lang = document.documentElement.lang || void 0;
    function show(counts, total, finished) {
      for (const name of ["processed", "imported", "skipped"]) {
        const cell = progress.querySelector(`[data-count="${name}"]`);
        const count = counts[name];
        if (cell && typeof count === "number") cell.textContent = count.toLocaleString(lang);
      }
      const percent = finished ? 100 : total > 0 ? Math.min(99, Math.floor(100 * (counts.processed ?? 0) / total)) : 5;
      bar.style.width = `${percent}%`;
      barBox.setAttribute("aria-valuenow", String(percent));
    }
    function getHtml(url) {
      return fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } }).then(
        (response) => response.ok ? response.text() : ""
      );
    }
    function showSummary(key) {
      return getHtml(`${form?.dataset.summary ?? ""}${encodeURIComponent(key)}?fragment=1`).then((html) => {
        result.innerHTML = html;
        progress.hidden = true;
        return getHtml(window.location.href);
      }).then((html) => {
        if (!html) return;
        const fresh = new DOMParser().parseFromString(html, "text/html");
        for (const selector of ["#contacts-list", "#contacts-count", "#recent-imports"]) {
          const now = document.querySelector(selector);
          const next = fresh.querySelector(selector);
          if (now && next) now.replaceWith(next);
        }
      });
    }
    function fail(message) {
      progress.hidden = true;
      find(failure, "[data-message]").textContent = message;
      failure.hidden = false;
    }
    form.addEventListener("submit", (event) => {
      const input = find(form, 'input[type="file"]', HTMLInputElement);
      const file = input.files?.[0];
      if (!file) return;
      event.preventDefault();
      const key = randomKey();
      const button = find(form, 'button[type="submit"]', HTMLButtonElement);
      let finished = false;
      let total = 0;
      button.disabled = true;
      failure.hidden = true;
      result.innerHTML = "";
      progress.hidden = false;
      show({ processed: 0, imported: 0, skipped: 0 }, 0, false);
      void estimateLines(file).then((lines) => {
        total = lines;
      });
      function poll() {
        if (finished) return;
        request(`${form?.dataset.progress ?? ""}${encodeURIComponent(key)}`).then((answer) => {
          if (answer.body && !finished) show(answer.body, total, false);
        }).catch(() => {
        }).finally(() => {
          if (!finished) window.setTimeout(poll, POLL_MS);
        });
      }
      window.setTimeout(poll, POLL_MS);
      const body = new FormData();
      body.append("file", file, file.name);
      request(`${form.dataset.api ?? ""}?key=${encodeURIComponent(key)}`, {
        method: "POST",
        form: body
      }).then((answer) => {
        finished = true;
        const summary = answer.body ?? {};
        if (summary.key) {
          show(summary, total, true);
          return showSummary(summary.key);
        }
        fail("");
        return void 0;
      }).catch((error) => {
        finished = true;
        fail(
          error instanceof ApiError ? error.messages.join("; ") : error instanceof Error ? error.message : String(error)
        );
      }).finally(() => {
        button.disabled = false;
        delete form.dataset.submitting;
        form.reset();
      });
    });
  }
  start();
})();
//# sourceMappingURL=contacts.js.map
