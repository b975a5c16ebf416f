// The widgets' one worker, held while at least one <loupe-view> is on the page: the first widget starts
// it, the last one to leave terminates it (its memory goes with it), and the next widget starts a new one.
// app/client.js's sharedClient() is the explorer's, kept for the page's lifetime; this is the widget's.

import { LoupeClient } from "./client.js";

const WORKER_URL = new URL("./worker.js", import.meta.url);

/** @type {LoupeClient|null} */ let client = null;
/** @type {Set<object>} */ const holders = new Set();

/**
 * The shared client, started if no widget holds one; `holder` keeps it alive until released.
 * Throws when the page cannot start a worker at all (a Content-Security-Policy without `worker-src blob:`).
 * @param {object} holder
 */
export function acquireClient(holder) {
  if (!client) client = new LoupeClient(WORKER_URL);
  holders.add(holder);
  return client;
}

/** Let go of the client; the last holder terminates the worker and fails what it still had pending. @param {object} holder */
export function releaseClient(holder) {
  holders.delete(holder);
  if (holders.size || !client) return;
  const old = client;
  client = null;
  old.close(); // no pings or restarts after this; pending requests end as "released"
}

/** How many widgets hold the worker (0: none is running). For pages and tests. */
export function workerHolders() {
  return client ? holders.size : 0;
}
