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

  // client/pages/operator-state.ts
  var PRESENCE_MS = 3e4;
  function start() {
    const box = maybeById("op-state");
    if (!box) return;
    const text = byId("op-state-text");
    const timer = byId("op-state-timer");
    const reasonSelect = byId("op-state-reason", HTMLSelectElement);
    const readyButton = byId("op-state-ready", HTMLButtonElement);
    const lang = box.getAttribute("data-lang") || "it";
    let current = null;
    function t(key) {
      return box?.getAttribute(`data-t-${key}`) || key;
    }
    function labelOf(reason) {
      return lang === "en" && reason.labelEn ? reason.labelEn : reason.label;
    }
    function elapsed() {
      if (!current) return "";
      const seconds = Math.max(0, Math.floor((Date.now() - Date.parse(current.since)) / 1e3));
      const m = Math.floor(seconds / 60);
      const s = seconds % 60;
      return `${m}:${s < 10 ? "0" : ""}${s}`;
    }
    function render(state) {
      if (!state) return;
      current = state;
      box?.setAttribute("data-state", state.state);
      const reasons = state.pauseReasons ?? [];
      while (reasonSelect.options.length > 1) reasonSelect.remove(1);
      for (const reason2 of reasons) {
        const option = document.createElement("option");
        option.value = String(reason2.id);
        option.textContent = labelOf(reason2);
        reasonSelect.appendChild(option);
      }
      const reason = reasons.find((r) => r.id === state.pauseReasonId);
      if (state.state === "paused") {
        text.textContent = t("paused").replace("%reason", reason ? labelOf(reason) : "");
      } else {
        text.textContent = t(state.state === "on_contact" ? "on_contact" : "ready");
      }
      reasonSelect.value = "";
      reasonSelect.hidden = state.state !== "ready";
      readyButton.hidden = state.state !== "paused";
      timer.textContent = elapsed();
    }
    function failed(error) {
      const words = error instanceof ApiError ? error.messages.join(" ") : error instanceof Error ? error.message : "";
      text.textContent = words || t("failed");
    }
    function call(path, body = {}) {
      return postJson(path, body);
    }
    function presence() {
      call("/api/v1/me/presence").then(render, () => {
      });
    }
    reasonSelect.addEventListener("change", () => {
      if (!reasonSelect.value) return;
      call("/api/v1/me/state", { state: "paused", pauseReasonId: Number(reasonSelect.value) }).then(
        render,
        failed
      );
    });
    readyButton.addEventListener("click", () => {
      call("/api/v1/me/state", { state: "ready" }).then(render, failed);
    });
    document.addEventListener("esito:work-changed", presence);
    presence();
    window.setInterval(presence, PRESENCE_MS);
    window.setInterval(() => {
      timer.textContent = elapsed();
    }, 1e3);
  }
  start();
})();
//# sourceMappingURL=operator-state.js.map
