// Render time of every chart type through Loupe's API, inside Pyodide (the browser's WebAssembly runtime)
// under Node, on the benchmark's orders CSV: aggregation/binning in SQL plus layout in Python.
//   node bench/chart_times.mjs [rows ...]        (default 100000 1000000; needs dist/ and bench/data/)
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadPyodide } from "pyodide";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const build = JSON.parse(readFileSync(join(root, "dist", "build.json"), "utf8"));
const SPECS = [
  { type: "bar", x: "category", y: "value", agg: "sum" },
  { type: "column", x: "region", y: "quantity", agg: "sum", color: "category", mode: "stacked" },
  { type: "line", x: "date", y: "value", agg: "sum", time_unit: "month" },
  { type: "area", x: "date", y: "value", agg: "sum", color: "region", time_unit: "month" },
  { type: "scatter", x: "value", y: "quantity", color: "region" },
  { type: "histogram", x: "value", bins: 40 },
  { type: "heatmap", x: "region", y: "category", value: "quantity", agg: "sum" },
  { type: "box", x: "region", y: "value" },
];
const RUNS = 3;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const pyodide = await loadPyodide();
const site = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
pyodide.unpackArchive(new Uint8Array(readFileSync(join(root, "dist", build.wheel))), "wheel", { extractDir: site });
const call = pyodide.runPython("from loupe._bridge import call; call");
const rowsArg = process.argv.slice(2).map(Number);
const results = {};
for (const rows of rowsArg.length ? rowsArg : [100000, 1000000]) {
  const name = `orders-${rows}.csv`;
  pyodide.FS.writeFile(`/${name}`, new Uint8Array(readFileSync(join(root, "bench", "data", name))));
  const opened = JSON.parse(call("open", JSON.stringify({ session: String(rows), path: `/${name}`, filename: name, remove_after: true })));
  if (!opened.ok) throw new Error(opened.error.text);
  for (const spec of SPECS) {
    const times = [];
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now();
      const reply = JSON.parse(call("chart", JSON.stringify({ session: String(rows), chart: spec, width: 800 })));
      times.push(performance.now() - started);
      if (!reply.ok) throw new Error(`${spec.type}: ${reply.error.text}`);
    }
    (results[spec.type] ??= {})[rows] = median(times);
  }
  call("close", JSON.stringify({ session: String(rows) }));
}
const sizes = Object.keys(Object.values(results)[0]);
console.log(`| chart | ${sizes.map((n) => `${Number(n).toLocaleString("en-US")} rows`).join(" | ")} |`);
console.log(`|---|${sizes.map(() => "---:").join("|")}|`);
for (const [type, bySize] of Object.entries(results)) {
  console.log(`| ${type} | ${sizes.map((n) => `${Math.round(bySize[n])} ms`).join(" | ")} |`);
}
