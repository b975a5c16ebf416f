// Arquero (npm arquero, the UMD bundle from node_modules) on the page's main thread, its usual home.

/** @type {any} */ let aq;
/** @type {any} */ let dt;

export async function boot() {
  await new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = new URL("../../node_modules/arquero/dist/arquero.min.js", import.meta.url).href;
    script.onload = resolve;
    script.onerror = () => reject(new Error("could not load arquero"));
    document.head.append(script);
  });
  aq = /** @type {any} */ (window).aq;
}

/** @param {ArrayBuffer} buffer */
export async function read(buffer) {
  dt = aq.fromCSV(new TextDecoder().decode(buffer));
  return dt.numRows();
}

const QUERIES = {
  groupby: () => dt.groupby("category")
    .rollup({ n: aq.op.count(), total: aq.op.sum("value"), mean_quantity: aq.op.mean("quantity") })
    .orderby("category"),
  filter_count: () => dt.filter((/** @type {any} */ d) => d.region === "North" && d.value > 500).numRows(),
  sort_top: () => dt.orderby(aq.desc("value"), "id").slice(0, 100).select("id", "value", "quantity", "category"),
  derive_sum: () => dt.derive({ revenue: (/** @type {any} */ d) => d.value * d.quantity })
    .groupby("region").rollup({ revenue: aq.op.sum("revenue") }).orderby("region"),
  pivot: () => dt.groupby("category").pivot("region", { quantity: aq.op.sum("quantity") }).orderby("category"),
};

export async function query(spec) {
  const result = QUERIES[spec.name]();
  if (typeof result === "number") return { count: result };
  const columns = result.columnNames();
  const data = columns.map((/** @type {string} */ c) => result.array(c));
  const rows = [];
  for (let r = 0; r < result.numRows(); r++) rows.push(data.map((/** @type {any} */ col) => col[r]));
  return { columns, rows };
}
