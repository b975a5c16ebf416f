// Loupe through its real worker API (app/client.js + app/worker.js), exactly as the explorer talks to it.
import { LoupeClient } from "../../app/client.js";

/** @type {LoupeClient} */ let client;
/** @type {string} */ let table;

export async function boot() {
  client = await bootClient();
}

/**
 * A Loupe worker, booted. A first visit's worker then makes its start-up snapshot in a second Pyodide
 * (app/worker.js); boot ends when that is saved, so the timed steps never share the 2 cores and the
 * tab's memory with it (it is a one-off of the first visit, not part of any step's cost).
 * @returns {Promise<LoupeClient>}
 */
export async function bootClient() {
  const booted = new LoupeClient(new URL("../../app/worker.js", import.meta.url));
  const made = new Promise((resolve) => booted.addEventListener("snapshot", resolve, { once: true }));
  const ready = await booted.ready;
  // No event comes when the browser has no Cache Storage; a minute is far beyond any snapshot here.
  if (!ready.snapshot) await Promise.race([made, new Promise((resolve) => setTimeout(resolve, 60_000))]);
  return booted;
}

/** @param {ArrayBuffer} buffer */
export async function read(buffer) {
  const opened = await client.request("open", { session: "bench", filename: "orders.csv" }, buffer);
  table = opened.table;
  return opened.row_count;
}

/** The view method (count + a window of rows rendered as a table tree); the harness reads the tree. */
export async function query(spec) {
  const result = await client.request("view", { session: "bench", table, pipeline: spec.loupe });
  return spec.count_only ? { count: result.row_count } : { tree: result.table };
}

export { client };
