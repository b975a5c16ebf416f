// Loupe's large-data engine: the same worker API as loupe.js, the file read with Reading options'
// Engine "duckdb", so the pipeline runs on DuckDB-WASM inside Loupe's worker (app/duckdb-bridge.js).
// The engine's own load (~9 MB, once per worker) is part of boot, as DuckDB-WASM's is in duckdb.js.
import { bootClient } from "./loupe.js";

/** @type {import("../../app/client.js").LoupeClient} */ let client;
/** @type {string} */ let table;

export async function boot() {
  client = await bootClient(); // as loupe.js: boot ends once a first visit's snapshot is saved
  // A one-row CSV loads the engine, so the timed read is DuckDB reading the data, not its download.
  const warm = new TextEncoder().encode("x\n1\n").buffer;
  await client.request("open", { session: "warm", filename: "warm.csv", options: { engine: "duckdb" } }, warm);
}

/** @param {ArrayBuffer} buffer */
export async function read(buffer) {
  const opened = await client.request("open",
    { session: "bench", filename: "orders.csv", options: { engine: "duckdb" } }, buffer);
  table = opened.table;
  return opened.row_count;
}

/** The view method, as loupe.js: a count and a window of rows rendered as a table tree. */
export async function query(spec) {
  const result = await client.request("view", { session: "bench", table, pipeline: spec.loupe });
  return spec.count_only ? { count: result.row_count } : { tree: result.table };
}

export { client };
