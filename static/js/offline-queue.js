// What the phone keeps of a session (IndexedDB "creekside-offline"): every Done, skip, stop and
// finish, with the id the phone gave it (crypto.randomUUID) and the time it was pressed.
// "queued" ones are sent in order when there is a connection; the server stores each id once
// (programs/offline.py). "sent" ones stay a few days, so that a session page saved before them
// (static/js/sw.js) still shows where the session got to. Each action names its patient
// (<meta name="offline-user">): nobody else's actions are ever shown or sent.
const DB = "creekside-offline";
const STORE = "actions";
const KEEP_SENT_MS = 3 * 24 * 3600 * 1000;
export const HEADER = "X-Offline-Sync";
const channel = "BroadcastChannel" in window ? new BroadcastChannel(DB) : null;
const HINT = "creekside-offline-queued"; // localStorage: how many wait, for a sync answer
let opening = null;
let flushing = null;

export const currentUser = () =>
  document.querySelector('meta[name="offline-user"]')?.content || "";

export function newId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  // Plain http (no secure context): a version 4 UUID from random bytes.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function open() {
  opening ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => {
      const store = request.result.createObjectStore(STORE, { keyPath: "seq", autoIncrement: true });
      store.createIndex("id", "id", { unique: true });
    };
    request.onsuccess = () => {
      const db = request.result;
      db.onversionchange = () => {
        db.close(); // signing out deletes the database: don't hold it open
        opening = null;
      };
      resolve(db);
    };
    request.onerror = () => {
      opening = null;
      reject(request.error);
    };
  });
  return opening;
}

// Run work(store) in one transaction; resolve with what it returns once the transaction is done.
async function transact(mode, work) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    let result;
    Promise.resolve(work(tx.objectStore(STORE))).then((value) => {
      result = value;
    }, reject);
    tx.oncomplete = () => resolve(result);
    tx.onerror = tx.onabort = () => reject(tx.error);
  });
}

const request = (r) =>
  new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });

const mine = (rows) => rows.filter((a) => a.user === currentUser());

async function changed(detail = {}) {
  localStorage.setItem(HINT, String((await queued()).length));
  channel?.postMessage(detail);
}

/** How many actions wait to be sent, as last counted (synchronous, for the sign-out form). */
export const waitingHint = () => Number(localStorage.getItem(HINT)) || 0;

/** Call listener whenever another tab changes the actions. */
export function onChange(listener) {
  channel?.addEventListener("message", (event) => listener(event.data));
}

/** This patient's actions for a session, in the order they were made (dropped ones left out). */
export async function actions(session) {
  const rows = await transact("readonly", (store) => request(store.getAll()));
  return mine(rows).filter((a) => a.session === session && a.state !== "dropped");
}

export async function queued() {
  const rows = await transact("readonly", (store) => request(store.getAll()));
  return mine(rows).filter((a) => a.state === "queued");
}

/**
 * Keep an action; unless(earlier) may refuse it, in the same transaction, by returning true
 * (another tab already recorded that step). Returns whether it was kept.
 */
export async function record(action, unless = () => false) {
  const entry = { ...action, user: currentUser(), savedAt: Date.now() };
  const kept = await transact("readwrite", async (store) => {
    const earlier = mine(await request(store.getAll())).filter(
      (a) => a.session === entry.session && a.state !== "dropped",
    );
    if (earlier.some((a) => a.id === entry.id) || unless(earlier)) return false;
    store.add(entry);
    return true;
  });
  if (kept) await changed({ session: entry.session });
  return kept;
}

async function update(action, changes) {
  await transact("readwrite", async (store) => {
    const row = await request(store.get(action.seq));
    if (row) store.put({ ...row, ...changes, savedAt: Date.now() });
  });
}

/** Forget sent actions after a few days; the queue itself is kept until it is sent. */
export async function prune() {
  const cutoff = Date.now() - KEEP_SENT_MS;
  await transact("readwrite", async (store) => {
    for (const row of await request(store.getAll())) {
      if (row.state !== "queued" && row.savedAt < cutoff) store.delete(row.seq);
    }
  });
}

/** Sign-out: drop every action and every kept page. */
export async function clearAll() {
  localStorage.removeItem(HINT);
  const db = await opening?.catch(() => null);
  db?.close();
  opening = null;
  await request(indexedDB.deleteDatabase(DB)).catch(() => {});
  for (const name of await caches.keys()) {
    if (name.startsWith("creekside-")) await caches.delete(name);
  }
}

function csrfToken() {
  const cookie = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
  if (cookie) return cookie.slice("csrftoken=".length);
  try {
    return JSON.parse(document.body.getAttribute("hx-headers"))["x-csrftoken"];
  } catch {
    return "";
  }
}

// POST one action as htmx would; "applied", "duplicate", "conflict", "invalid" or why not sent.
async function send(action) {
  const body = new URLSearchParams(action.fields);
  body.set("client_id", action.id);
  body.set("logged_at", action.loggedAt);
  let response;
  try {
    response = await fetch(action.url, {
      method: "POST",
      body,
      credentials: "same-origin",
      redirect: "manual",
      headers: { "HX-Request": "true", "X-CSRFToken": csrfToken() },
    });
  } catch {
    return "offline";
  }
  const outcome = response.headers.get(HEADER);
  if (outcome) return outcome;
  if (response.type === "opaqueredirect" || response.headers.has("HX-Redirect")) return "signed-out";
  if (response.status === 404) return "gone";
  return "server"; // 403 (an old page's token), 5xx: try again later
}

/**
 * Send this patient's queue, oldest first, one at a time (one tab at a time, too); stop at the
 * first that can't be sent, so that nothing is ever sent out of order.
 * Resolves with { sent, conflicts, dropped, stopped } (stopped: why sending stopped, or "").
 */
export function flush() {
  flushing ??= (async () => {
    try {
      const run = () => sendAll();
      return await (navigator.locks ? navigator.locks.request(DB, run) : run());
    } finally {
      flushing = null;
    }
  })();
  return flushing;
}

async function sendAll() {
  const result = { sent: [], conflicts: [], dropped: [], stopped: "" };
  for (const action of await queued()) {
    const outcome = await send(action);
    if (["applied", "duplicate", "conflict"].includes(outcome)) {
      await update(action, { state: "sent", outcome });
      result.sent.push(action);
      if (outcome === "conflict") result.conflicts.push(action);
    } else if (outcome === "invalid" || outcome === "gone") {
      await update(action, { state: "dropped", outcome });
      result.dropped.push(action);
    } else {
      result.stopped = outcome;
      break;
    }
  }
  if (result.sent.length || result.dropped.length) await changed({ flushed: true });
  document.dispatchEvent(new CustomEvent("offline:flushed", { detail: result }));
  return result;
}
