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
  function find(root, selector, type = HTMLElement) {
    const found = root.querySelector(selector);
    if (!(found instanceof type)) throw new Error(`${selector}: missing or not a ${type.name}`);
    return found;
  }
  function findAll(root, selector, type = HTMLElement) {
    return Array.from(root.querySelectorAll(selector)).filter((el) => el instanceof type);
  }
  function element(tag, className, text) {
    const el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== void 0 && text !== null) el.textContent = String(text);
    return el;
  }
  function targetOf(event) {
    return event.target instanceof HTMLElement ? event.target : null;
  }
  function tryStorage(fn) {
    try {
      return fn();
    } catch {
      return void 0;
    }
  }

  // client/work/notices.ts
  var POLL_MS = 2e4;
  var SOUND_KEY = "esito.work.noticeSound";
  function startNotices() {
    const box = maybeById("work-notices");
    if (!box) return;
    const list = byId("work-notice-list");
    const sound = maybeById("work-notice-sound", HTMLInputElement);
    const strings = box.dataset;
    const text = (key) => strings[key] ?? "";
    const lang = strings.lang === "en" ? "en-GB" : "it-IT";
    let seen = /* @__PURE__ */ new Set();
    let first = true;
    let audio = null;
    function contactOpen() {
      const card = document.getElementById("work-card");
      return !!card && !card.hidden;
    }
    function when(item) {
      const at = new Date(item.dueAt);
      const day = new Intl.DateTimeFormat("en-CA", { timeZone: item.campaign.timezone });
      const sameDay = day.format(at) === day.format(/* @__PURE__ */ new Date());
      return new Intl.DateTimeFormat(lang, {
        timeZone: item.campaign.timezone,
        hour: "2-digit",
        minute: "2-digit",
        day: sameDay ? void 0 : "2-digit",
        month: sameDay ? void 0 : "2-digit"
      }).format(at);
    }
    function relative(item) {
      const minutes = Math.round((new Date(item.dueAt).getTime() - Date.now()) / 6e4);
      if (minutes > 0) return text("inMinutes").replace("%n", String(minutes));
      if (minutes < 0) return text("lateMinutes").replace("%n", String(-minutes));
      return text("now");
    }
    function render(items) {
      list.textContent = "";
      for (const item of items) {
        const due = new Date(item.dueAt).getTime() <= Date.now();
        const li = document.createElement("li");
        li.className = `work-notice${due ? " is-due" : ""}`;
        li.dataset.callbackId = String(item.id);
        const line = document.createElement("span");
        line.className = "work-notice-text";
        const who = document.createElement("b");
        who.textContent = item.contact.name || item.contact.phone;
        line.append(
          `${due ? text("due") : text("soon")} `,
          who,
          ` \xB7 ${item.contact.phone} \xB7 ${item.campaign.name} \xB7 `
        );
        const time = document.createElement("time");
        time.dateTime = item.dueAt;
        time.textContent = `${when(item)} (${relative(item)})`;
        line.appendChild(time);
        if (item.notes) {
          const notes = document.createElement("span");
          notes.className = "work-notice-notes";
          notes.textContent = item.notes;
          line.appendChild(notes);
        }
        li.appendChild(line);
        if (!contactOpen()) {
          const open = document.createElement("button");
          open.type = "button";
          open.className = "btn btn-small btn-primary";
          open.textContent = text("open");
          open.setAttribute("aria-label", `${text("open")} ${who.textContent}`);
          open.addEventListener("click", () => openCallback(item, open, li));
          li.appendChild(open);
        } else if (due) {
          const next = document.createElement("span");
          next.className = "work-notice-next";
          next.textContent = text("next");
          li.appendChild(next);
        }
        list.appendChild(li);
      }
      if (box) box.hidden = items.length === 0;
    }
    function openCallback(item, button, li) {
      button.disabled = true;
      request(`/api/v1/callbacks/${item.id}/open`, { method: "POST" }).then(
        () => window.location.replace("/work"),
        (error) => {
          button.disabled = false;
          const problem = li.querySelector(".field-error") ?? document.createElement("p");
          problem.className = "field-error";
          problem.setAttribute("role", "alert");
          problem.textContent = error instanceof ApiError ? error.messages.join(" ") || text("failed") || String(error.status) : error instanceof Error ? error.message : String(error);
          li.appendChild(problem);
        }
      );
    }
    function ring() {
      if (!sound || !sound.checked || !audio || !box) return;
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = 880;
      gain.gain.setValueAtTime(0.2, audio.currentTime);
      gain.gain.exponentialRampToValueAtTime(1e-3, audio.currentTime + 0.4);
      tone.connect(gain).connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.4);
      box.dataset.rang = String(Number(box.dataset.rang || 0) + 1);
    }
    function poll() {
      if (document.hidden && !first) return;
      getJson("/api/v1/callbacks/notices").then(
        (answer) => {
          const items = Array.isArray(answer) ? answer : [];
          const fresh = items.some((item) => !seen.has(item.id));
          seen = new Set(items.map((item) => item.id));
          render(items);
          if (fresh && !first) ring();
          first = false;
        },
        () => {
        }
      );
    }
    if (sound) {
      sound.checked = tryStorage(() => window.localStorage.getItem(SOUND_KEY)) === "on";
      const prepare = () => {
        if (!audio && sound.checked && "AudioContext" in window) audio = new AudioContext();
      };
      sound.addEventListener("change", () => {
        prepare();
        tryStorage(() => window.localStorage.setItem(SOUND_KEY, sound.checked ? "on" : "off"));
      });
      document.addEventListener("pointerdown", prepare, { once: true });
      document.addEventListener("keydown", prepare, { once: true });
    }
    poll();
    window.setInterval(poll, POLL_MS);
    document.addEventListener("visibilitychange", () => {
      if (!document.hidden) poll();
    });
  }

  // client/work/screen-pop.ts
  function startScreenPop() {
    const box = maybeById("screen-pop");
    if (!box || typeof EventSource === "undefined") return;
    const strings = box.dataset;
    const text = (key) => strings[key] ?? "";
    const title = byId("screen-pop-title");
    const line = byId("screen-pop-line");
    const form = byId("screen-pop-form", HTMLFormElement);
    function link(href, label) {
      const a = document.createElement("a");
      a.href = href;
      a.textContent = label;
      return a;
    }
    function show(pop) {
      if (box) box.hidden = false;
      const heading = pop.type === "call.answered" ? text("answered") : text("ringing");
      line.textContent = "";
      if (pop.contact) {
        title.textContent = `${heading} ${pop.contact.name || pop.phone}`;
        line.appendChild(link(pop.phoneLink, pop.phone));
        line.appendChild(document.createTextNode(` \xB7 ${pop.contact.campaignName} \xB7 `));
        line.appendChild(link(pop.contact.url, text("open")));
        form.hidden = true;
      } else {
        title.textContent = `${heading} ${pop.phone}`;
        line.appendChild(document.createTextNode(`${text("unknown")} `));
        line.appendChild(link(pop.phoneLink, pop.phone));
        byId("screen-pop-phone", HTMLInputElement).value = pop.phone;
        form.hidden = false;
        byId("screen-pop-first").focus();
      }
    }
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const data = new FormData(form);
      const field = (name) => {
        const value = data.get(name);
        return typeof value === "string" ? value : "";
      };
      postJson("/api/v1/cti/contacts", {
        campaignId: Number(data.get("campaignId")),
        firstName: field("firstName"),
        lastName: field("lastName"),
        phone: field("phone")
      }).then(
        (saved) => {
          line.textContent = "";
          form.hidden = true;
          line.appendChild(
            document.createTextNode(
              `${text("saved")} ${saved?.firstName ?? ""} ${saved?.lastName ?? ""} \xB7 `
            )
          );
          line.appendChild(link(`/contacts/${saved?.id ?? ""}`, text("open")));
        },
        (error) => {
          line.textContent = error instanceof ApiError ? `${text("failed")} ${error.messages.join(" ")}` : `${text("failed")} ${String(error)}`;
        }
      );
    });
    const source = new EventSource("/api/v1/cti/stream");
    source.addEventListener("pop", (event) => {
      show(JSON.parse(event.data));
    });
  }

  // client/work/zoned-time.ts
  var DAY_MS = 864e5;
  var LOCAL_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
  function addDays(date, days) {
    return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
  }
  function mondayOf(date) {
    const weekday = (/* @__PURE__ */ new Date(`${date}T00:00:00Z`)).getUTCDay() || 7;
    return addDays(date, 1 - weekday);
  }
  function toZonedLocal(date, zone) {
    const parts = new Intl.DateTimeFormat("en-GB", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit"
    }).formatToParts(date);
    const get = (type) => parts.find((part) => part.type === type)?.value ?? "";
    return `${get("year")}-${get("month")}-${get("day")}T${get("hour")}:${get("minute")}`;
  }
  function zonedLocalToUtc(local, zone) {
    if (!LOCAL_PATTERN.test(local)) return null;
    const wall = Date.parse(`${local}:00Z`);
    if (isNaN(wall)) return null;
    const offsetAt = (instant2) => Date.parse(`${toZonedLocal(new Date(instant2), zone)}:00Z`) - Math.floor(instant2 / 6e4) * 6e4;
    const guess = wall - offsetAt(wall);
    const instant = wall - offsetAt(guess);
    return toZonedLocal(new Date(instant), zone) === local ? new Date(instant) : null;
  }

  // client/work/agenda.ts
  function isSlotList(value) {
    return Array.isArray(value);
  }
  function createWorkAgenda(box, options) {
    const strings = box.dataset;
    const text = (key) => strings[key] ?? "";
    const lang = strings.lang === "en" ? "en-GB" : "it-IT";
    const zone = options.zone;
    const policy = strings.policy;
    const $ = (id) => find(box, `#${id}`);
    const agentInput = find(box, "#appointment-agent", HTMLInputElement);
    const startInput = find(box, "#appointment-start", HTMLInputElement);
    const notesInput = find(box, "#appointment-notes", HTMLTextAreaElement);
    const ack = box.querySelector("#appointment-ack");
    const ackRow = box.querySelector("#agenda-ack-row");
    const pick = $("agenda-pick");
    const grid = find(box, "#agenda-grid", HTMLTableElement);
    const weekLabel = $("agenda-week");
    const status = $("agenda-status");
    const hint = $("agenda-hint");
    const conflict = $("appointment-slots");
    const conflictMessage = $("agenda-conflict-message");
    const choices = $("agenda-choices");
    const review = $("agenda-review");
    const overlapNote = $("agenda-overlap");
    const prevButton = find(box, "#agenda-prev", HTMLButtonElement);
    const nextButton = find(box, "#agenda-next", HTMLButtonElement);
    let data = null;
    let week = null;
    let selection = null;
    let restoring = null;
    let reviewing = false;
    let requests = 0;
    let loading = false;
    let pendingFocus = null;
    const zoned = new Intl.DateTimeFormat("en-GB", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit"
    });
    const calendar = (fields) => new Intl.DateTimeFormat(lang, { timeZone: "UTC", ...fields });
    const dayHead = calendar({ weekday: "short", day: "numeric", month: "short" });
    const dayWords = calendar({ weekday: "long", day: "numeric", month: "long", year: "numeric" });
    const weekStart = calendar({ day: "numeric", month: "short" });
    const weekEnd = calendar({ day: "numeric", month: "short", year: "numeric" });
    const noon = (date) => /* @__PURE__ */ new Date(`${date}T12:00:00Z`);
    function local(iso) {
      const parts = {};
      for (const part of zoned.formatToParts(new Date(iso))) parts[part.type] = part.value;
      return {
        date: `${parts.year}-${parts.month}-${parts.day}`,
        time: `${parts.hour}:${parts.minute}`
      };
    }
    function today() {
      return local((/* @__PURE__ */ new Date()).toISOString()).date;
    }
    function sameInstant(a, b) {
      return Date.parse(a) === Date.parse(b);
    }
    function hours(slot) {
      return `${local(slot.start).time}\u2013${local(slot.end).time}`;
    }
    function shortWhen(iso) {
      const at = local(iso);
      return `${dayHead.format(noon(at.date))}, ${at.time}`;
    }
    function when(slot) {
      return `${dayWords.format(noon(local(slot.start).date))}, ${hours(slot)}`;
    }
    function stateText(state) {
      if (state === "taken") return policy === "reject" ? text("taken") : text("takenBookable");
      return strings[state] || state;
    }
    function bookable(state) {
      return state === "free" || state === "taken" && policy !== "reject";
    }
    function shownWeek() {
      if (week === null) throw new Error("no week shown yet");
      return week;
    }
    function load(monday) {
      week = monday;
      const sequence = ++requests;
      loading = true;
      setStatus(text("loading"));
      grid.setAttribute("aria-busy", "true");
      updateNavigation();
      const url = `/api/v1/campaigns/${encodeURIComponent(text("campaignId"))}/agenda?from=${monday}&to=${addDays(monday, 6)}&contactId=${encodeURIComponent(text("contactId"))}`;
      getJson(url).then(
        (json) => {
          if (sequence !== requests) return;
          loading = false;
          data = json;
          setStatus("");
          render();
          checkSelection();
          flushFocus();
        },
        (error) => {
          if (sequence !== requests) return;
          loading = false;
          grid.removeAttribute("aria-busy");
          const message = error instanceof ApiError ? error.messages.join(" ") : error instanceof Error ? error.message : "";
          setStatus(text("loadFailed") + (message ? ` ${message}` : ""), true);
        }
      );
    }
    function setStatus(message, failed2 = false) {
      status.textContent = message;
      status.classList.toggle("is-failed", failed2);
      if (failed2) {
        const retry = element("button", "btn btn-small", text("retry"));
        retry.type = "button";
        retry.addEventListener("click", () => load(shownWeek()));
        status.append(" ", retry);
      }
    }
    function updateNavigation() {
      const monday = shownWeek();
      weekLabel.textContent = `${weekStart.format(noon(monday))} \u2013 ${weekEnd.format(noon(addDays(monday, 6)))}`;
      prevButton.disabled = monday <= mondayOf(today());
    }
    function goToWeek(monday) {
      load(monday < mondayOf(today()) ? mondayOf(today()) : monday);
    }
    prevButton.addEventListener("click", () => goToWeek(addDays(shownWeek(), -7)));
    nextButton.addEventListener("click", () => goToWeek(addDays(shownWeek(), 7)));
    $("agenda-today").addEventListener("click", () => goToWeek(mondayOf(today())));
    function render() {
      if (!data) return;
      const monday = shownWeek();
      const days = [0, 1, 2, 3, 4, 5, 6].map((n) => addDays(monday, n));
      const now = today();
      grid.textContent = "";
      grid.removeAttribute("aria-busy");
      const worked = /* @__PURE__ */ new Set();
      for (const agent of data.agents) {
        for (const slot of agent.slots) worked.add(local(slot.start).date);
      }
      const columns = element("colgroup");
      for (const date of days) columns.appendChild(element("col", worked.has(date) ? "" : "is-off"));
      grid.appendChild(columns);
      const head = element("thead");
      const headRow = element("tr");
      for (const date of days) {
        const th = element("th", date === now ? "is-today" : "", dayHead.format(noon(date)));
        th.scope = "col";
        if (date === now) th.setAttribute("aria-current", "date");
        headRow.appendChild(th);
      }
      head.appendChild(headRow);
      grid.appendChild(head);
      for (const agent of data.agents) grid.appendChild(agentRows(agent, days));
      grid.hidden = false;
    }
    function agentRows(agent, days) {
      const body = element("tbody", `work-agenda-agent${agent.coversZone ? " is-in-zone" : ""}`);
      body.dataset.agentId = String(agent.id);
      const titleRow = element("tr", "work-agenda-agent-head");
      const title = element("th");
      title.colSpan = days.length;
      title.scope = "rowgroup";
      title.appendChild(element("span", "work-agenda-name", agent.name));
      if (agent.coversZone) title.append(" ", element("span", "work-agenda-inzone", text("inZone")));
      if (agent.zones?.length) {
        title.append(
          " ",
          element("span", "work-agenda-zones", `${text("zones")}: ${agent.zones.join(", ")}`)
        );
      }
      title.append(" ", nextFreeNote(agent, days));
      titleRow.appendChild(title);
      body.appendChild(titleRow);
      const byDay = /* @__PURE__ */ new Map();
      for (const slot of agent.slots) {
        const date = local(slot.start).date;
        byDay.set(date, [...byDay.get(date) ?? [], slot]);
      }
      const row = element("tr", "work-agenda-slots");
      let stop = null;
      let firstBookable = null;
      for (const date of days) {
        const cell = element("td");
        let slots = byDay.get(date) ?? [];
        if (!slots.length) {
          cell.appendChild(element("span", "work-agenda-off", "\u2014"));
          cell.appendChild(element("span", "visually-hidden", text("noSlots")));
        }
        const whole = slots.length > 1 ? wholeDay(slots) : "";
        if (whole) {
          cell.appendChild(dayMark(agent, date, whole, slots));
          slots = [];
        }
        for (const slot of slots) {
          const button = slotButton(agent, slot, date);
          cell.appendChild(button);
          if (button.disabled) continue;
          firstBookable ?? (firstBookable = button);
          if (button.classList.contains("is-selected")) stop = button;
          else if (!stop && button.classList.contains("is-next")) stop = button;
        }
        row.appendChild(cell);
      }
      stop = stop ?? firstBookable;
      if (stop) stop.tabIndex = 0;
      body.appendChild(row);
      return body;
    }
    function wholeDay(slots) {
      const state = slots[0]?.state;
      if (state !== "absent" && state !== "past") return "";
      return slots.every((slot) => slot.state === state) ? state : "";
    }
    function dayMark(agent, date, state, slots) {
      const mark = element("span", `work-agenda-slot work-agenda-day is-${state}`);
      if (state === "absent") {
        const icon = element("span", "work-agenda-icon", "\u2298");
        icon.setAttribute("aria-hidden", "true");
        mark.appendChild(icon);
      }
      mark.appendChild(element("span", "work-agenda-time", text(state)));
      mark.dataset.state = state;
      const first = slots[0];
      const last = slots[slots.length - 1];
      mark.title = `${first ? local(first.start).time : ""}\u2013${last ? local(last.end).time : ""} \xB7 ${text(state)}`;
      mark.setAttribute(
        "aria-label",
        [agent.name, dayWords.format(noon(date)), mark.title.replace(" \xB7 ", ", ")].join(", ")
      );
      mark.setAttribute("role", "img");
      return mark;
    }
    function nextFreeNote(agent, days) {
      const note = element("span", "work-agenda-next");
      const nextFree = agent.nextFree;
      if (!nextFree) {
        note.classList.add("is-none");
        note.textContent = text("noFree");
        return note;
      }
      const date = local(nextFree.start).date;
      const words = `${text("firstFree")} ${shortWhen(nextFree.start)}`;
      if (date >= (days[0] ?? "") && date <= (days[days.length - 1] ?? "")) {
        const star = element("span", "work-agenda-icon", "\u2605");
        star.setAttribute("aria-hidden", "true");
        note.append(star, ` ${words}`);
        return note;
      }
      note.append(`${words} `);
      const jump = element("button", "work-agenda-jump", `${text("goToWeek")} \u2192`);
      jump.type = "button";
      jump.setAttribute("aria-label", `${agent.name}, ${words}: ${text("goToWeek")}`);
      jump.addEventListener("click", () => {
        pendingFocus = { agentId: agent.id, start: nextFree.start };
        goToWeek(mondayOf(date));
      });
      note.appendChild(jump);
      return note;
    }
    function slotButton(agent, slot, date) {
      const state = slot.state;
      const button = element("button", `work-agenda-slot is-${state}`);
      button.type = "button";
      button.tabIndex = -1;
      button.dataset.agentId = String(agent.id);
      button.dataset.start = slot.start;
      button.dataset.end = slot.end;
      button.dataset.state = state;
      const time = local(slot.start).time;
      button.dataset.minute = String(Number(time.slice(0, 2)) * 60 + Number(time.slice(3)));
      const chosen = !!selection && selection.agentId === agent.id && sameInstant(selection.start, slot.start);
      const next = !!agent.nextFree && sameInstant(agent.nextFree.start, slot.start);
      const icon = chosen ? "\u2713" : next ? "\u2605" : state === "taken" ? "\u2715" : state === "absent" ? "\u2298" : "";
      if (chosen) button.classList.add("is-selected");
      if (next) button.classList.add("is-next");
      if (icon) {
        const mark = element("span", "work-agenda-icon", icon);
        mark.setAttribute("aria-hidden", "true");
        button.appendChild(mark);
      }
      button.appendChild(element("span", "work-agenda-time", time));
      const words = [
        agent.name,
        dayWords.format(noon(date)),
        hours(slot),
        stateText(state) + (next ? `, ${text("nextFree")}` : "")
      ];
      if (chosen) words.push(text("selected"));
      button.setAttribute("aria-label", words.join(", "));
      button.title = `${hours(slot)} \xB7 ${stateText(state)}`;
      if (!bookable(state)) button.disabled = true;
      else button.setAttribute("aria-pressed", String(chosen));
      return button;
    }
    grid.addEventListener("click", (event) => {
      const button = targetOf(event)?.closest(".work-agenda-slot");
      if (!(button instanceof HTMLButtonElement) || button.disabled) return;
      const agent = agentOf(Number(button.dataset.agentId));
      if (!agent) return;
      choose(agent, {
        start: button.dataset.start ?? "",
        end: button.dataset.end ?? "",
        state: button.dataset.state ?? ""
      });
    });
    grid.addEventListener("keydown", (event) => {
      const button = targetOf(event)?.closest(".work-agenda-slot");
      if (!button || event.ctrlKey || event.metaKey || event.altKey) return;
      const key = event.key;
      if (key === "PageUp" || key === "PageDown") {
        event.preventDefault();
        if (key === "PageUp" && prevButton.disabled) return;
        pendingFocus = { agentId: Number(button.dataset.agentId) };
        goToWeek(addDays(shownWeek(), key === "PageUp" ? -7 : 7));
        return;
      }
      const body = button.closest("tbody");
      if (!body) return;
      const columns = findAll(body, "td").map(
        (td) => findAll(td, ".work-agenda-slot:not([disabled])")
      );
      const column = columns.findIndex((list) => list.includes(button));
      const slots = columns[column];
      if (!slots) return;
      const row = slots.indexOf(button);
      let target = null;
      if (key === "ArrowDown") {
        target = slots[row + 1] ?? edgeOf(columns, column, 1);
      } else if (key === "ArrowUp") {
        target = slots[row - 1] ?? edgeOf(columns, column, -1);
      } else if (key === "ArrowRight" || key === "ArrowLeft") {
        target = nearestTime(columns, column, key === "ArrowRight" ? 1 : -1, button);
      } else if (key === "Home") {
        target = slots[0];
      } else if (key === "End") {
        target = slots[slots.length - 1];
      } else {
        return;
      }
      event.preventDefault();
      if (target) moveFocus(button, target);
    });
    function edgeOf(columns, column, step) {
      for (let c = column + step; c >= 0 && c < columns.length; c += step) {
        const slots = columns[c] ?? [];
        if (slots.length) return (step > 0 ? slots[0] : slots[slots.length - 1]) ?? null;
      }
      return null;
    }
    function nearestTime(columns, column, step, from) {
      const minute = Number(from.dataset.minute);
      const distance = (slot) => Math.abs(Number(slot.dataset.minute) - minute);
      for (let c = column + step; c >= 0 && c < columns.length; c += step) {
        const slots = columns[c] ?? [];
        const [first, ...rest] = slots;
        if (!first) continue;
        return rest.reduce((best, slot) => distance(slot) < distance(best) ? slot : best, first);
      }
      return null;
    }
    function moveFocus(from, to) {
      from.tabIndex = -1;
      to.tabIndex = 0;
      to.focus();
    }
    function agentOf(id) {
      return data?.agents.find((agent) => agent.id === id) ?? null;
    }
    function slotOf(agent, start) {
      return agent.slots.find((slot) => sameInstant(slot.start, start)) ?? null;
    }
    function tabStop(agentId) {
      const body = grid.querySelector(`tbody[data-agent-id="${agentId}"]`);
      return body?.querySelector('.work-agenda-slot[tabindex="0"]') ?? null;
    }
    function flushFocus() {
      const wanted = pendingFocus;
      pendingFocus = null;
      if (!wanted || reviewing) return;
      let target = null;
      if (wanted !== "first" && wanted.start) {
        target = grid.querySelector(
          `.work-agenda-slot[data-agent-id="${wanted.agentId}"][data-start="${wanted.start}"]:not([disabled])`
        );
        if (target) {
          const stop = tabStop(wanted.agentId);
          if (stop && stop !== target) stop.tabIndex = -1;
          target.tabIndex = 0;
        }
      }
      if (!target && wanted !== "first") target = tabStop(wanted.agentId);
      target ?? (target = grid.querySelector('.work-agenda-slot[tabindex="0"]'));
      if (wanted === "first") box.parentElement?.scrollIntoView({ block: "start" });
      if (target) target.focus({ preventScroll: wanted === "first" });
      else nextButton.focus();
    }
    function choose(agent, slot) {
      selection = {
        agentId: agent.id,
        agentName: agent.name,
        coversZone: agent.coversZone,
        start: slot.start,
        end: slot.end,
        state: slot.state
      };
      agentInput.value = String(agent.id);
      startInput.value = slot.start;
      if (ack) ack.checked = false;
      hideConflict();
      showHint("");
      clearReviewErrors();
      options.changed();
      showReview(true);
    }
    function clearSelection() {
      selection = null;
      agentInput.value = "";
      startInput.value = "";
      if (ack) ack.checked = false;
    }
    function keptSlot() {
      const agentId = Number(agentInput.value);
      let start = startInput.value;
      if (!agentId || !start) return null;
      if (LOCAL_PATTERN.test(start)) {
        const instant = options.zonedLocalToUtc(start);
        start = instant ? instant.toISOString() : "";
      }
      return isNaN(Date.parse(start)) ? null : { agentId, start };
    }
    function checkSelection() {
      const wanted = restoring ?? selection;
      const fromDraft = !!restoring;
      restoring = null;
      if (!wanted) return;
      const monday = shownWeek();
      const date = local(wanted.start).date;
      if (date < monday || date > addDays(monday, 6)) return;
      const agent = agentOf(wanted.agentId);
      const slot = agent ? slotOf(agent, wanted.start) : null;
      if (!agent || !slot || !bookable(slot.state)) {
        clearSelection();
        if (reviewing) showPick(false);
        render();
        showHint(text("gone"));
        options.changed();
        return;
      }
      selection = {
        agentId: agent.id,
        agentName: agent.name,
        coversZone: agent.coversZone,
        start: slot.start,
        end: slot.end,
        state: slot.state
      };
      startInput.value = slot.start;
      if (fromDraft) showReview(false);
      else if (reviewing) fillSummary();
      else render();
    }
    function fillSummary() {
      if (!selection) return;
      find(review, '[data-summary="agent"]').textContent = selection.agentName;
      find(review, '[data-summary="in-zone"]').hidden = !selection.coversZone;
      find(review, '[data-summary="when"]').textContent = when(selection);
      fillNotes();
      const overlaps = selection.state === "taken";
      overlapNote.hidden = !overlaps;
      overlapNote.textContent = overlaps ? policy === "warn" ? overlapNote.dataset.warn ?? "" : overlapNote.dataset.allow ?? "" : "";
      if (ackRow) ackRow.hidden = !(overlaps && policy === "warn");
    }
    function fillNotes() {
      const notes = find(review, '[data-summary="notes"]');
      const typed = notesInput.value.trim();
      notes.textContent = typed || text("noNotes");
      notes.classList.toggle("muted", !typed);
    }
    notesInput.addEventListener("input", () => {
      if (reviewing) fillNotes();
    });
    function showReview(focus2) {
      if (!selection) return;
      reviewing = true;
      fillSummary();
      pick.hidden = true;
      review.hidden = false;
      box.classList.add("is-reviewing");
      if (focus2) review.focus();
    }
    function showPick(focus2) {
      reviewing = false;
      review.hidden = true;
      pick.hidden = false;
      box.classList.remove("is-reviewing");
      if (data) render();
      if (focus2) {
        pendingFocus = selection ? { agentId: selection.agentId, start: selection.start } : "first";
        if (data && !loading) flushFocus();
      }
    }
    function clearReviewErrors() {
      for (const slot of findAll(review, "[data-error-for]")) {
        slot.hidden = true;
        slot.textContent = "";
      }
    }
    function showHint(message) {
      hint.textContent = message;
      hint.hidden = !message;
    }
    $("agenda-change").addEventListener("click", () => showPick(true));
    $("agenda-confirm").addEventListener("click", () => options.confirm());
    function hideConflict() {
      conflict.hidden = true;
      choices.textContent = "";
    }
    function showConflict(message, wanted, slots) {
      conflictMessage.textContent = message;
      choices.textContent = "";
      for (const slot of slots) {
        const start = slot?.start;
        if (!start) continue;
        const end = slot.end ?? "";
        const button = element("button", "btn btn-small", shortWhen(start));
        button.type = "button";
        button.setAttribute(
          "aria-label",
          `${wanted.agentName}, ${dayWords.format(noon(local(start).date))}, ${hours({ start, end })}`
        );
        button.addEventListener("click", () => {
          const agent = { id: wanted.agentId, name: wanted.agentName, coversZone: wanted.coversZone };
          choose(agent, { start, end, state: "free" });
          const monday = mondayOf(local(start).date);
          if (monday !== week) load(monday);
        });
        choices.appendChild(button);
      }
      conflict.hidden = false;
      const first = choices.querySelector("button");
      if (first) first.focus();
      else conflict.scrollIntoView({ block: "center" });
    }
    function show() {
      if (week === null) {
        restoring = keptSlot();
        load(mondayOf(restoring ? local(restoring.start).date : today()));
      } else {
        load(week);
      }
    }
    function focus() {
      if (reviewing) {
        review.focus();
        return;
      }
      pendingFocus = "first";
      if (data && !loading) flushFocus();
    }
    function reviewed() {
      if (reviewing && selection) {
        if (selection.state === "taken" && policy === "warn" && ack && !ack.checked) {
          const slot = find(review, '[data-error-for="appointment"]');
          slot.textContent = text("ackNeeded");
          slot.hidden = false;
          ack.focus();
          return false;
        }
        return true;
      }
      if (selection) {
        showReview(true);
        return false;
      }
      if (!loading) showHint(text("chooseSlot"));
      focus();
      return false;
    }
    function failed(error, message) {
      if (!(error instanceof ApiError)) return;
      const nearest = error.body.nearestFreeSlots;
      if (error.status === 409 && isSlotList(nearest)) {
        const wanted = selection;
        clearSelection();
        options.changed();
        clearReviewErrors();
        showPick(false);
        if (week !== null) load(week);
        if (wanted) showConflict(message, wanted, nearest);
        return;
      }
      if (error.status === 400 && selection && !reviewing) showReview(false);
    }
    return { show, focus, reviewed, failed };
  }

  // client/work/cart-figures.ts
  function cents(decimal) {
    const match = /^(-?)(\d+)(?:\.(\d{1,2}))?/.exec(decimal);
    if (!match) return 0;
    const value = Number(match[2]) * 100 + Number(((match[3] ?? "") + "00").slice(0, 2));
    return match[1] ? -value : value;
  }
  function normalizePrice(text) {
    const match = /^\s*(\d{1,8})(?:[.,](\d{1,2}))?\s*$/.exec(text);
    if (!match) return null;
    return `${(match[1] ?? "").replace(/^0+(?=\d)/, "")}.${((match[2] ?? "") + "00").slice(0, 2)}`;
  }
  function lineFigures(unitPrice, quantity, vatRate) {
    const net = cents(unitPrice) * quantity;
    const vat = Number((BigInt(net) * BigInt(cents(vatRate)) + 5000n) / 10000n);
    return { net, vat, total: net + vat };
  }
  function cartFigures(lines) {
    const net = lines.reduce((sum, line) => sum + line.net, 0);
    const vat = lines.reduce((sum, line) => sum + line.vat, 0);
    return { net, vat, total: net + vat };
  }
  function formatMoney(amountCents, lang) {
    const sign = amountCents < 0 ? "-" : "";
    const abs = Math.abs(amountCents);
    const whole = String(Math.floor(abs / 100));
    const digits = String(abs % 100).padStart(2, "0");
    return lang === "en" ? `${sign}\u20AC${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${digits}` : `${sign}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ".")},${digits}\xA0\u20AC`;
  }

  // client/work/cart.ts
  function folded(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function isQuantity(quantity, max) {
    return Math.floor(quantity) === quantity && quantity >= 1 && quantity <= max;
  }
  function createWorkCart(box, options) {
    const strings = options.strings;
    const maxQuantity = Number(box.dataset.maxQuantity) || 999;
    const search = find(box, "#cart-search", HTMLInputElement);
    const quantityInput = find(box, "#cart-quantity", HTMLInputElement);
    const catalogue = find(box, "#cart-catalogue");
    const noMatch = find(box, "#cart-no-match");
    const overrideNote = find(box, "#cart-override-note");
    const table = find(box, "#work-cart", HTMLTableElement);
    const body = find(table, "tbody", HTMLTableSectionElement);
    const review = find(box, "#cart-review");
    const edit = find(box, "#cart-edit");
    const items = findAll(catalogue, "li[data-product-id]");
    const products = /* @__PURE__ */ new Map();
    for (const item of items) {
      const data = item.dataset;
      products.set(data.productId ?? "", {
        id: Number(data.productId),
        code: data.code ?? "",
        name: data.name ?? "",
        price: data.price ?? "0",
        vat: data.vat ?? "0",
        vatPercent: data.vatPercent ?? "",
        haystack: folded(`${data.code ?? ""} ${data.name ?? ""}`)
      });
    }
    let lines = [];
    let overrideAllowed = false;
    let reviewing = false;
    function productOf(line) {
      const product = products.get(String(line.productId));
      if (!product) throw new Error(`product ${line.productId} is not in the catalogue`);
      return product;
    }
    function priceOf(line) {
      if (overrideAllowed && line.unitPrice !== void 0) {
        const asked = normalizePrice(line.unitPrice);
        if (asked !== null) return asked;
      }
      return productOf(line).price;
    }
    function isOverridden(line) {
      return overrideAllowed && cents(priceOf(line)) !== cents(productOf(line).price);
    }
    function figuresOf(line) {
      return lineFigures(priceOf(line), line.quantity, productOf(line).vat);
    }
    function visibleItems() {
      return items.filter((item) => !item.hidden);
    }
    function buttonOf(item) {
      return find(item, "button", HTMLButtonElement);
    }
    function filter() {
      const words = folded(search.value).split(/\s+/).filter(Boolean);
      for (const item of items) {
        const haystack = products.get(item.dataset.productId ?? "")?.haystack ?? "";
        item.hidden = !words.every((word) => haystack.includes(word));
      }
      noMatch.hidden = visibleItems().length > 0;
    }
    function wantedQuantity() {
      const quantity = Number(quantityInput.value);
      if (!isQuantity(quantity, maxQuantity)) {
        quantityInput.setAttribute("aria-invalid", "true");
        quantityInput.focus();
        return 0;
      }
      quantityInput.removeAttribute("aria-invalid");
      return quantity;
    }
    function add(productId) {
      const quantity = wantedQuantity();
      if (!quantity) return;
      const existing = lines.find((line) => line.productId === productId);
      if (existing) existing.quantity = Math.min(maxQuantity, existing.quantity + quantity);
      else lines.push({ productId, quantity });
      quantityInput.value = "1";
      search.value = "";
      filter();
      update();
      search.focus();
    }
    catalogue.addEventListener("click", (event) => {
      const button = targetOf(event)?.closest("[data-add-product]");
      if (button) add(Number(button.dataset.addProduct));
    });
    catalogue.addEventListener("keydown", (event) => {
      if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
      const buttons = visibleItems().map(buttonOf);
      const at = buttons.findIndex((button) => button === document.activeElement);
      if (at === -1) return;
      event.preventDefault();
      const next = buttons[at + (event.key === "ArrowDown" ? 1 : -1)];
      if (event.key === "ArrowUp" && at === 0) search.focus();
      else if (next) next.focus();
    });
    search.addEventListener("input", filter);
    search.addEventListener("keydown", (event) => {
      const first = visibleItems()[0];
      if (event.key === "ArrowDown" && first) {
        event.preventDefault();
        buttonOf(first).focus();
      } else if (event.key === "Enter" && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        if (first && search.value.trim()) add(Number(first.dataset.productId));
      }
    });
    quantityInput.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        search.focus();
      }
    });
    function cell(className, content) {
      const td = document.createElement("td");
      if (className) td.className = className;
      if (typeof content === "string") td.textContent = content;
      else if (content) td.appendChild(content);
      return td;
    }
    function quantityField(line, index, label) {
      const input = document.createElement("input");
      input.type = "number";
      input.className = "work-input work-cart-qty";
      input.name = `cart.${index}.quantity`;
      input.min = "1";
      input.max = String(maxQuantity);
      input.step = "1";
      input.value = String(line.quantity);
      input.setAttribute("aria-label", `${strings.quantityOf ?? ""} ${label}`);
      input.addEventListener("input", () => {
        const quantity = Number(input.value);
        if (isQuantity(quantity, maxQuantity)) {
          line.quantity = quantity;
          input.removeAttribute("aria-invalid");
          edited();
        } else {
          input.setAttribute("aria-invalid", "true");
        }
      });
      return input;
    }
    function priceField(line, index, label) {
      const input = document.createElement("input");
      input.type = "text";
      input.inputMode = "decimal";
      input.className = "work-input work-cart-price";
      input.name = `cart.${index}.unitPrice`;
      input.value = (line.unitPrice ?? productOf(line).price).replace(
        ".",
        strings.lang === "en" ? "." : ","
      );
      input.setAttribute("aria-label", `${strings.priceOf ?? ""} ${label}`);
      input.addEventListener("input", () => {
        const asked = normalizePrice(input.value);
        if (input.value.trim() === "") delete line.unitPrice;
        else line.unitPrice = asked ?? input.value;
        if (asked === null && input.value.trim() !== "") input.setAttribute("aria-invalid", "true");
        else input.removeAttribute("aria-invalid");
        edited();
      });
      return input;
    }
    let rows = [];
    function render() {
      body.textContent = "";
      rows = [];
      lines.forEach((line, index) => {
        const product = productOf(line);
        const label = `${product.code} \xB7 ${product.name}`;
        const row = document.createElement("tr");
        const name = cell("", label);
        const flag = document.createElement("span");
        flag.className = "work-cart-flag";
        flag.textContent = strings.priceChanged ?? "";
        name.append(" ", flag);
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "btn btn-small";
        remove.textContent = strings.remove ?? "";
        remove.setAttribute("aria-label", `${strings.remove ?? ""} ${label}`);
        remove.addEventListener("click", () => {
          lines.splice(index, 1);
          update();
          search.focus();
        });
        const vat = cell("num", "");
        const total = cell("num", "");
        row.append(
          name,
          cell("num", reviewing ? String(line.quantity) : quantityField(line, index, label)),
          cell(
            "num",
            overrideAllowed && !reviewing ? priceField(line, index, label) : options.formatMoney(cents(priceOf(line)))
          ),
          vat,
          total,
          cell("work-cart-actions", reviewing ? null : remove)
        );
        row.dataset.productId = String(line.productId);
        body.appendChild(row);
        rows.push({ line, flag, vat, total });
      });
      const any = lines.length > 0;
      find(box, "#cart-empty").hidden = any;
      table.hidden = !any;
      overrideNote.hidden = !overrideAllowed || reviewing;
      figures();
    }
    function figures() {
      const all = rows.map((row) => {
        const sums = figuresOf(row.line);
        row.flag.hidden = !isOverridden(row.line);
        row.vat.textContent = `${productOf(row.line).vatPercent} \xB7 ${options.formatMoney(sums.vat)}`;
        row.total.textContent = options.formatMoney(sums.total);
        return sums;
      });
      const cart = cartFigures(all);
      const any = rows.length > 0;
      find(box, "#cart-net").textContent = any ? options.formatMoney(cart.net) : "\u2014";
      find(box, "#cart-vat").textContent = any ? options.formatMoney(cart.vat) : "\u2014";
      find(box, "#cart-total").textContent = any ? options.formatMoney(cart.total) : "\u2014";
    }
    function edited() {
      figures();
      options.changed();
    }
    function update() {
      setReviewing(false);
      render();
      options.changed();
    }
    function setReviewing(on) {
      reviewing = on;
      review.hidden = !on;
      edit.hidden = on;
      box.classList.toggle("is-reviewing", on);
    }
    find(box, "#cart-edit-again").addEventListener("click", () => {
      setReviewing(false);
      render();
      search.focus();
    });
    find(box, "#cart-confirm").addEventListener("click", () => {
      options.confirm();
    });
    return {
      lines: () => lines.map((line) => {
        const out = { productId: line.productId, quantity: line.quantity };
        if (overrideAllowed && line.unitPrice !== void 0) out.unitPrice = line.unitPrice;
        return out;
      }),
      draft: () => lines.map((line) => ({ ...line })),
      restore(saved) {
        const kept = Array.isArray(saved) ? saved : [];
        lines = kept.flatMap((line) => {
          if (typeof line !== "object" || line === null) return [];
          const { productId, quantity, unitPrice } = line;
          if (!products.has(String(Number(productId))) || !(Number(quantity) >= 1)) return [];
          const out = {
            productId: Number(productId),
            quantity: Math.min(maxQuantity, Math.floor(Number(quantity)))
          };
          if (typeof unitPrice === "string") out.unitPrice = unitPrice;
          return [out];
        });
        render();
      },
      allowOverride(allowed) {
        if (overrideAllowed === allowed) return;
        overrideAllowed = allowed;
        setReviewing(false);
        render();
      },
      reviewed() {
        if (reviewing || !lines.length) return true;
        const unreadable = lines.some(
          (line) => overrideAllowed && line.unitPrice !== void 0 && !normalizePrice(line.unitPrice)
        );
        if (unreadable) return true;
        setReviewing(true);
        render();
        review.focus();
        return false;
      },
      focus() {
        if (reviewing) review.focus();
        else search.focus();
      }
    };
  }

  // client/work/workstation.ts
  var API = "/api/v1/work";
  var DRAFT_DELAY_MS = 500;
  var HEARTBEAT_MS = 3e4;
  var CAMPAIGN_KEY = "esito.work.campaign";
  function isTyping(target) {
    if (!(target instanceof HTMLElement)) return false;
    if (target.isContentEditable || target.tagName === "TEXTAREA" || target.tagName === "SELECT") {
      return true;
    }
    if (!(target instanceof HTMLInputElement)) return false;
    return !["radio", "checkbox", "button", "submit"].includes(target.type);
  }
  function inkOn(hex) {
    const match = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
    if (!match) return "#ffffff";
    const channel = (i) => parseInt(match[i] ?? "0", 16);
    const luminance = 0.2126 * channel(1) + 0.7152 * channel(2) + 0.0722 * channel(3);
    return luminance > 150 ? "#1b2430" : "#ffffff";
  }
  function capitalise(text) {
    return text.charAt(0).toUpperCase() + text.slice(1);
  }
  function isObject(value) {
    return typeof value === "object" && value !== null;
  }
  function startWorkstation() {
    const strings = byId("work-strings").dataset;
    const text = (key) => strings[key] ?? "";
    const lang = strings.lang === "en" ? "en-GB" : "it-IT";
    const moneyLang = strings.lang === "en" ? "en" : "it";
    const nextButton = byId("work-next", HTMLButtonElement);
    const campaignSelect = maybeById("work-campaign", HTMLSelectElement);
    const message = byId("work-message");
    const card = maybeById("work-card");
    const result = byId("work-result");
    for (const el of findAll(document, "[data-color]")) {
      el.style.setProperty("--status-color", el.dataset.color ?? "");
    }
    function api(method, path, json, keepalive = false) {
      return request(API + path, { method, json, keepalive });
    }
    function errorMessage(error) {
      if (!(error instanceof ApiError)) return "";
      return error.messages.join("\n") || text("generic");
    }
    function showMessage(value) {
      message.textContent = value;
      message.hidden = !value;
    }
    if (campaignSelect) {
      const remembered = tryStorage(() => window.localStorage.getItem(CAMPAIGN_KEY));
      if (remembered && campaignSelect.querySelector(`option[value="${remembered}"]`)) {
        campaignSelect.value = remembered;
      }
      campaignSelect.addEventListener("change", () => {
        tryStorage(() => window.localStorage.setItem(CAMPAIGN_KEY, campaignSelect.value));
      });
    }
    let cardActive = card !== null;
    let fetchingNext = false;
    function nextContact() {
      if (fetchingNext || nextButton.disabled) return;
      fetchingNext = true;
      nextButton.setAttribute("aria-busy", "true");
      clearErrors();
      showMessage("");
      const body = {};
      if (campaignSelect?.value) body.campaignId = Number(campaignSelect.value);
      api("POST", "/next", body).then((answer) => {
        if (answer.status === 204) {
          showMessage(text("nothing"));
          document.dispatchEvent(new Event("esito:work-changed"));
          return;
        }
        window.location.replace("/work");
      }).catch((error) => {
        showError(error);
      }).finally(() => {
        fetchingNext = false;
        nextButton.removeAttribute("aria-busy");
        if (!card || !cardActive) nextButton.focus();
      });
    }
    nextButton.addEventListener("click", nextContact);
    function clearErrors() {
      for (const el of findAll(document, "[data-error-for]")) {
        el.hidden = true;
        el.textContent = "";
      }
      for (const el of findAll(document, "[aria-invalid]", Element)) {
        el.removeAttribute("aria-invalid");
      }
    }
    function fieldOf2(message2) {
      const match = /^([A-Za-z_][\w]*(?:\.[\w]+)*)(?::|\s)/.exec(message2);
      return match?.[1] ?? "";
    }
    function slotVisible(slot) {
      const panel = slot.closest("[data-panel]");
      return !panel || !panel.hidden;
    }
    function slotFor(field) {
      const parts = field ? field.split(".") : [];
      for (let n = parts.length; n > 0; n--) {
        const name = parts.slice(0, n).join(".");
        const slot = document.querySelector(`[data-error-for="${name}"]`);
        if (slot && slotVisible(slot)) return slot;
        const child = document.querySelector(`[data-error-for^="${name}."]`);
        if (child && slotVisible(child)) return child;
      }
      return document.querySelector('[data-error-for="_general"]') ?? document.querySelector('[data-error-for="campaignId"]');
    }
    function showError(error) {
      const all = errorMessage(error);
      const texts = error instanceof ApiError ? all.split("\n") : [text("network")];
      let focused = false;
      for (const line of texts) {
        const field = fieldOf2(line);
        const slot = slotFor(field);
        if (!slot) continue;
        slot.textContent = slot.hidden ? line : `${slot.textContent ?? ""} ${line}`;
        slot.hidden = false;
        const input = field && card ? card.querySelector(`[name="${field}"]:not([type="hidden"])`) : null;
        if (input) input.setAttribute("aria-invalid", "true");
        if (!focused) {
          focused = true;
          if (input) input.focus();
          else slot.scrollIntoView({ block: "center" });
        }
      }
      if (error instanceof ApiError && error.status === 403 && /not leased|expired/.test(all)) {
        leaseLost();
      }
      if (agenda) agenda.failed(error, all);
    }
    let agenda = null;
    if (!card) {
      document.addEventListener("keydown", (event) => {
        if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
        if (isTyping(event.target)) return;
        const onPage = event.target === document.body || event.target === document.documentElement;
        if (event.key === "n" || event.key === "N" || event.key === "Enter" && onPage) {
          event.preventDefault();
          nextContact();
        }
      });
      return;
    }
    const workCard = card;
    const contactId = workCard.dataset.contactId ?? "";
    const zone = workCard.dataset.timezone ?? "UTC";
    let busy = false;
    const notes = maybeById("work-notes", HTMLTextAreaElement);
    const statusRadios = findAll(workCard, 'input[name="statusId"]', HTMLInputElement);
    const quickButtons = findAll(workCard, ".work-quick-btn", HTMLButtonElement);
    const panels = findAll(workCard, "[data-panel]");
    const callbackAt = maybeById("callback-at", HTMLInputElement);
    const callbackNotes = maybeById("callback-notes", HTMLTextAreaElement);
    const appointmentAgent = maybeById("appointment-agent", HTMLInputElement);
    const appointmentStart = maybeById("appointment-start", HTMLInputElement);
    const appointmentNotes = maybeById("appointment-notes", HTMLTextAreaElement);
    const acknowledge = maybeById("appointment-ack", HTMLInputElement);
    const confirmButton = byId("work-confirm", HTMLButtonElement);
    const stopButton = byId("work-stop", HTMLButtonElement);
    const dialog = byId("work-stop-dialog", HTMLDialogElement);
    const draftState = byId("work-draft-state");
    const money = (amountCents) => formatMoney(amountCents, moneyLang);
    const cartBox = maybeById("work-cart-box");
    const cart = cartBox ? createWorkCart(cartBox, {
      strings,
      formatMoney: money,
      changed: () => changed(),
      confirm: () => confirm()
    }) : null;
    const agendaBox = maybeById("work-agenda");
    agenda = agendaBox ? createWorkAgenda(agendaBox, {
      zone,
      zonedLocalToUtc: (local) => zonedLocalToUtc(local, zone),
      changed: () => changed(),
      confirm: () => confirm()
    }) : null;
    function selectedStatus() {
      return statusRadios.find((radio) => radio.checked) ?? null;
    }
    function radioValue(name) {
      return workCard.querySelector(`input[name="${name}"]:checked`)?.value ?? "";
    }
    function setRadio(name, value) {
      for (const radio of findAll(workCard, `input[name="${name}"]`, HTMLInputElement)) {
        radio.checked = radio.value === value;
      }
    }
    function formatWhen(iso) {
      return new Intl.DateTimeFormat(lang, {
        weekday: "short",
        day: "2-digit",
        month: "2-digit",
        year: "numeric",
        hour: "2-digit",
        minute: "2-digit",
        timeZone: zone
      }).format(new Date(iso));
    }
    function isoOf(local) {
      const instant = zonedLocalToUtc(local, zone);
      return instant ? instant.toISOString() : local;
    }
    function showPanelFor(radio) {
      const type = radio ? radio.dataset.type : "";
      for (const panel of panels) panel.hidden = panel.dataset.panel !== type;
      for (const button of quickButtons) {
        button.setAttribute(
          "aria-pressed",
          String(!!radio && button.dataset.statusId === radio.value)
        );
      }
      for (const label of findAll(workCard, ".work-status", Element)) {
        label.classList.toggle("is-chosen", !!radio && label.contains(radio) && radio.checked);
      }
    }
    function chooseStatus(radio, fromDraft) {
      const previous = selectedStatus();
      radio.checked = true;
      showPanelFor(radio);
      if (cart) cart.allowOverride(radio.dataset.priceOverride === "true");
      if (agenda && radio.dataset.type === "T") agenda.show();
      if (!fromDraft && radio.dataset.type === "R" && (!previous || previous !== radio)) {
        setRadio("callback.visibility", radio.dataset.visibility || "private");
      }
    }
    function focusAfterChoice(radio) {
      const type = radio.dataset.type;
      let target = confirmButton;
      if (type === "R")
        target = workCard.querySelector('[data-preset="1h"]') ?? callbackAt;
      if (type === "C" && cart) cart.focus();
      else if (type === "T" && agenda) agenda.focus();
      else target?.focus();
    }
    for (const radio of statusRadios) {
      radio.addEventListener("change", () => {
        chooseStatus(radio, false);
        changed();
      });
    }
    for (const button of quickButtons) button.addEventListener("click", () => quick(button));
    function quick(button) {
      const radio = workCard.querySelector(
        `input[name="statusId"][value="${button.dataset.statusId ?? ""}"]`
      );
      if (!radio || busy) return;
      chooseStatus(radio, false);
      clearErrors();
      if (radio.dataset.type === "N") {
        confirm();
        return;
      }
      changed();
      focusAfterChoice(radio);
    }
    for (const radio of statusRadios) {
      radio.addEventListener("keydown", (event) => {
        if (event.key !== "Enter" || event.ctrlKey || event.metaKey) return;
        event.preventDefault();
        chooseStatus(radio, false);
        changed();
        focusAfterChoice(radio);
      });
    }
    for (const button of findAll(workCard, "[data-preset]")) {
      button.addEventListener("click", () => {
        if (!callbackAt) return;
        const now = /* @__PURE__ */ new Date();
        if (button.dataset.preset === "1h") {
          callbackAt.value = toZonedLocal(new Date(now.getTime() + 36e5), zone);
        } else {
          const local = toZonedLocal(now, zone);
          const day = new Date(Date.parse(`${local.slice(0, 10)}T00:00:00Z`) + 864e5);
          callbackAt.value = day.toISOString().slice(0, 10) + local.slice(10);
        }
        callbackAt.removeAttribute("aria-invalid");
        changed();
        confirmButton.focus();
      });
    }
    function answerInputs(selector) {
      return findAll(workCard, selector, Element).filter(
        (el) => el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement
      );
    }
    function collectAnswers() {
      const answers = {};
      for (const input of answerInputs("[data-answer]")) {
        const id = input.dataset.answer ?? "";
        if (input.type === "radio") {
          if (input instanceof HTMLInputElement && input.checked) answers[id] = input.value;
        } else if (input.value.trim() !== "") {
          answers[id] = input.value;
        }
      }
      return answers;
    }
    function draft() {
      const status = selectedStatus();
      return {
        notes: notes ? notes.value : "",
        answers: collectAnswers(),
        statusId: status ? Number(status.value) : null,
        callback: {
          at: callbackAt ? callbackAt.value : "",
          visibility: radioValue("callback.visibility"),
          notes: callbackNotes ? callbackNotes.value : ""
        },
        cart: cart ? cart.draft() : [],
        appointment: {
          agentId: appointmentAgent?.value ? Number(appointmentAgent.value) : null,
          startsAt: appointmentStart ? appointmentStart.value : "",
          notes: appointmentNotes ? appointmentNotes.value : "",
          acknowledgeOverlap: acknowledge ? acknowledge.checked : false
        }
      };
    }
    function restore(saved) {
      if (!isObject(saved)) return;
      const kept = saved;
      if (notes && typeof kept.notes === "string") notes.value = kept.notes;
      const answers = isObject(kept.answers) ? kept.answers : {};
      for (const [id, answer] of Object.entries(answers)) {
        for (const input of answerInputs(`[data-answer="${id}"]`)) {
          if (input instanceof HTMLInputElement && input.type === "radio") {
            input.checked = input.value === answer;
          } else {
            input.value = String(answer);
          }
        }
      }
      const callback = isObject(kept.callback) ? kept.callback : {};
      if (callbackAt && typeof callback.at === "string") callbackAt.value = callback.at;
      if (callbackNotes && typeof callback.notes === "string") callbackNotes.value = callback.notes;
      if (cart) cart.restore(kept.cart);
      const appointment = isObject(kept.appointment) ? kept.appointment : {};
      const agentId = appointment.agentId;
      if (appointmentAgent && (typeof agentId === "number" || typeof agentId === "string") && agentId) {
        appointmentAgent.value = String(agentId);
      }
      if (appointmentStart && typeof appointment.startsAt === "string") {
        appointmentStart.value = appointment.startsAt;
      }
      if (appointmentNotes && typeof appointment.notes === "string") {
        appointmentNotes.value = appointment.notes;
      }
      if (acknowledge) acknowledge.checked = appointment.acknowledgeOverlap === true;
      const radio = kept.statusId !== null && kept.statusId !== void 0 ? workCard.querySelector(
        `input[name="statusId"][value="${Number(kept.statusId)}"]`
      ) ?? null : null;
      if (radio) chooseStatus(radio, true);
      if (typeof callback.visibility === "string" && callback.visibility) {
        setRadio("callback.visibility", callback.visibility);
      } else if (radio && radio.dataset.type === "R") {
        setRadio("callback.visibility", radio.dataset.visibility || "private");
      }
    }
    let draftTimer;
    let draftDirty = false;
    let savingDraft = null;
    function setDraftState(state) {
      draftState.dataset.draftState = state;
      draftState.textContent = state === "saving" ? text("saving") : state === "saved" ? text("saved") : state === "failed" ? text("failed") : "";
    }
    function changed() {
      if (!cardActive) return;
      draftDirty = true;
      setDraftState("saving");
      window.clearTimeout(draftTimer);
      draftTimer = window.setTimeout(() => void saveDraft(), DRAFT_DELAY_MS);
    }
    function saveDraft(keepalive = false) {
      window.clearTimeout(draftTimer);
      draftTimer = void 0;
      if (!cardActive || !draftDirty) return savingDraft ?? Promise.resolve();
      draftDirty = false;
      const saving = api("PUT", `/${contactId}/draft`, { draft: draft() }, keepalive).then(
        () => {
          if (cardActive && !draftDirty) setDraftState("saved");
        },
        (error) => {
          if (!cardActive) return;
          if (error instanceof ApiError && error.status === 403) leaseLost();
          else {
            draftDirty = true;
            setDraftState("failed");
          }
        }
      );
      savingDraft = saving;
      return saving;
    }
    function clearFieldError(input) {
      const name = input.getAttribute("name");
      if (!name) return;
      input.removeAttribute("aria-invalid");
      const slot = workCard.querySelector(`[data-error-for="${name}"]`);
      if (slot) {
        slot.hidden = true;
        slot.textContent = "";
      }
    }
    workCard.addEventListener("input", (event) => {
      const target = targetOf(event);
      if (!target?.closest("[name], [data-answer]")) return;
      clearFieldError(target);
      changed();
    });
    workCard.addEventListener("change", (event) => {
      const target = targetOf(event);
      if (target?.getAttribute("name") === "statusId") return;
      if (!target?.closest("[name], [data-answer]")) return;
      clearFieldError(target);
      changed();
    });
    window.addEventListener("pagehide", () => {
      if (draftDirty) void saveDraft(true);
    });
    const heartbeat = window.setInterval(() => {
      if (!cardActive || busy) return;
      api("POST", `/${contactId}/heartbeat`).catch((error) => {
        if (error instanceof ApiError && error.status === 403) leaseLost();
      });
    }, HEARTBEAT_MS);
    function stopWorking() {
      cardActive = false;
      window.clearTimeout(draftTimer);
      window.clearInterval(heartbeat);
    }
    function leaseLost() {
      if (!cardActive) return;
      stopWorking();
      setDraftState("idle");
      confirmButton.disabled = true;
      showMessage(text("leaseLost"));
      nextButton.disabled = false;
      if (campaignSelect) campaignSelect.disabled = false;
    }
    function outcomeBody() {
      const status = selectedStatus();
      const body = { statusId: status ? Number(status.value) : 0 };
      const type = status ? status.dataset.type : "";
      const typed = [
        notes ? notes.value.trim() : "",
        type === "R" && callbackNotes ? callbackNotes.value.trim() : ""
      ].filter(Boolean).join("\n\n");
      if (typed) body.notes = typed;
      const answers = collectAnswers();
      if (Object.keys(answers).length) body.answers = answers;
      if (type === "R") {
        body.callback = {};
        if (callbackAt?.value) body.callback.at = isoOf(callbackAt.value);
        const visibility = radioValue("callback.visibility");
        if (visibility) body.callback.visibility = visibility;
      }
      if (type === "C") body.cart = cart ? cart.lines() : [];
      if (type === "T") {
        body.appointment = {};
        if (appointmentAgent?.value) body.appointment.agentId = Number(appointmentAgent.value);
        if (appointmentStart?.value) body.appointment.startsAt = isoOf(appointmentStart.value);
        if (appointmentNotes?.value.trim()) body.appointment.notes = appointmentNotes.value.trim();
        if (acknowledge?.checked) body.appointment.acknowledgeOverlap = true;
      }
      return body;
    }
    function confirm() {
      if (!cardActive || busy) return;
      clearErrors();
      const status = selectedStatus();
      if (!status) {
        const slot = workCard.querySelector('[data-error-for="statusId"]');
        if (slot) {
          slot.textContent = text("chooseStatus");
          slot.hidden = false;
        }
        const first = quickButtons[0] ?? statusRadios[0];
        if (first) first.focus();
        return;
      }
      if (status.dataset.type === "C" && cart && !cart.reviewed()) return;
      if (status.dataset.type === "T" && agenda && !agenda.reviewed()) return;
      busy = true;
      window.clearTimeout(draftTimer);
      confirmButton.setAttribute("aria-busy", "true");
      (savingDraft ?? Promise.resolve()).then(() => api("POST", `/${contactId}/outcome`, outcomeBody())).then((answer) => {
        stopWorking();
        showResult(answer.body ?? {});
        document.dispatchEvent(new Event("esito:work-changed"));
      }).catch((error) => {
        showError(error);
        if (cardActive && draftDirty) changed();
      }).finally(() => {
        busy = false;
        confirmButton.removeAttribute("aria-busy");
      });
    }
    confirmButton.addEventListener("click", confirm);
    function showResult(saved) {
      const status = saved.status ?? {};
      const color = status.color || "#888888";
      document.body.style.setProperty("--outcome-color", color);
      document.body.classList.add("work-tinted");
      result.style.setProperty("--status-color", color);
      result.style.setProperty("--status-ink", inkOn(color));
      find(result, '[data-result="code"]').textContent = status.code || "";
      find(result, '[data-result="label"]').textContent = status.label || "";
      const rows = {
        callback: saved.callback ? `${formatWhen(saved.callback.dueAt)} \xB7 ${saved.callback.visibility === "public" ? text("public") : text("private")}` : "",
        protocol: saved.contract ? saved.contract.protocolNumber : "",
        total: saved.contract ? money(cents(saved.contract.total)) : "",
        appointment: saved.appointment ? `${formatWhen(saved.appointment.startsAt)} \xB7 ${saved.appointment.agentName}${saved.appointment.overlaps ? ` (${text("overlaps")})` : ""}` : "",
        nextCall: saved.nextCallAt ? formatWhen(saved.nextCallAt) : "",
        state: strings[`state${capitalise(saved.contactState ?? "")}`] || saved.contactState || ""
      };
      for (const [key, value] of Object.entries(rows)) {
        find(result, `[data-result="${key}"]`).textContent = value;
        find(result, `[data-result-row="${key}"]`).hidden = !value;
      }
      workCard.hidden = true;
      if (dialog.open) dialog.close();
      result.hidden = false;
      nextButton.disabled = false;
      if (campaignSelect) campaignSelect.disabled = false;
      nextButton.focus();
    }
    function askStop() {
      if (!cardActive || busy || dialog.open) return;
      dialog.returnValue = "";
      dialog.showModal();
    }
    stopButton.addEventListener("click", askStop);
    dialog.addEventListener("close", () => {
      if (dialog.returnValue !== "discard") {
        stopButton.focus();
        return;
      }
      busy = true;
      stopWorking();
      api("POST", `/${contactId}/discard`).then(
        () => window.location.replace("/work"),
        (error) => {
          busy = false;
          showError(error);
        }
      );
    });
    document.addEventListener("keydown", (event) => {
      if (event.defaultPrevented || dialog.open) return;
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        if (cardActive) confirm();
        return;
      }
      if (event.key === "Escape") {
        if (cardActive) {
          event.preventDefault();
          askStop();
        }
        return;
      }
      if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      if (!cardActive) {
        const onPage = event.target === document.body || event.target === result;
        if (event.key === "n" || event.key === "N" || event.key === "Enter" && onPage) {
          event.preventDefault();
          nextContact();
        }
        return;
      }
      if (/^[1-9]$/.test(event.key)) {
        const button = workCard.querySelector(
          `.work-quick-btn[data-key="${event.key}"]`
        );
        if (button) {
          event.preventDefault();
          quick(button);
        }
      }
    });
    try {
      restore(JSON.parse(workCard.dataset.draft || "{}"));
    } catch {
    }
    if (!selectedStatus()) showPanelFor(null);
    setDraftState(workCard.dataset.draft && workCard.dataset.draft !== "{}" ? "saved" : "idle");
    byId("work-contact-name").focus();
  }

  // client/pages/work.ts
  startWorkstation();
  startNotices();
  startScreenPop();
})();
//# sourceMappingURL=work.js.map
