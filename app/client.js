// The page's side of the worker protocol: one shared worker per page (several <loupe-view> widgets use
// it through their own sessions), requests with ids, replies as promises, boot progress as events.
//
// It also supervises the worker. A dead or wedged one (an error event, a reply that cannot be read,
// a fatal Python error, no acknowledgement within a few seconds of a request or ping sent while idle)
// is replaced: every pending request is rejected with a LoupeRequestError (code "worker"), a fresh
// worker starts (fast from the start-up snapshot), and a `restarted` event lets each View replay its
// sources and last finished view before any other request reaches the new worker. cancel() does the
// same on purpose: without cross-origin isolation nothing else can interrupt a busy worker.

/** @typedef {{code: string, message: string, text: string, hint?: string, step?: number, row?: number, column?: string}} LoupeErrorInfo */

import { bootstrapURL, scriptURL } from "./trusted.js";

export const RESTARTED_TEXT = "The Python engine stopped and was restarted; your work is kept";
export const CANCELLED_TEXT = "Cancelled; the previous view is back";
const PING_EVERY_MS = 2000; // an idle worker is asked whether it is alive this often
const PATIENCE_MS = 3000; // an idle worker acknowledges any message within this time, or is replaced

export class LoupeRequestError extends Error {
  /** @param {LoupeErrorInfo} info */
  constructor(info) {
    super(info.text || info.message);
    this.info = info;
  }
}

/**
 * @typedef {{resolve: Function, reject: Function}} Waiting
 * @typedef {{reason: "crash"|"cancel", at: number, ms: number, replays: Promise<unknown>[]}} Restart
 *   at: when the restart began (performance.now()); ms: from then until every View had replayed
 */

export class LoupeClient extends EventTarget {
  /** @param {URL} workerURL */
  constructor(workerURL) {
    super();
    this.url = workerURL;
    /** @type {Map<number, Waiting>} */
    this.pending = new Map();
    this.nextId = 1;
    this.restarts = 0;
    /** @type {{stage: string, fraction: number}} */
    this.progress = { stage: "Starting", fraction: 0 };
    /** @type {Promise<void>|null} while a restart replays, other requests wait for it */
    this.gate = null;
    /** @type {{id: number, timer: number}|null} the one message whose acknowledgement is awaited */
    this.watched = null;
    this.closed = false; // close(): released for good, never restarted
    this.start();
    this.pinger = setInterval(() => this.ping(), PING_EVERY_MS);
    if (globalThis.LOUPE_TEST === true) /** @type {any} */ (globalThis).__loupeClient = this;
  }

  /** Start a worker and listen to it (only to it: a replaced worker's late messages are ignored). */
  start() {
    const worker = createWorker(this.url);
    this.worker = worker;
    this.booted = false;
    // The worker names a request that arrived broken by the id after the last one it saw.
    worker.postMessage({ type: "hello", lastId: this.nextId - 1 });
    this.ready = new Promise((resolve, reject) => {
      worker.addEventListener("message", (event) => {
        if (this.worker !== worker) return;
        const message = event.data;
        if (message?.type === "ack" || message?.id !== undefined) this.unwatch(message.id);
        if (message?.type === "ack") return;
        if (message?.type === "progress") {
          this.progress = message;
          this.dispatchEvent(new CustomEvent("progress", { detail: message }));
        } else if (message?.type === "ready") {
          this.runtime = message;
          this.booted = true;
          resolve(message);
        } else if (message?.type === "work") {
          // How far the running request has got (a read's percentage), for the busy line.
          this.dispatchEvent(new CustomEvent("work", { detail: message }));
        } else if (message?.type === "snapshot") {
          this.dispatchEvent(new CustomEvent("snapshot", { detail: message }));
        } else if (message?.type === "failed") {
          reject(new Error(`Python could not start: ${message.message}`));
        } else if (message?.type === "fatal") {
          this.restart("crash");
        } else if (message?.id !== undefined) {
          this.settle(message);
        }
      });
      worker.addEventListener("error", (event) => {
        if (this.worker !== worker) return;
        if (!this.booted) reject(new Error(event.message || "worker failed"));
        else this.restart("crash");
      });
      // A reply that cannot be read: its request is lost, and which one is unknown.
      worker.addEventListener("messageerror", () => { if (this.worker === worker) this.restart("crash"); });
    });
  }

  /** @param {{id: number, reply: string, bytes?: ArrayBuffer}} message */
  settle(message) {
    const waiting = this.pending.get(message.id);
    if (!waiting) return;
    this.pending.delete(message.id);
    const reply = JSON.parse(message.reply);
    if (reply.ok && message.bytes) reply.result.bytes = message.bytes;
    if (reply.ok) waiting.resolve(reply.result);
    else waiting.reject(new LoupeRequestError(reply.error));
  }

