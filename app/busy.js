// What the worker is doing, next to the part it will change, for any request that takes longer than a
// moment: "Reading big.csv (48.2 MB) · 3.4 s · 42 %" above the table, "Running 3 steps · 1.2 s" above the chart
// (or the table when there is none), with Cancel. Built with tree.js's el() and textContent only.

import { el } from "./tree.js";

const SHOW_AFTER_MS = 300; // quicker requests pass without a flicker
const TICK_MS = 200;

/** @param {number} bytes */
function size(bytes) {
  const units = ["bytes", "kB", "MB", "GB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit ? value.toFixed(1) : value} ${units[unit]}`;
}

/**
 * Show a View's slow requests with their elapsed time and a Cancel button.
 * @param {import("./view.js").View} view
 */
export function attachBusy(view) {
  const label = el("span", { class: "busy-label" });
  const elapsed = el("span", { class: "busy-elapsed" });
  const cancel = el("button", { type: "button", class: "button small", "data-busy-cancel": "" }, "Cancel");
  const box = el("div", { class: "busy", role: "status", "aria-live": "polite" }, label, " ", elapsed, " ", cancel);
  box.hidden = true;
  /** @type {Set<{kind: string, label: string, size?: number, started: number}>} */
  const running = new Set();
  /** @type {number|undefined} */ let timer;

  function paint() {
    const [oldest] = running;
    if (!oldest) return;
    const seconds = (performance.now() - oldest.started) / 1000;
    if (seconds * 1000 < SHOW_AFTER_MS) return;
    // A read changes the table; a query the chart when there is one, else the table.
    const part = oldest.kind === "query" && view.chart && view.parts.chart && !view.parts.chart.hidden
      ? view.parts.chart : view.parts.table ?? view.parts.chart;
    if (part && box.nextElementSibling !== part) part.before(box);
    label.textContent = (oldest.size ? `${oldest.label} (${size(oldest.size)})` : oldest.label) + (note ? ` · ${note}` : "");
    const done = oldest.kind === "read" && percent !== null ? ` · ${percent} %` : "";
    elapsed.textContent = `· ${seconds.toFixed(1)} s${done}`;
    box.hidden = false;
    view.parts.root.dataset.loupeBusy = oldest.kind;
  }

  /** @type {number|null} the running read's percentage, from the worker's progress reports */
  let percent = null;
  let note = ""; // what the worker loads for this read, e.g. the large-data engine
  view.client.addEventListener("work", (event) => {
    percent = /** @type {CustomEvent} */ (event).detail.percent;
    note = /** @type {CustomEvent} */ (event).detail.note ?? note;
    if (!box.hidden) paint();
  });
  view.addEventListener("request", (event) => {
    if (!running.size) [percent, note] = [null, ""];
    running.add(/** @type {CustomEvent} */ (event).detail);
    if (timer !== undefined) return;
    timer = setInterval(paint, TICK_MS);
    setTimeout(paint, SHOW_AFTER_MS);
  });
  view.addEventListener("settled", (event) => {
    running.delete(/** @type {CustomEvent} */ (event).detail);
    if (running.size) return;
    clearInterval(timer);
    timer = undefined;
    box.hidden = true;
    delete view.parts.root.dataset.loupeBusy;
  });
  cancel.addEventListener("click", () => view.cancel());
  return box;
}
