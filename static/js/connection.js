// Tell the patient when a set could not reach the server. Sets already saved stay saved,
// and pressing Done again is safe: the server stores each set once.
const MESSAGE =
  "We couldn't save that set: the connection dropped. Your earlier sets are safe. " +
  "Check your signal or Wi-Fi, then press the button again.";

function alertBox() {
  return document.getElementById("connection-alert");
}

function show() {
  const box = alertBox();
  if (!box) return;
  box.textContent = MESSAGE;
  box.hidden = false;
}

function hide() {
  const box = alertBox();
  if (box && !box.hidden) {
    box.hidden = true;
    box.textContent = "";
  }
}

document.addEventListener("htmx:sendError", show);
document.addEventListener("htmx:responseError", show);
document.addEventListener("htmx:afterRequest", (event) => {
  if (event.detail.successful) hide();
});
