// DuckDB-WASM from node_modules (the EH bundle: Chromium has wasm exceptions), no CDN.
import * as duckdb from "../../node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser.mjs";

const dist = new URL("../../node_modules/@duckdb/duckdb-wasm/dist/", import.meta.url);
/** @type {any} */ let conn;
/** @type {any} */ let db;

export async function boot() {
  const worker = new Worker(new URL("duckdb-browser-eh.worker.js", dist));
  db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(new URL("duckdb-eh.wasm", dist).href);
  await db.open({ query: { castBigIntToDouble: true, castDecimalToDouble: true } });
  conn = await db.connect();
}

/** @param {ArrayBuffer} buffer */
export async function read(buffer) {
  await db.registerFileBuffer("orders.csv", new Uint8Array(buffer));
  await conn.query("CREATE TABLE t AS SELECT * FROM read_csv_auto('orders.csv')");
  const result = await conn.query("SELECT count(*) AS n FROM t");
  return Number(result.getChildAt(0).get(0));
}

/** @param {any} value */
function plain(value) {
  if (typeof value === "bigint") return Number(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (value !== null && typeof value === "object") return Number(value);
  return value;
}

export async function query(spec) {
  const table = await conn.query(spec.sql);
  const columns = table.schema.fields.map((/** @type {any} */ f) => f.name);
  const vectors = columns.map((/** @type {number} */ _, /** @type {number} */ i) => table.getChildAt(i));
  const rows = [];
  for (let r = 0; r < table.numRows; r++) rows.push(vectors.map((/** @type {any} */ v) => plain(v.get(r))));
  if (spec.count_only) return { count: rows[0][0] };
  return { columns, rows };
}
