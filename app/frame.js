// frame.html: one <loupe-view> filling the page, for hosts that embed Loupe with an <iframe> instead of
// running its scripts. What it shows comes from the URL (a document as `?doc=` or a share link's
// `#loupe=1.` fragment; `src`, `pipeline`, `chart`, `show`, `theme` as the widget's attributes), and
// the host can drive it with postMessage (app/frame-messages.js says which messages).
//
// The frame talks to one parent at one origin, the one `?origin=` names (its own origin without it): a
// message counts only when its source is window.parent AND its origin is that origin, and then only
// when its shape is valid (else an error goes back). Replies go to that origin, never to "*", so a
// page that framed us under another origin's name hears nothing. RELIABILITY 51.

import { LoupeViewElement } from "./loupe-view-element.js";
import { LINK_KEY, LinkError, decodeDocument, hasDocument } from "./share.js";
import { activeTable, sourceOf } from "./store.js";
import { MessageError, frameMessage, isFrameMessage, readMessage } from "./frame-messages.js";

/** @typedef {import("./store.js").LoupeDocument} LoupeDocument */

const SAMPLE = "sample/sales.csv";
const ATTRIBUTES = ["pipeline", "chart", "show", "theme"]; // query parameters set as the widget's own

/** A problem with the frame's own URL or a request, in words. */
class FrameError extends Error {
  /** @param {string} message @param {string} cause */
  constructor(message, cause) {
    super(message);
    this.cause = cause;
  }
}

LoupeViewElement.define();
const view = /** @type {LoupeViewElement} */ (document.querySelector("loupe-view"));
const statusPart = /** @type {HTMLElement} */ (document.querySelector("#frame-status"));
const params = new URLSearchParams(location.search);
const framed = window.parent !== window;

/** The one origin the frame talks to: exactly an origin in `?origin=`, else the frame's own. */
function hostOrigin() {
  const named = params.get("origin");
  if (named === null) return location.origin;
  let origin = "null";
  try {
    origin = new URL(named).origin;
  } catch {
    // not a URL at all: refused below
  }
  if (origin === "null" || origin !== named.replace(/\/$/, "")) {
    throw new FrameError(`The origin parameter "${named}" is not an origin (write it as https://blog.example, without a path).`, "origin");
  }
  return origin;
}

/** `src` as a URL the frame may read: on its own origin or its host's, nowhere else. @param {string} src @param {string} host */
function dataURL(src, host) {
  const url = new URL(src, document.baseURI);
  if (url.origin !== location.origin && url.origin !== host) {
    throw new FrameError(`The frame reads data only from its own origin (${location.origin}) or its host's (${host}), not from ${url.origin}.`, "src");
  }
  return url.href;
}

/** Show a document: its active table's source (or `src`, or the sample), steps, chart and theme. @param {LoupeDocument} doc @param {string} host */
function showDocument(doc, host) {
  const table = activeTable(doc);
  const source = table ? sourceOf(doc, table.name) : null;
  const selected = doc.charts[doc.view.chart ?? -1];
  const chart = selected?.table === table?.name ? selected : doc.charts.find((c) => c.table === table?.name);
  view.src = dataURL(params.get("src") ?? source?.url ?? SAMPLE, host);
  view.pipeline = table?.steps ?? [];
  view.chart = chart?.spec ?? null;
  view.theme = doc.view.theme ?? "light";
}

/** The document the URL holds (?doc= takes what follows `#loupe=` in a share link), or null. */
async function urlDocument() {
  const doc = params.get("doc");
  if (doc !== null) return decodeDocument(`${LINK_KEY}=${doc}`);
  if (hasDocument(location.hash)) return decodeDocument(location.hash);
  return null;
}

/** @param {string} text */
function say(text) {
  statusPart.textContent = text;
  statusPart.hidden = !text;
}

let host = location.origin;

/** Send the host a message, to its origin only. @param {string} type @param {object} [fields] */
function post(type, fields) {
  if (framed) window.parent.postMessage(frameMessage(type, fields), host);
}

/** @param {unknown} error @param {object} [extra] */
function postError(error, extra = {}) {
  const { message, cause } = /** @type {{message?: string, cause?: unknown}} */ (error ?? {});
  post("error", { message: String(message ?? error), cause: typeof cause === "string" ? cause : "frame", step: null, ...extra });
}

/** @param {string} why */
function ignore(why) {
  const root = document.documentElement;
  root.dataset.loupeIgnored = String(Number(root.dataset.loupeIgnored ?? 0) + 1); // for hosts' and tests' eyes
  console.warn(`Loupe frame: ignored ${why}`);
}

/** @param {{type: string, [field: string]: any}} message */
async function handle(message) {
  switch (message.type) {
    case "set-document":
      showDocument(message.document, host);
      break;
    case "set-pipeline":
      view.pipeline = message.pipeline;
      break;
    case "set-chart":
      view.chart = message.chart;
      break;
    case "get-result":
      post("result", { id: message.id, rows: await view.result() });
      break;
  }
}

/** @param {MessageEvent} event */
function onMessage(event) {
  if (!framed || event.source !== window.parent || event.origin !== host) {
    // Another window (a sibling frame, a popup, this frame itself) or the parent under another origin.
    ignore(`a message from ${event.origin || "an unknown origin"}: this frame listens only to its parent at ${host}`);
    return;
  }
  let message;
  try {
    message = readMessage(event.data);
  } catch (error) {
    if (!(error instanceof MessageError)) throw error;
    ignore(`a message from its host: ${error.message}`);
    const type = isFrameMessage(event.data) ? /** @type {any} */ (event.data).type : undefined;
    postError(new FrameError(`The frame refused a message: ${error.message}.`, "message"), { refused: typeof type === "string" ? type : null });
    return;
  }
  const id = message.type === "get-result" ? { id: message.id } : {};
  handle(message).catch((error) => postError(error, id));
}

async function start() {
  try {
    host = hostOrigin();
  } catch (error) {
    say(/** @type {Error} */ (error).message); // no host to tell: the page says it
    return;
  }
  addEventListener("message", onMessage);
  for (const [event, type] of [["loupe-ready", "ready"], ["loupe-change", "change"], ["loupe-select", "select"]]) {
    view.addEventListener(event, (e) => post(type, /** @type {CustomEvent} */ (e).detail));
  }
  view.addEventListener("loupe-error", (e) => {
    const { message, cause, step } = /** @type {CustomEvent} */ (e).detail;
    post("error", { message, cause, step });
  });
  try {
    const doc = await urlDocument();
    if (doc) showDocument(doc, host);
    else view.src = dataURL(params.get("src") ?? SAMPLE, host);
    for (const name of ATTRIBUTES) {
      const value = params.get(name);
      if (value !== null) view.setAttribute(name, value);
    }
  } catch (error) {
    if (!(error instanceof FrameError || error instanceof LinkError)) throw error;
    say(error.message);
    postError(error, { cause: error instanceof LinkError ? "document" : error.cause });
  }
}

start();
