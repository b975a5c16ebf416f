// The page's side of the worker protocol: one shared worker per page (several <loupe-view> widgets use
// it through their own sessions), requests with ids, replies as promises, boot progress as events.

/** @typedef {{code: string, message: string, text: string, hint?: string, step?: number, row?: number, column?: string}} LoupeErrorInfo */

import { bootstrapURL, scriptURL } from "./trusted.js";

export class LoupeRequestError extends Error {
  /** @param {LoupeErrorInfo} info */
  constructor(info) {
    super(info.text || info.message);
    this.info = info;
  }
}

export class LoupeClient extends EventTarget {
  /** @param {URL} workerURL */
  constructor(workerURL) {
    super();
    /** @type {Map<number, {resolve: Function, reject: Function}>} */
    this.pending = new Map();
    this.nextId = 1;
    /** @type {{stage: string, fraction: number}} */
    this.progress = { stage: "Starting", fraction: 0 };
    this.worker = createWorker(workerURL);
    this.ready = new Promise((resolve, reject) => {
      this.worker.addEventListener("message", (event) => {
        const message = event.data;
        if (message.type === "progress") {
          this.progress = message;
          this.dispatchEvent(new CustomEvent("progress", { detail: message }));
        } else if (message.type === "ready") {
          this.runtime = message;
          resolve(message);
        } else if (message.type === "snapshot") {
          this.dispatchEvent(new CustomEvent("snapshot", { detail: message }));
        } else if (message.type === "failed") {
          reject(new Error(`Python could not start: ${message.message}`));
        } else if (message.id !== undefined) {
          this.settle(message);
        }
      });
      this.worker.addEventListener("error", (event) => reject(new Error(event.message || "worker failed")));
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
   * @param {object} params
   * @param {ArrayBuffer} [bytes] transferred, not copied
   */
  request(method, params, bytes) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, method, params, bytes }, bytes ? [bytes] : []);
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
