// The guided session without a connection. The page carries every step still to do as a
// <template> (#offline-session, templates/programs/session_detail.html). Offline, or while
// earlier actions wait to be sent, Done, skip, "Stop: this hurts" and finish are kept on the
// phone (static/js/offline-queue.js) and the next step is drawn from those templates. Online,
// htmx posts as before with the action's id and time added, so a retry is never stored twice;
// when a post can't get through, the action is kept and sent later instead.
import { HEADER, actions, flush, newId, onChange, queued, record } from "./offline-queue.js";
import { t } from "./words.js";

// What the status line says, in English: status() shows them in the page's language.

const SAVED = "Saved on this phone; it will be sent when you are back online.";
const SENDING = "Sending what was saved on this phone…";
const SENT = "Sent: everything you did is saved.";
const ELSEWHERE =
  "Sent. Some of it was already saved from another device or tab, so we kept that.";
const DROPPED = "Sent, but one answer couldn't be saved. Please check this step.";
const SIGNED_OUT = "Sign in again to send what is saved on this phone.";
const STOPPED_TODAY = "We stopped for today. Two quick questions, then you're done.";
const POSTS = ["done", "skip", "stop", "stop-today", "finish"];
const RECORDED = ["applied", "duplicate", "conflict"];
const TIMEOUT = 15000; // ms: a post that hangs longer is kept on the phone instead
const RETRY = 20000; // ms between tries while the server can't be reached
const NOTE = "creekside-offline-note"; // sessionStorage: a message to show after a reload

const root = document.getElementById("offline-session");
const session = Number(root?.dataset.session);
const total = Number(root?.dataset.stepsTotal);
const steps = [...(root?.querySelectorAll("template[data-step]") ?? [])].map((t) => ({
  id: Number(t.dataset.step),
  exercise: t.dataset.exercise,
  name: t.dataset.name,
  label: t.dataset.label,
  stop: t.dataset.stop,
  template: t,
}));
const byId = (id) => steps.find((s) => s.id === id);
const inFlight = new WeakMap(); // element -> its action, while htmx sends it
let journal = []; // this session's actions kept on this phone, in order
let waiting = 0; // this patient's actions not sent yet
let ready = false;
let shown = { kind: "server", step: null }; // what the card shows
let retry = null;

// Where the session stands: the page's steps with the phone's actions applied in order.
function state(list = journal) {
  const pending = new Set(steps.map((s) => s.id));
  let finished = false;
  for (const action of list) {
    if (action.kind === "finish") finished = true;
    if (action.kind === "finish" || action.kind === "stop-today") pending.clear();
    if (action.kind === "stop") {
      const stopped = byId(action.step);
      for (const s of steps) if (s.exercise === stopped?.exercise) pending.delete(s.id);
    }
    pending.delete(action.step);
  }
  const next = steps.find((s) => pending.has(s.id)) ?? null;
  return { pending, next, finished, done: total - pending.size };
}

const defaultView = (s) =>
  s.finished ? { kind: "finished" } : s.next ? { kind: "step", step: s.next } : { kind: "finish" };

function stale(s) {
  if (s.finished) return shown.kind !== "finished";
  return shown.step !== null && !s.pending.has(shown.step);
}

function rename(fragment, which, name) {
  const element = fragment.querySelector(`[data-fill="${which}"]`);
  if (element) element.textContent = element.textContent.replace(steps[0].name, name);
}

function content(view, s) {
  const card = (name) => root.querySelector(`template[data-card="${name}"]`).content.cloneNode(true);
  if (view.kind === "step") return view.step.template.content.cloneNode(true);
  if (view.kind === "stop") {
    const fragment = card("stop");
    rename(fragment, "stop", view.step.name);
    const form = fragment.querySelector("form");
    form.action = view.step.stop;
    form.setAttribute("hx-post", view.step.stop);
    form.dataset.step = view.step.id;
    return fragment;
  }
  if (view.kind === "stopped") {
    const fragment = card("stopped");
    rename(fragment, "stopped", view.step.name);
    rename(fragment, "next", s.next.name);
    return fragment;
  }
  const fragment = card(view.kind);
  const sent = journal.some((a) => a.kind === "finish" && a.state === "sent");
  for (const p of fragment.querySelectorAll("[data-when]")) p.hidden = (p.dataset.when === "sent") !== sent;
  return fragment;
}

