// Creekside's service worker (served at /sw.js by creekside/webapp.py, scope "/").
// - Static files whose names carry a hash (collectstatic): from the cache first. Other static
//   files and exercise pictures: from the network, and from the cache when that fails.
// - Today, My plan and session pages: from the network; a copy is kept for when it fails, and
//   Today and My plan served from that copy say "Offline: showing what was saved at …".
// - Pages are kept per patient: the page names its patient in <meta name="offline-user">, and
//   a page for anyone else (or a signed-out page) drops every kept page first.
// Session actions made offline are the page's job (static/js/session-offline.js).
const FILES = "creekside-files-v1";
const PAGES = "creekside-pages-v1";
const USER_KEY = "/offline/user"; // in PAGES: whose pages these are
const WORDS_KEY = "/offline/words"; // in PAGES: the kept pages' language and words
const KEPT_PAGES = [/^\/$/, /^\/program\/$/, /^\/sessions\/\d+\/$/];
const BANNER_PAGES = ["/", "/program/"];
const BANNER = '<p id="offline-banner" class="offline-banner" role="status" hidden></p>';
const KEPT_HEADERS = [
  "content-type",
  "content-security-policy",
  "referrer-policy",
  "x-content-type-options",
  "x-frame-options",
  "permissions-policy",
  "cross-origin-opener-policy",
];
const NETWORK_WAIT = 8000; // ms before a kept page stands in for a network that hangs

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  const current = [FILES, PAGES];
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("creekside-") && !current.includes(name)) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

const isFile = (url) => url.pathname.startsWith("/static/") || url.pathname.startsWith("/media/");
const isHashed = (url) => url.pathname.startsWith("/static/") && /\.[0-9a-f]{12}\.\w+$/.test(url.pathname);
const isKept = (url) => KEPT_PAGES.some((pattern) => pattern.test(url.pathname));

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "GET" && isHashed(url)) {
    event.respondWith(fromCacheFirst(request));
  } else if (request.method === "GET" && isFile(url)) {
    event.respondWith(fromNetworkFirst(request));
  } else if (request.mode === "navigate" && request.method === "GET") {
    event.respondWith(page(event, url));
  } else if (request.mode === "navigate") {
    // A form sent without htmx (Start, the check-in, Sign out): offline, say so plainly.
    event.respondWith(fetch(request).catch(() => offlinePage("sent")));
  }
});

async function fromCacheFirst(request) {
  const cache = await caches.open(FILES);
  const hit = await cache.match(request, { ignoreVary: true });
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok && response.type === "basic") await cache.put(request, response.clone());
  return response;
}

async function fromNetworkFirst(request) {
  const cache = await caches.open(FILES);
  const hit = await cache.match(request, { ignoreVary: true });
  const network = fetch(request).then(async (response) => {
    if (response.ok && response.type === "basic") await cache.put(request, response.clone());
    return response;
  });
  if (!hit) return network;
  const slow = new Promise((resolve) => setTimeout(resolve, NETWORK_WAIT, null));
  return Promise.race([network, slow]).then((response) => response || hit, () => hit);
}

async function page(event, url) {
  const network = fetch(event.request);
  event.waitUntil(network.then((response) => keep(url, response.clone())).catch(() => {}));
  const kept = await keptPage(url);
  if (!kept) return network.catch(() => offlinePage("page"));
  const slow = new Promise((resolve) => setTimeout(resolve, NETWORK_WAIT, null));
  try {
    return (await Promise.race([network, slow])) || (await served(url, kept));
  } catch {
    return served(url, kept);
  }
}

// Keep a copy of a page as it came, stamped with when and for whom.
async function keep(url, response) {
  if (response.type !== "basic" || response.redirected) return;
  const type = response.headers.get("content-type") || "";
  if (!type.startsWith("text/html")) return;
  const html = await response.text();
  const user = (html.match(/<meta name="offline-user" content="([^"]*)">/) || [])[1] || "";
  const cache = await caches.open(PAGES);
  if (user !== (await keptUser(cache))) {
    await caches.delete(PAGES); // someone else's pages, or signed out: keep none of them
    if (!user) return;
    const fresh = await caches.open(PAGES);
    await fresh.put(USER_KEY, new Response(user));
  }
  if (user) await (await caches.open(PAGES)).put(WORDS_KEY, new Response(JSON.stringify(wordsIn(html))));
  if (!user || !response.ok || !isKept(url)) return;
  const headers = new Headers();
  for (const name of KEPT_HEADERS) {
    if (response.headers.has(name)) headers.set(name, response.headers.get(name));
  }
  headers.set("x-offline-saved-at", new Date().toISOString());
  headers.set("x-offline-user", user);
  await (await caches.open(PAGES)).put(url.pathname, new Response(html, { headers }));
}

