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
  async function postJson(url, json = {}) {
    return (await request(url, { method: "POST", json })).body;
  }
  function isRecord(value) {
    return typeof value === "object" && value !== null && !Array.isArray(value);
  }

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

  // client/pages/follow-ups.ts
  function start() {
    const form = maybeById("template-form", HTMLFormElement);
    if (!form) return;
    const errorBox = byId("preview-error");
    const mail = byId("preview-mail");
    const field = (name) => {
      const el = form.elements.namedItem(name);
      return el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement ? el.value : "";
    };
    let ticket = 0;
    function showPreview(preview2) {
      errorBox.hidden = true;
      mail.hidden = false;
      byId("preview-subject").textContent = preview2?.subject ?? "";
      byId("preview-text").textContent = preview2?.text ?? "";
    }
    function showError(message) {
      mail.hidden = true;
      errorBox.hidden = false;
      errorBox.textContent = message;
    }
    function preview() {
      const mine = ++ticket;
      postJson("/api/v1/follow-up-templates/preview", {
        subject: field("subject"),
        body: field("body"),
        language: field("language")
      }).then(
        (answer) => {
          if (mine === ticket) showPreview(answer);
        },
        (error) => {
          if (mine !== ticket) return;
          showError(error instanceof ApiError ? error.messages.join("; ") : "\u2014");
        }
      );
    }
    byId("preview-button").addEventListener("click", preview);
    if (field("body").trim()) preview();
  }
  start();
})();
//# sourceMappingURL=follow-ups.js.map
