// Sign out: drop everything kept offline (the queue, saved pages and pictures), so the next
// person on this phone sees none of it; sets still waiting are sent first. The server's answer
// also says Clear-Site-Data (creekside/webapp.py) for browsers that honour it.
import { clearAll, flush, queued, waitingHint } from "./offline-queue.js";
import { t } from "./words.js";

const UNSENT =
  "Some sets are saved on this phone but haven't reached the clinic yet. " +
  "If you sign out now, they will be lost. Sign out anyway?";

async function sendThenSignOut(form) {
  try {
    await flush();
    if ((await queued()).length && !window.confirm(t(UNSENT))) return;
    await clearAll();
  } catch {
    // Storage unavailable: Clear-Site-Data still clears it.
  }
  form.submit();
}

for (const form of document.querySelectorAll('form[action="/accounts/logout/"]')) {
  form.addEventListener("submit", (event) => {
    // Offline, the sign-out can't reach the server: keep everything (sw.js says so).
    if (!navigator.onLine || !window.indexedDB) return;
    if (!waitingHint()) {
      clearAll().catch(() => {}); // goes on while the browser signs out
      return;
    }
    event.preventDefault();
    sendThenSignOut(form);
  });
}
