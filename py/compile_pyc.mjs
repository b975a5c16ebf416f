// Compiles a package's modules to bytecode with Pyodide's own Python (the browser's), under Node, for
// build.py: shipped in the wheel, they halve the time the worker spends importing Loupe on a cold start.
//   node py/compile_pyc.mjs DIR     writes DIR/**/__pycache__/*.cpython-3XX.pyc next to DIR's modules
// The pycs are "unchecked hash" (PEP 552): valid whatever the files' times after unpacking, and the same
// bytes on every build (a fixed hash seed; each build compiles in a fresh interpreter).
import { resolve } from "node:path";
import { loadPyodide } from "pyodide";

const dir = resolve(process.argv[2] ?? "");
const pyodide = await loadPyodide({ env: { PYTHONHASHSEED: "0" }, stdout: () => {}, stderr: console.error });
pyodide.FS.mkdirTree("/src");
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: dir }, "/src");
const ok = pyodide.runPython(`
import compileall, py_compile, sysconfig

# Tracebacks name the files where the worker unpacks the wheel.
compileall.compile_dir(
    "/src", ddir=sysconfig.get_path("purelib"), quiet=1,
    invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
)
`);
process.exit(ok ? 0 : 1);