function progress({ next, done }) {
  const label = document.getElementById("progress-label");
  const bar = document.querySelector("#session-progress progress");
  if (!label || !bar) return;
  label.replaceChildren(
    next ? t("Step %(n)s of %(total)s", { n: done + 1, total }) : t("All %(total)s steps done", { total }),
  );
  if (next) {
    const detail = document.createElement("span");
    detail.className = "visually-hidden";
    detail.textContent = next.label;
    label.append(detail);
  }
  bar.value = done;
}

// Draw the card as the server would have sent it; afterAction: as after a swap (rest, focus).
function draw(view, { notice = "", rest = false, afterAction = false } = {}) {
  const s = state();
  const card = document.createElement("section");
  card.id = "step-card";
  card.className = "card step-card";
  card.setAttribute("aria-labelledby", "step-title");
  if (notice) {
    const p = document.createElement("p");
    p.className = "notice";
    p.setAttribute("role", "status");
    p.textContent = notice;
    card.append(p);
  }
  card.append(content(view, s));
  const timer = card.querySelector("[data-timer]");
  if (timer && !rest) timer.dataset.restAfter = "0";
  document.dispatchEvent(new CustomEvent("step-card:before-swap"));
  document.getElementById("step-card").replaceWith(card);
  window.htmx?.process(card);
  progress(s);
  shown = { kind: view.kind, step: view.step?.id ?? null };
  document.dispatchEvent(new CustomEvent("step-card:swapped", { detail: { target: card, afterAction } }));
}

function drawAfter(action) {
  const s = state();
  const options = { afterAction: true, rest: action.kind === "done" };
  if (action.kind === "finish") return draw({ kind: "finished" }, options);
  if (action.kind === "stop" && s.next) return draw({ kind: "stopped", step: byId(action.step) }, options);
  if (s.next) return draw({ kind: "step", step: s.next }, options);
  let notice = "";
  if (action.kind === "stop-today") notice = t(STOPPED_TODAY);
  if (action.kind === "stop") {
    notice = t("We stopped %(name)s. Your therapist will see it.", { name: byId(action.step).name });
  }
  return draw({ kind: "finish" }, { ...options, notice });
}

// Nothing left to send (this tab or another sent it): say so where the status said "waiting".
function settled() {
  const box = document.getElementById("offline-status");
  if (!waiting && [t(SAVED), t(SENDING)].includes(box?.textContent)) status(SENT);
}

function status(english) {
  const text = english && t(english);
  const box = document.getElementById("offline-status");
  if (!box || box.textContent === text) return;
  box.textContent = text;
  box.hidden = !text;
}

async function reload() {
  journal = await actions(session);
  waiting = (await queued()).length;
}

// Already done on this phone (in another tab, say)? Then the action is not kept again.
function alreadyDone(earlier, action) {
  const s = state(earlier);
  if (s.finished) return true;
  return action.step !== null && !s.pending.has(action.step);
}

async function act(action) {
  if (action.kind === "stop-open") {
    const step = byId(action.step);
    return step && draw({ kind: "stop", step }, { afterAction: true });
  }
  if (action.kind === "back") return draw(defaultView(state()), { afterAction: true });
  const kept = await record({ ...action, state: "queued" }, (earlier) => alreadyDone(earlier, action));
  await reload();
  if (kept) drawAfter(action);
  else draw(defaultView(state()), { afterAction: true });
  sync();
}

async function sync() {
  clearTimeout(retry);
  if (!waiting) return;
  if (!navigator.onLine) return status(SAVED);
  status(SENDING);
  await flush().catch(() => status(SAVED));
}