async function keptUser(cache) {
  const hit = await cache.match(USER_KEY);
  return hit ? hit.text() : "";
}

async function keptPage(url) {
  if (!isKept(url)) return null;
  const cache = await caches.open(PAGES);
  const hit = await cache.match(url.pathname, { ignoreVary: true });
  if (!hit || hit.headers.get("x-offline-user") !== (await keptUser(cache))) return null;
  return hit;
}

// The words of a page (base.html's <script id="js-words">, static/js/words.js) and its language.
function wordsIn(html) {
  const json = (html.match(/<script id="js-words" type="application\/json">([^<]*)<\/script>/) || [])[1];
  const lang = (html.match(/<html lang="([^"]*)"/) || [])[1] || "en";
  try {
    return { lang, words: JSON.parse(json || "{}") };
  } catch {
    return { lang, words: {} };
  }
}

async function keptWords() {
  const hit = await (await caches.open(PAGES)).match(WORDS_KEY);
  return hit ? hit.json().catch(() => wordsIn("")) : wordsIn("");
}

// In the kept pages' language: t("Rest") as static/js/words.js has it, English as the fallback.
function translator({ words }) {
  return (text, values = {}) => {
    const found = typeof words[text] === "string" ? words[text] : text;
    return found.replace(/%\((\w+)\)s/g, (_, name) => String(values[name] ?? ""));
  };
}

const escapeHtml = (text) =>
  text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

// The kept page; Today and My plan say when they were saved.
async function served(url, kept) {
  if (!BANNER_PAGES.includes(url.pathname)) return kept;
  const savedAt = new Date(kept.headers.get("x-offline-saved-at"));
  const page = await kept.text();
  const words = wordsIn(page);
  const t = translator(words);
  const html = page.replace(
    BANNER,
    `<p id="offline-banner" class="offline-banner" role="status" data-saved-at="${savedAt.toISOString()}">` +
      `${escapeHtml(t("Offline: showing what was saved at %(when)s.", { when: when(savedAt, words.lang, t) }))}</p>`,
  );
  return new Response(html, { headers: kept.headers });
}

function when(date, lang, t) {
  const time = date.toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" });
  if (date.toDateString() === new Date().toDateString()) return time;
  const day = date.toLocaleDateString(lang, { weekday: "long", day: "numeric", month: "long" });
  return t("%(time)s on %(day)s", { time, day });
}

async function offlinePage(what) {
  const kept = await keptWords();
  const tr = translator(kept); // tr() leaves HTML in the words; t() escapes them
  const t = (text, values) => escapeHtml(tr(text, values));
  const words =
    what === "sent"
      ? t("You're offline, so that wasn't sent. Try again when you have a signal.")
      : t("You're offline, and this page isn't saved on this phone.");
  const links = {
    today: `<a href="/">${t("Today")}</a>`,
    plan: `<a href="/program/">${t("My plan")}</a>`,
  };
  const files = await caches.open(FILES);
  const css = (await files.keys()).find((r) => new URL(r.url).pathname.includes("/css/site."));
  const html = `<!doctype html><html lang="${escapeHtml(kept.lang)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${t("Offline")} · Creekside</title>
${css ? `<link rel="stylesheet" href="${css.url}">` : ""}</head><body><main id="main">
<h1>${t("You're offline")}</h1><p class="offline-banner">${words}</p>
<p>${tr("%(today)s and %(plan)s open from this phone.", links)}</p>
</main></body></html>`;
  return new Response(html, {
    status: 503,
    headers: { "content-type": "text/html; charset=utf-8" },
  });
}

// A page asks for what it will need offline: its scripts, styles and the plan's pictures.
self.addEventListener("message", (event) => {
  if (event.data?.type !== "keep") return;
  const done = keepAll(event.data.urls || []).then(() => event.source?.postMessage({ type: "kept" }));
  event.waitUntil(done);
});

async function keepAll(urls) {
  const files = await caches.open(FILES);
  for (const href of new Set(urls)) {
    const url = new URL(href, self.location.origin);
    if (url.origin !== self.location.origin) continue;
    try {
      if (isFile(url) && !(await files.match(url.href, { ignoreVary: true }))) {
        const response = await fetch(url.href);
        if (response.ok) await files.put(url.href, response);
      } else if (isKept(url) && !(await keptPage(url))) {
        await keep(url, await fetch(url.href));
      }
    } catch {
      // Offline again: the rest is kept on the next page.
    }
  }
}