  /**
   * Send one request; resolves with the result or rejects with a LoupeRequestError.
   * @param {string} method
   * @param {object} [params]
   * @param {ArrayBuffer|Blob} [data] the file to read: bytes are transferred, a File or Blob is
   *   passed by reference (structured clone shares it, nothing is copied) and read in slices there
   * @param {{replay?: boolean}} [options] replay: part of a restart's replay (does not wait for it)
   */
  async request(method, params = {}, data, options = {}) {
    if (this.gate && !options.replay) await this.gate;
    // Tests (and pages) may set a shorter time budget for every query (RELIABILITY 36).
    const budget = /** @type {any} */ (globalThis).LOUPE_BUDGET;
    const sent = typeof budget === "number" ? { ...params, budget } : params;
    const id = this.nextId++;
    const idle = this.pending.size === 0;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      try {
        if (data instanceof Blob) this.worker.postMessage({ id, method, params: sent, file: data });
        else this.worker.postMessage({ id, method, params: sent, bytes: data }, data ? [data] : []);
      } catch (error) {
        // DataCloneError: the parameters hold something that cannot be copied (a function, a DOM node).
        // The id never reached the worker, which numbers lost requests by the ids it saw: reuse it.
        this.pending.delete(id);
        if (this.nextId === id + 1) this.nextId = id;
        const why = String(/** @type {Error} */ (error)?.message ?? error).replace(/\.$/, "");
        const message = `the request could not be sent to the Python engine: ${why}`;
        const hint = "its parameters hold something that cannot be copied; the page is unchanged";
        reject(new LoupeRequestError({ code: "spec", message, hint, text: `${message}. Hint: ${hint}` }));
        return;
      }
      // The worker was idle, so it acknowledges at once; a busy one is trusted to its time budget.
      if (idle && this.booted && !this.watched) this.watch(id);
    });
  }

  /** @param {number} id */
  watch(id) {
    const timer = setTimeout(() => {
      // A page that was itself busy may not have read the acknowledgement yet: one more look.
      setTimeout(() => { if (this.watched?.id === id) this.restart("crash"); }, 50);
    }, PATIENCE_MS);
    this.watched = { id, timer };
  }

  /** @param {number} id */
  unwatch(id) {
    if (this.watched?.id !== id) return;
    clearTimeout(this.watched.timer);
    this.watched = null;
  }

  /**
   * Ask an idle worker whether it is alive (a dead one never acknowledges). A page or test that runs
   * its own long code inside the worker turns this off meanwhile (globalThis.LOUPE_PINGS = false).
   */
  ping() {
    if (/** @type {any} */ (globalThis).LOUPE_PINGS === false) return;
    if (this.booted && this.pending.size === 0 && !this.gate && !this.watched) {
      this.request("ping").catch(() => {});
    }
  }

  /**
   * Stop the busy worker and start a fresh one; the page goes back to its last finished view.
   * Terminating is the one way that works without cross-origin isolation (RELIABILITY 40).
   * @returns {boolean} whether there was anything to cancel
   */
  cancel() {
    if (this.pending.size === 0) return false;
    this.restart("cancel");
    return true;
  }

  /**
   * Stop for good (the last widget left): no more pings or restarts; what was pending is rejected
   * with code "released", which views take as "nothing to show", not as an error.
   */
  close() {
    this.closed = true;
    clearInterval(this.pinger);
    if (this.watched) clearTimeout(this.watched.timer);
    this.watched = null;
    this.worker.terminate();
    const message = "the worker was released";
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const { reject } of waiting) reject(new LoupeRequestError({ code: "released", message, text: message }));
  }

  /** Test hook (globalThis.__loupeClient when LOUPE_TEST is set): kill the worker as a crash would. */
  terminateForTest() {
    this.worker.terminate();
  }

  /** @param {"crash"|"cancel"} reason */
  restart(reason) {
    if (this.closed) return;
    const started = performance.now();
    this.worker.terminate();
    if (this.watched) clearTimeout(this.watched.timer);
    this.watched = null;
    this.restarts += 1;
    const info = reason === "cancel"
      ? { code: "cancelled", message: CANCELLED_TEXT, text: CANCELLED_TEXT }
      : { code: "worker", message: RESTARTED_TEXT, text: RESTARTED_TEXT };
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const { reject } of waiting) reject(new LoupeRequestError(info));
    /** @type {() => void} */ let open = () => {};
    const gate = new Promise((resolve) => { open = () => resolve(undefined); });
    this.gate = gate;
    this.start();
    this.ready.then(async () => {
      /** @type {Restart} */
      const detail = { reason, at: started, ms: 0, replays: [] };
      this.dispatchEvent(new CustomEvent("restarted", { detail }));
      await Promise.allSettled(detail.replays);
      detail.ms = Math.round(performance.now() - started);
      this.dispatchEvent(new CustomEvent("replayed", { detail }));
    }, () => {}).finally(() => {
      if (this.gate === gate) this.gate = null;
      open();
    });
  }
}

/**
 * A module worker from our own origin, or, when the assets live on another origin (the widget on someone
 * else's page), a same-origin blob worker that imports ours (the asset host must send CORS headers).
 * @param {URL} url
 */
function createWorker(url) {
  // A page may opt out of start-up snapshots (globalThis.LOUPE_SNAPSHOTS = false); the name tells the worker.
  const options = { type: /** @type {const} */ ("module"), name: globalThis.LOUPE_SNAPSHOTS === false ? "loupe-no-snapshot" : "loupe" };
  // Both URLs pass the "loupe" Trusted Types policy (app/trusted.js): a plain string would be refused.
  if (url.origin === location.origin) return new Worker(scriptURL(url), options);
  return new Worker(bootstrapURL(url), options);
}

/** @type {Map<string, LoupeClient>} */
const clients = new Map();

/** The page's shared client for the worker next to this module (created on first use). */
export function sharedClient() {
  const url = new URL("./worker.js", import.meta.url);
  let client = clients.get(url.href);
  if (!client) {
    client = new LoupeClient(url);
    clients.set(url.href, client);
  }
  return client;
}
