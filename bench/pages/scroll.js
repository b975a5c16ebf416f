// Scrolling: a 100-row window at random offsets of a large result, fetched with the worker's "rows"
// method and painted with app/tree.js, timed from request to the next animation frame after insertion.
import { LoupeClient } from "../app/client.js";
import { renderInto } from "../app/tree.js";

const client = new LoupeClient(new URL("../app/worker.js", import.meta.url));
const container = /** @type {HTMLElement} */ (document.querySelector("#table"));
const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));

/** A small deterministic generator, so every run visits the same offsets. @param {number} seed */
function offsets(seed, count, total, window) {
  let state = seed >>> 0;
  const out = [];
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out.push(Math.floor((state / 2 ** 32) * (total - window)));
  }
  return out;
}

window.bench = {
  /** @param {string} url @param {{name: string, pipeline: object[]}[]} cases @param {number} count */
  async run(url, cases, count) {
    const buffer = await (await fetch(url)).arrayBuffer();
    let t = performance.now();
    const opened = await client.request("open", { session: "scroll", filename: "orders.csv" }, buffer);
    const out = { open_ms: performance.now() - t, rows: opened.row_count, cases: {} };
    for (const { name, pipeline, limit } of cases) {
      const params = { session: "scroll", table: opened.table, pipeline, limit };
      t = performance.now();
      const first = await client.request("view", params);
      renderInto(container, first.table);
      await frame();
      const firstMs = performance.now() - t;
      const windows = [];
      const requests = [];
      const paints = [];
      for (const offset of offsets(42, count, first.row_count, limit)) {
        t = performance.now();
        const result = await client.request("rows", { ...params, offset });
        requests.push(performance.now() - t);
        renderInto(container, result.table);
        await frame();
        windows.push(performance.now() - t);
        // The same table built and laid out again with no request and no frame wait: what the browser
        // alone needs for it (forced synchronously, so the frame clock does not count).
        t = performance.now();
        renderInto(container, result.table);
        void container.offsetHeight;
        paints.push(performance.now() - t);
      }
      out.cases[name] = { first_ms: firstMs, total: first.row_count, windows, requests, paints };
    }
    return out;
  },
};

client.ready.then(
  () => { document.documentElement.dataset.benchState = "ready"; },
  (error) => {
    document.documentElement.dataset.benchState = "error";
    document.querySelector("#status").textContent = String(error);
  },
);
