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

  // client/pages/campaigns.ts
  var PREVIEW_DELAY_MS = 300;
  function start() {
    const form = document.querySelector("[data-campaign-form]");
    if (!form) return;
    const list = find(form, "[data-workflow]");
    const adder = find(form, "[data-step-adder]");
    const emptyNote = find(form, "[data-workflow-empty]");
    const outcomeOnce = find(form, "[data-outcome-once]");
    const previewUrl = form.getAttribute("data-preview-url") ?? "";
    const texts = {
      error: form.getAttribute("data-text-preview-error") || "",
      empty: form.getAttribute("data-text-preview-empty") || "",
      failed: form.getAttribute("data-text-preview-failed") || ""
    };
    const rows = () => findAll(list, "[data-step]");
    const input = (row, selector) => find(row, selector, HTMLInputElement);
    const button = (row, selector) => find(row, selector, HTMLButtonElement);
    const spares = findAll(list, "[data-spare]");
    const model = spares[0] ?? rows()[0];
    if (!model) return;
    const prototype = model.cloneNode(true);
    prototype.removeAttribute("data-spare");
    for (const el of findAll(prototype, "[aria-invalid]", Element))
      el.removeAttribute("aria-invalid");
    for (const el of findAll(prototype, ".field-error", Element)) el.remove();
    for (const row of spares) row.remove();
    form.classList.add("wf-editor-on");
    adder.hidden = false;
    const isNamed = (el) => el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement || el instanceof HTMLButtonElement;
    function kindOf(row) {
      return find(row, "[data-step-kind]", HTMLSelectElement).value;
    }
    function renumber() {
      const all = rows();
      all.forEach((row, i) => {
        for (const el of findAll(row, '[name^="steps["]', Element).filter(isNamed)) {
          el.name = el.name.replace(/^steps\[\d+\]/, `steps[${i}]`);
        }
        for (const el of findAll(row, '[id^="step-"]', Element)) {
          el.id = el.id.replace(/^step-\d+-/, `step-${i}-`);
        }
        for (const el of findAll(row, 'label[for^="step-"]', HTMLLabelElement)) {
          el.htmlFor = el.htmlFor.replace(/^step-\d+-/, `step-${i}-`);
        }
        find(row, "[data-step-number]").textContent = String(i + 1);
        input(row, '[name$="[position]"]').value = String(i + 1);
        button(row, '[data-action="up"]').disabled = i === 0;
        button(row, '[data-action="down"]').disabled = i === all.length - 1;
      });
      emptyNote.hidden = all.length > 0;
      const hasOutcome = all.some((row) => kindOf(row) === "outcome");
      button(adder, '[data-add-step="outcome"]').disabled = hasOutcome;
      outcomeOnce.hidden = !hasOutcome;
    }
    function applyKind(row) {
      const kind = kindOf(row);
      row.setAttribute("data-kind", kind);
      const choices = row.querySelector("[data-step-choices]");
      const purpose = row.querySelector("[data-step-consent-purpose]");
      const required = row.querySelector('[name$="[required]"]');
      if (choices && isNamed(choices)) choices.disabled = kind !== "question";
      if (purpose && isNamed(purpose)) purpose.disabled = kind !== "consent";
      if (required && isNamed(required)) required.disabled = kind === "outcome";
      if (kind === "script") schedulePreview(row, 0);
    }
    function enhance(row) {
      find(row, "[data-step-tools]").hidden = false;
      applyKind(row);
    }
    function titleOf(row) {
      return find(row, '[name$="[title]"]');
    }
    function addStep(kind) {
      const row = prototype.cloneNode(true);
      find(row, "[data-step-kind]", HTMLSelectElement).value = kind;
      list.appendChild(row);
      enhance(row);
      renumber();
      titleOf(row).focus();
    }
    function showPreview(row, content, isError) {
      const pane = find(row, "[data-preview]");
      pane.textContent = "";
      if (isError) {
        const span = document.createElement("span");
        span.className = "wf-preview-error";
        span.textContent = content;
        pane.appendChild(span);
      } else {
        pane.innerHTML = content;
      }
    }
    function schedulePreview(row, delay) {
      window.clearTimeout(row.previewTimer);
      row.previewTimer = window.setTimeout(() => preview(row), delay);
    }
    function preview(row) {
      const body = find(row, "[data-step-body]", HTMLTextAreaElement).value;
      if (!body.trim()) {
        const pane = find(row, "[data-preview]");
        pane.innerHTML = "";
        const muted = document.createElement("span");
        muted.className = "muted";
        muted.textContent = texts.empty;
        pane.appendChild(muted);
        return;
      }
      const ticket = row.previewTicket = (row.previewTicket ?? 0) + 1;
      postJson(previewUrl, { body }).then(
        (answer) => {
          if (ticket !== row.previewTicket) return;
          row.classList.remove("has-preview-error");
          showPreview(row, answer?.html ?? "", false);
        },
        (error) => {
          if (ticket !== row.previewTicket) return;
          if (!(error instanceof ApiError)) {
            showPreview(row, texts.failed, true);
            return;
          }
          const message = error.messages.join("; ").replace(/^body: (the script does not compile: )?/, "");
          row.classList.add("has-preview-error");
          showPreview(row, `${texts.error} ${message}`, true);
        }
      );
    }
    list.addEventListener("click", (event) => {
      const clicked = targetOf(event)?.closest("[data-action]");
      if (!clicked) return;
      const row = clicked.closest("[data-step]");
      if (!row) return;
      const action = clicked.getAttribute("data-action");
      if (action === "up" && row.previousElementSibling) {
        list.insertBefore(row, row.previousElementSibling);
      } else if (action === "down" && row.nextElementSibling) {
        list.insertBefore(row.nextElementSibling, row);
      } else if (action === "remove") {
        const next = row.nextElementSibling ?? row.previousElementSibling;
        row.remove();
        if (next) titleOf(next).focus();
      }
      renumber();
      if (action !== "remove" && document.body.contains(clicked) && !clicked.disabled) {
        clicked.focus();
      }
    });
    list.addEventListener("change", (event) => {
      const target = targetOf(event);
      const row = target?.closest("[data-step]");
      if (target?.matches("[data-step-kind]") && row) {
        applyKind(row);
        renumber();
      }
    });
    list.addEventListener("input", (event) => {
      const target = targetOf(event);
      if (!target?.matches("[data-step-body]")) return;
      const row = target.closest("[data-step]");
      if (row && kindOf(row) === "script") schedulePreview(row, PREVIEW_DELAY_MS);
    });
    adder.addEventListener("click", (event) => {
      const clicked = targetOf(event)?.closest("[data-add-step]");
      if (clicked && !clicked.disabled) addStep(clicked.getAttribute("data-add-step") ?? "");
    });
    rows().forEach(enhance);
    renumber();
  }
  start();
})();
//# sourceMappingURL=campaigns.js.map
