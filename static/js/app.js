// Every page: install the service worker (static/js/sw.js), ask it to keep what this page needs
// offline, and send what the phone kept of a session (static/js/offline-queue.js) as soon as
// there is a connection: on this page, and whenever the connection comes back.
import { currentUser, flush, prune, queued } from "./offline-queue.js";
import { t } from "./words.js";


// Scripts, styles, icons and pictures this page used, and the plan's pictures it will show.
function needed() {
  const urls = performance.getEntriesByType("resource").map((entry) => entry.name);
  for (const element of document.querySelectorAll("script[src], link[href], img[src]")) {
    urls.push(element.src || element.href);
  }
  for (const element of document.querySelectorAll("[data-offline-pictures]")) {
    urls.push(...element.dataset.offlinePictures.split(" ").filter(Boolean));
  }
  if (currentUser()) urls.push("/", "/program/", location.pathname);
  return urls.filter((url) => new URL(url, location.href).origin === location.origin);
}

async function install() {
  if (!("serviceWorker" in navigator)) return;
  try {
    await navigator.serviceWorker.register("/sw.js");
    const registration = await navigator.serviceWorker.ready;
    const worker = registration.active;
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data?.type === "kept") document.documentElement.dataset.offlineReady = "1";
    });
    worker?.postMessage({ type: "keep", urls: needed() });
  } catch {
    // No service worker (a private window, an old browser): the app works online as before.
  }
}

async function send() {
  if (!navigator.onLine || !window.indexedDB) return;
  try {
    if ((await queued()).length) await flush();
  } catch {
    // IndexedDB unavailable: nothing was kept, so nothing to send.
  }
}

window.addEventListener("online", () => {
  send();
  const banner = document.getElementById("offline-banner");
  if (banner && !banner.hidden) banner.textContent = t("You're back online. Reload the page to see the latest.");
});
install();
send();
if (window.indexedDB) prune().catch(() => {});