// The server's record differs from the phone's: show the server's, and say why after reloading.
function fromServer(message) {
  sessionStorage.setItem(NOTE, message);
  location.reload();
}

// After a queue was sent (from this page or from app.js on "online").
async function flushed({ detail }) {
  await reload();
  const ours = (list) => list.filter((a) => a.session === session).length;
  if (detail.stopped === "signed-out") status(SIGNED_OUT);
  else if (detail.stopped) status(SAVED);
  else if (ours(detail.dropped)) status(DROPPED);
  else if (ours(detail.conflicts)) status(ELSEWHERE);
  else settled();
  if (detail.stopped && detail.stopped !== "signed-out") retry = setTimeout(sync, RETRY);
  if (!waiting && ours(detail.dropped)) fromServer(DROPPED);
  else if (!waiting && ours(detail.conflicts)) fromServer(ELSEWHERE);
  else if (shown.kind === "finished") draw({ kind: "finished" });
}

function describe(elt, kind, detail) {
  const fields = [];
  for (const [name, value] of detail.formData?.entries() ?? []) {
    if (name !== "csrfmiddlewaretoken" && typeof value === "string") fields.push([name, value]);
  }
  return {
    id: newId(),
    session,
    kind,
    step: Number(elt.dataset.step) || null,
    url: elt.getAttribute("hx-post") || elt.getAttribute("hx-get"),
    fields,
    loggedAt: new Date().toISOString(),
  };
}

document.addEventListener("htmx:configRequest", (event) => {
  const elt = event.detail.elt;
  const kind = elt?.dataset?.offline;
  if (!ready || !kind || event.detail.errors?.length) return;
  const action = describe(elt, kind, event.detail);
  if (!navigator.onLine || waiting > 0) {
    event.preventDefault(); // kept on the phone, after what is already waiting
    act(action);
    return;
  }
  inFlight.set(elt, action);
  if (POSTS.includes(kind)) {
    event.detail.parameters.client_id = action.id;
    event.detail.parameters.logged_at = action.loggedAt;
    event.detail.timeout = TIMEOUT;
  }
});

document.addEventListener("htmx:beforeOnLoad", (event) => {
  const action = inFlight.get(event.detail.elt);
  inFlight.delete(event.detail.elt);
  const outcome = event.detail.xhr.getResponseHeader(HEADER);
  if (action && RECORDED.includes(outcome)) {
    record({ ...action, state: "sent", outcome }).then(reload, () => {});
  }
});

// Capture: before connection.js, which then leaves the "press again" message out.
for (const name of ["htmx:sendError", "htmx:timeout"]) {
  document.addEventListener(
    name,
    (event) => {
      const action = inFlight.get(event.detail.elt);
      if (!action) return;
      inFlight.delete(event.detail.elt);
      event.detail.queued = true;
      act(action);
    },
    true,
  );
}

document.addEventListener("htmx:afterSettle", (event) => {
  if (event.detail.target?.id !== "step-card") return;
  const step = document.querySelector("#step-card [data-offline][data-step]")?.dataset.step;
  shown = { kind: "server", step: step ? Number(step) : null };
});

async function start() {
  await reload();
  ready = true;
  const s = state();
  const step = document.querySelector("#step-card [data-offline][data-step]")?.dataset.step;
  shown = { kind: "server", step: step ? Number(step) : null };
  if (s.finished || s.done > Number(root.dataset.stepsDone)) draw(defaultView(s));
  status(sessionStorage.getItem(NOTE) || "");
  sessionStorage.removeItem(NOTE);
  document.documentElement.dataset.offlineSession = "ready";
  onChange(async () => {
    await reload();
    if (stale(state())) draw(defaultView(state()));
    if (waiting) status(navigator.onLine ? SENDING : SAVED);
    else settled();
  });
  document.addEventListener("offline:flushed", flushed);
  window.addEventListener("online", sync);
  window.addEventListener("offline", () => waiting && status(SAVED));
  sync();
}

if (root && window.indexedDB) {
  start().catch(() => {
    ready = false; // no IndexedDB (a private window, say): online only, as before
  });
}
