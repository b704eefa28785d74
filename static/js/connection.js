// Tell the patient when a set could not be saved. Sets already saved stay saved,
// and pressing Done again is safe: the server stores each set once.
import { t } from "./words.js";

const DROPPED =
  "We couldn't save that set: the connection dropped. Your earlier sets are safe. " +
  "Check your signal or Wi-Fi, then press the button again.";
// The server answered with an error (4xx or 5xx): the connection is fine, so don't blame it.
const SERVER_ERROR =
  "Something went wrong on our side, so that set wasn't saved. Your earlier sets are safe. " +
  "Please press the button again. If it keeps happening, call the clinic.";

function alertBox() {
  return document.getElementById("connection-alert");
}

function show(message) {
  const box = alertBox();
  if (!box) return;
  box.textContent = message;
  box.hidden = false;
}

function hide() {
  const box = alertBox();
  if (box && !box.hidden) {
    box.hidden = true;
    box.textContent = "";
  }
}

document.addEventListener("htmx:sendError", (event) => {
  if (!event.detail.queued) show(t(DROPPED)); // queued: session-offline.js kept it on the phone
});
document.addEventListener("htmx:responseError", () => show(t(SERVER_ERROR)));
document.addEventListener("htmx:afterRequest", (event) => {
  if (event.detail.successful) hide();
});
