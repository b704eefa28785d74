// Step timers: hold countdown, tempo pacing and rest. Data comes from data-* on [data-timer];
// the Done button never depends on them. Loaded as a module (strict CSP: no inline script).
import { t, tn } from "./words.js";

const PREF_KEY = "creekside-timer-";
const GET_READY = 3;
const RELAX = 3; // seconds between the holds of one set
let running = null; // AbortController of the timer in progress
let audio = null;

const pref = (name) => localStorage.getItem(PREF_KEY + name) === "on";
const seconds = (n) => tn("1 second", "%(n)s seconds", n);
const repOf = (rep, reps) => t("Rep %(rep)s of %(reps)s", { rep, reps });

function announce(text) {
  const live = document.getElementById("timer-live");
  if (live) live.textContent = text;
}

function signal(long = false) {
  if (pref("vibrate") && navigator.vibrate) navigator.vibrate(long ? [200, 100, 200] : 120);
  if (!pref("sound")) return;
  try {
    audio ??= new AudioContext();
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = long ? 660 : 880;
    gain.gain.value = 0.15;
    osc.connect(gain).connect(audio.destination);
    osc.start();
    osc.stop(audio.currentTime + (long ? 0.4 : 0.12));
  } catch {
    // No audio: the spoken and visible count still work.
  }
}

function wait(ms, abort) {
  return new Promise((resolve, reject) => {
    if (abort.aborted) {
      reject(new DOMException("stopped", "AbortError"));
      return;
    }
    const id = setTimeout(resolve, ms);
    abort.addEventListener(
      "abort",
      () => {
        clearTimeout(id);
        reject(new DOMException("stopped", "AbortError"));
      },
      { once: true },
    );
  });
}

class Display {
  constructor(box) {
    this.text = box.querySelector("[data-timer-display]");
    this.count = box.querySelector("[data-timer-count]");
    this.bar = box.querySelector("[data-timer-bar]");
  }
  show(text, fraction = null) {
    this.text.textContent = text;
    // CSSOM writes are allowed under style-src 'self'; style="" attributes are not.
    if (this.bar) this.bar.style.width = fraction === null ? "0" : `${Math.round(fraction * 100)}%`;
  }
  // Which rep of the set, on its own line, so a count of seconds never reads as a rep number.
  rep(text = "") {
    if (this.count) this.count.textContent = text;
  }
}

async function countdown(display, total, label, abort, { speakEvery = 10 } = {}) {
  for (let left = total; left > 0; left -= 1) {
    display.show(t("%(label)s: %(left)s s", { label, left }), left / total);
    if (left !== total && (left % speakEvery === 0 || left <= 3)) announce(String(left));
    await wait(1000, abort);
  }
}

async function getReady(display, abort) {
  announce(t("Get ready"));
  for (let n = GET_READY; n > 0; n -= 1) {
    display.show(t("Get ready… %(n)s", { n }));
    if (n < GET_READY) announce(String(n));
    signal();
    await wait(1000, abort);
  }
}

