// Boots the same vendored Pyodide as app/worker.js (from dist/pyodide/) and answers with three rows.
import { loadPyodide } from "../pyodide/pyodide.mjs";

try {
  const pyodide = await loadPyodide({ indexURL: new URL("../pyodide/", import.meta.url).href });
  const rows = JSON.parse(pyodide.runPython(
    "import json; json.dumps([[i, i * i, 'row %d' % i] for i in range(3)])"));
  self.postMessage({ type: "ready", rows });
} catch (error) {
  self.postMessage({ type: "failed", message: String(error?.message ?? error) });
}
