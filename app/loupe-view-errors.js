// Why a <loupe-view> could not show its data, in words, naming the cause and what would fix it:
// a server that refuses other sites (CORS), a page whose Content-Security-Policy blocks WebAssembly or
// workers (the directive to add), a missing file. RELIABILITY 50 and 52.

import { LoupeRequestError } from "./client.js";

export const WASM_DIRECTIVE = "script-src 'wasm-unsafe-eval'";
export const WORKER_DIRECTIVE = "worker-src blob:";

/** The directives this page's Content-Security-Policy refused so far (the browser reports each). */
const refused = new Set();
if (typeof document !== "undefined") {
  document.addEventListener("securitypolicyviolation", (event) => refused.add(event.effectiveDirective));
}

/** An error the widget explains itself; `cause` is a short code for pages ("cors", "csp", "http", ...). */
export class WidgetError extends Error {
  /** @param {string} message @param {string} cause */
  constructor(message, cause) {
    super(message);
    this.cause = cause;
  }
}

const WASM_MAGIC = Uint8Array.of(0, 97, 115, 109, 1, 0, 0, 0); // the smallest valid module

/** @param {string} assets */
const wasmMessage = (assets) => new WidgetError(
  `This page's Content-Security-Policy blocks WebAssembly, which Loupe's Python needs: the site needs \`${WASM_DIRECTIVE}\` (and \`${WORKER_DIRECTIVE} ${assets}\`).`, "csp");

/**
 * Before starting a worker from another origin's assets (a blob worker, ruled by this page's policy):
 * can this page compile WebAssembly? A refused compile would leave the worker booting for ever.
 * @param {URL} assets where Loupe's files are
 */
export function preflight(assets) {
  if (assets.origin === location.origin) return null; // a worker of our own origin has its own policy
  try {
    new WebAssembly.Module(WASM_MAGIC);
    return null;
  } catch (error) {
    return /Content.Security|unsafe-eval/i.test(String(/** @type {Error} */ (error)?.message)) ? wasmMessage(assets.origin) : null;
  }
}

/** Can this page start a blob worker at all? */
function blobWorkerStarts() {
  return new Promise((resolve) => {
    try {
      const url = URL.createObjectURL(new Blob(["postMessage(1)"], { type: "text/javascript" }));
      const worker = new Worker(url);
      const done = (/** @type {boolean} */ ok) => { worker.terminate(); URL.revokeObjectURL(url); resolve(ok); };
      worker.onmessage = () => done(true);
      worker.onerror = () => done(false);
    } catch {
      resolve(false);
    }
  });
}

/**
 * Why Python could not start: the worker could not be created or could not load Loupe's script, or
 * WebAssembly was refused. The cause is found by small probes, since a worker's error says nothing.
 * @param {unknown} error @param {URL} assets where Loupe's files are
 */
export async function startupError(error, assets) {
  const text = String(/** @type {any} */ (error)?.message ?? error);
  if (/WebAssembly|wasm|unsafe-eval/i.test(text)) return wasmMessage(assets.origin);
  const foreign = assets.origin !== location.origin;
  const workers = `\`${WORKER_DIRECTIVE}${foreign ? ` ${assets.origin}` : ""}\``;
  const blocked = `This page's Content-Security-Policy blocks workers, which Loupe runs Python in: the site needs ${workers} (and \`${WASM_DIRECTIVE}\`).`;
  if (refused.has("worker-src") || /Content.Security|SecurityError/i.test(text)) return new WidgetError(blocked, "csp");
  if (/worker failed/.test(text) && foreign) {
    if (!(await blobWorkerStarts())) return new WidgetError(blocked, "csp");
    // A blob worker starts, so what failed is its import of Loupe's worker script from the asset host:
    // that host refuses other sites (CORS), or this page's policy does not list it for workers.
    const readable = await fetch(new URL("worker.js", assets), { mode: "cors" }).then((r) => r.ok, () => false);
    if (!readable) {
      return new WidgetError(`Loupe could not start: the server at ${assets.host} does not allow other sites to read Loupe's files (it must send Access-Control-Allow-Origin).`, "cors");
    }
    return new WidgetError(`This page's Content-Security-Policy blocks Loupe's worker script from ${assets.host}: the site needs ${workers} (and \`${WASM_DIRECTIVE}\`).`, "csp");
  }
  return new WidgetError(`Loupe could not start Python: ${text}`, "startup");
}

/**
 * Fetch a data file for the widget, with the reason in words when that fails.
 * @param {string} href an absolute URL
 * @returns {Promise<File>}
 */
export async function fetchFile(href) {
  const url = new URL(href);
  const name = decodeURIComponent(url.pathname.split("/").pop() || "data");
  let response;
  try {
    response = await fetch(url, { credentials: "same-origin" });
  } catch (error) {
    if (refused.has("connect-src")) {
      throw new WidgetError(`This page's Content-Security-Policy does not allow reading ${url.host}: the site needs \`connect-src ${url.origin}\`.`, "csp");
    }
    // A server that answers, but not to other sites' scripts, is CORS; one that does not answer is down.
    const answers = url.origin !== location.origin && await fetch(url, { mode: "no-cors" }).then(() => true, () => false);
    if (answers) {
      throw new WidgetError(`Could not read ${name}: the server at ${url.host} does not allow other sites to read this file (it sends no Access-Control-Allow-Origin header for ${location.origin}).`, "cors");
    }
    throw new WidgetError(`Could not reach the server at ${url.host} for ${name} (${/** @type {Error} */ (error).message}).`, "network");
  }
  if (!response.ok) {
    throw new WidgetError(`Could not read ${name}: the server at ${url.host} answered ${response.status} ${response.statusText}`.trim() + ".", "http");
  }
  return new File([await response.blob()], name, { type: response.headers.get("content-type") ?? "" });
}

/** The words and the cause of any error the widget shows. @param {unknown} error */
export function describe(error) {
  if (error instanceof WidgetError) return { message: error.message, cause: error.cause, info: null };
  if (error instanceof LoupeRequestError) return { message: error.info.text || error.message, cause: error.info.code, info: error.info };
  return { message: String(/** @type {any} */ (error)?.message ?? error), cause: "error", info: null };
}