const timers = {
  // Every hold of the set: hold, relax, hold… ("Rep 2 of 3").
  async hold(box, display, abort) {
    const hold = Number(box.dataset.hold);
    const reps = Math.max(1, Number(box.dataset.reps) || 1);
    await getReady(display, abort);
    for (let rep = 1; rep <= reps; rep += 1) {
      const which = reps > 1 ? repOf(rep, reps) : "";
      display.rep(which);
      const holdFor = t("Hold for %(time)s", { time: seconds(hold) });
      announce(which ? `${which}. ${holdFor}` : holdFor);
      signal(true);
      await countdown(display, hold, t("Hold"), abort);
      if (rep < reps) {
        announce(t("Relax"));
        signal();
        await countdown(display, RELAX, t("Relax"), abort, { speakEvery: RELAX + 1 });
      }
    }
    display.rep("");
    const done =
      reps > 1 ? t("Relax. Well done: that's %(n)s holds.", { n: reps }) : t("Relax. Well done.");
    display.show(done, 0);
    announce(done);
    signal(true);
  },
  // "Lower… 2 s… 3 s…": the seconds of the lowering add up on one line; the rep is above it.
  async tempo(box, display, abort) {
    const lower = Number(box.dataset.lower);
    const reps = Math.max(1, Number(box.dataset.reps) || 1);
    await getReady(display, abort);
    for (let rep = 1; rep <= reps; rep += 1) {
      display.rep(repOf(rep, reps));
      let text = t("Lower…");
      for (let s = 1; s <= lower; s += 1) {
        if (s > 1) text += ` ${t("%(s)s s…", { s })}`;
        display.show(text, s / lower);
        announce(s === 1 ? `${repOf(rep, reps)}. ${t("Lower…")}` : t("%(s)s s…", { s }));
        if (s === 1) signal();
        await wait(1000, abort);
      }
      display.show(t("Up"), 1);
      announce(t("Up"));
      await wait(1500, abort);
    }
    display.rep("");
    const count = tn("That's 1 rep.", "That's %(n)s reps.", reps);
    display.show(count, 0);
    announce(`${count} ${t("Press Done when you're ready.")}`);
    signal(true);
  },
  async rest(box, display, abort, total = Number(box.dataset.rest)) {
    display.rep("");
    announce(t("Rest for %(time)s. You can skip the rest.", { time: seconds(total) }));
    await countdown(display, total, t("Rest"), abort, { speakEvery: 15 });
    display.show(t("Rest over. Ready for the next set."), 0);
    announce(t("Rest over. Ready for the next set."));
    signal(true);
  },
};

function stopTimer() {
  running?.abort();
  running = null;
}

async function run(box, kind, total) {
  stopTimer();
  const abort = new AbortController();
  running = abort;
  const display = new Display(box);
  const stop = box.querySelector("[data-timer-stop]");
  stop.textContent = kind === "rest" ? t("Skip the rest") : t("Stop the timer");
  stop.hidden = false;
  box.classList.add("is-running");
  // A timer started over this one owns the box from then on: an aborted run's catch and
  // finally come after the new run has set the box up, so they must not touch it.
  const replaced = () => running !== null && running !== abort;
  try {
    await timers[kind](box, display, abort.signal, total);
  } catch (error) {
    if (error.name !== "AbortError") throw error;
    if (!replaced()) {
      display.rep("");
      display.show(kind === "rest" ? t("Rest skipped.") : t("Timer stopped."), 0);
    }
  } finally {
    if (running === abort) running = null;
    if (!replaced()) {
      stop.hidden = true;
      box.classList.remove("is-running");
    }
  }
}

function setUpPrefs(root) {
  const prefs = root.querySelector("[data-timer-prefs]");
  if (!prefs) return;
  for (const input of prefs.querySelectorAll("[data-pref]")) {
    input.checked = pref(input.dataset.pref);
    input.addEventListener("change", () => {
      localStorage.setItem(PREF_KEY + input.dataset.pref, input.checked ? "on" : "off");
      if (input.checked && input.dataset.pref === "sound") signal();
    });
  }
}

function setUp(root, { afterSwap = false } = {}) {
  const box = root.querySelector("[data-timer]");
  if (!box || box.dataset.ready) return;
  box.dataset.ready = "1";
  box.hidden = false;
  for (const button of box.querySelectorAll("[data-timer-start]")) {
    button.addEventListener("click", () => run(box, button.dataset.timerStart));
  }
  box.querySelector("[data-timer-stop]").addEventListener("click", stopTimer);
  setUpPrefs(box);
  const restAfter = Number(box.dataset.restAfter);
  if (afterSwap && restAfter > 0) run(box, "rest", restAfter);
}

function afterSwap(event) {
  const card = document.getElementById("step-card");
  if (!card || event.detail.target?.id !== "step-card") return;
  setUp(card, { afterSwap: true });
  // Keep keyboard and screen-reader users in the card when the focused control went away.
  if (!card.contains(document.activeElement)) card.querySelector("#step-title")?.focus();
}

document.addEventListener("htmx:beforeSwap", (event) => {
  if (event.detail.target?.id === "step-card") stopTimer();
});
document.addEventListener("htmx:afterSettle", afterSwap);
// session-offline.js draws the card from the page itself (offline): set it up the same way.
document.addEventListener("step-card:before-swap", stopTimer);
document.addEventListener("step-card:swapped", (event) => {
  if (event.detail.afterAction) afterSwap(event);
  else setUp(event.detail.target);
});
setUp(document);
