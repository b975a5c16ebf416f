// Loupe through its real worker API (app/client.js + app/worker.js), exactly as the explorer talks to it.
import { LoupeClient } from "../../app/client.js";

/** @type {LoupeClient} */ let client;
/** @type {string} */ let table;

export async function boot() {
  client = new LoupeClient(new URL("../../app/worker.js", import.meta.url));
  await client.ready;
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
