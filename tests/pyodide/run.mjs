// Runs the data tests (reading, pipeline, verbs, expressions, rendering) inside the real WebAssembly
// runtime: Pyodide under Node, with the repository mounted and pytest unpacked from local wheels.
//   node tests/pyodide/run.mjs [pytest args]
import { existsSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadPyodide } from "pyodide";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
// pytest and hypothesis (tests/pyodide/fetch_wheels.py), and the app's own pinned wheels (build.py).
const wheelDirs = [join(root, ".cache", "pyodide-wheels"), join(root, ".cache", "wheels")];
// The suites that must behave identically in WebAssembly; browser and build tests stay on CPython.
const DEFAULT_TARGETS = ["tests/read", "tests/verbs", "tests/render", "tests/test_sql.py", "tests/test_engine.py",
  "tests/test_pipeline.py", "tests/test_expr.py", "tests/test_profile.py", "tests/test_export.py", "tests/test_export_formats.py",
  "tests/test_report.py", "tests/test_api.py",
  "tests/test_document.py", "tests/insight"];

const pyodide = await loadPyodide();
const extractDir = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
for (const dir of wheelDirs.filter((d) => existsSync(d))) {
  for (const name of readdirSync(dir).filter((n) => n.endsWith(".whl")).sort()) {
    pyodide.unpackArchive(new Uint8Array(readFileSync(join(dir, name))), "wheel", { extractDir });
  }
}
pyodide.FS.mkdirTree("/repo");
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root }, "/repo");
// ../shared holds public conformance data (csv-spectrum) that the reader tests use when present.
const shared = resolve(root, "../shared");
if (existsSync(shared)) {
  pyodide.FS.mkdirTree("/shared");
  pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: realpathSync(shared) }, "/shared");
}
const args = process.argv.slice(2);
const targets = args.length ? args : DEFAULT_TARGETS.filter((t) => {
  try { return pyodide.FS.analyzePath(`/repo/${t}`).exists; } catch { return false; }
});
// CI=true selects the derandomized Hypothesis profile (tests/conftest.py) here too.
if (process.env.CI) pyodide.runPython(`import os; os.environ["CI"] = ${JSON.stringify(process.env.CI)}`);
pyodide.globals.set("pytest_args", pyodide.toPy(["-p", "no:cacheprovider", "-q", ...targets]));
const code = await pyodide.runPythonAsync(`
import os, sys
os.chdir("/repo")
sys.path.insert(0, "/repo/py")
import pytest
print("Pyodide", sys.version.split()[0], "on", sys.platform)
int(pytest.main(list(pytest_args)))
`);
process.exit(code);
