// bench/insight.py inside Pyodide under Node (the page's runtime): what a trend or forecast adds to a
// chart next to the chart's own query, with the repository mounted as in tests/pyodide/run.mjs.
//   node bench/insight_pyodide.mjs [--rows 100000] [--repeat 5]
//   node bench/insight_pyodide.mjs bench/changes.py [--rows 100000]   # another bench script the same way
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadPyodide } from "pyodide";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const pyodide = await loadPyodide();
const extractDir = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
for (const dir of [join(root, ".cache", "wheels")].filter((d) => existsSync(d))) {
  for (const name of readdirSync(dir).filter((n) => n.endsWith(".whl")).sort()) {
    pyodide.unpackArchive(new Uint8Array(readFileSync(join(dir, name))), "wheel", { extractDir });
  }
}
pyodide.FS.mkdirTree("/repo");
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root }, "/repo");
const given = process.argv.slice(2);
const [script, ...rest] = given[0]?.endsWith(".py") ? given : ["bench/insight.py", ...given];
pyodide.globals.set("bench_args", pyodide.toPy(rest));
pyodide.globals.set("bench_script", script);
const code = await pyodide.runPythonAsync(`
import runpy, sys
sys.argv = [bench_script, *bench_args]
sys.path[:0] = ["/repo/py", "/repo"]
try:
    runpy.run_path("/repo/" + bench_script, run_name="__main__")
except SystemExit as exc:
    code = exc.code
code if "code" in dir() else 0
`);
process.exit(Number(code) || 0);
