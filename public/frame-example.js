// The host script of frame-example.html (a file: the page's policy allows no inline script). The same
// code as the page shows: talk to the frame's origin only, and listen only to that frame.
const frame = /** @type {HTMLIFrameElement} */ (document.querySelector("#loupe-frame"));
const loupe = new URL(frame.src).origin;
const log = /** @type {HTMLElement} */ (document.querySelector("#frame-log"));

/** @param {object} message */
const send = (message) => frame.contentWindow?.postMessage({ loupe: "frame", version: 1, ...message }, loupe);

addEventListener("message", (event) => {
  if (event.source !== frame.contentWindow || event.origin !== loupe) return;
  const message = event.data;
  if (message?.loupe !== "frame") return;
  const item = document.createElement("li");
  const said = { ready: `ready: ${message.rows} rows`, change: "change: the frame shows a new document",
    select: `select: ${message.column} = ${message.value}`, error: `error: ${message.message}`,
    result: `result ${message.id}: ${message.rows?.length} rows` };
  item.textContent = said[/** @type {keyof said} */ (message.type)] ?? message.type;
  log.append(item);
});

const on = (/** @type {string} */ id, /** @type {() => void} */ action) => document.querySelector(id)?.addEventListener("click", action);
on("#by-channel", () => send({ type: "set-chart", chart: { type: "bar", x: "channel", agg: "count" } }));
on("#by-region", () => send({ type: "set-chart", chart: { type: "bar", x: "region", y: "revenue", agg: "sum" } }));
let asked = 0;
on("#rows", () => send({ type: "get-result", id: ++asked }));
