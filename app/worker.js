// The Web Worker that runs Python. It boots the vendored Pyodide and the loupe wheel from the same place
// this file was served from, then answers {id, method, params} requests with {id, reply} where reply is
// the JSON text loupe._bridge.call returned. All Python runs here, so the page never freezes.

import { loadPyodide } from "../pyodide/pyodide.mjs";

const base = new URL("../", import.meta.url);
/** @type {(m: object) => void} */
const post = (message) => self.postMessage(message);
const progress = (stage, fraction) => post({ type: "progress", stage, fraction });

/** @type {any} */ let pyodide;
/** @type {any} */ let call;
/** @type {{wheel: string, xlsx_wheels: string[], version: string}} */ let build;
let xlsxLoaded = false;
/** @type {string} */ let sitePackages;
let uploads = 0;

async function fetchBytes(path) {
  const response = await fetch(new URL(path, base));
  if (!response.ok) throw new Error(`could not load ${path}: HTTP ${response.status}`);
  return response.arrayBuffer();
}

async function boot() {
  const started = performance.now();
  progress("Loading the Python runtime", 0.05);
  const buildInfo = fetch(new URL("build.json", base)).then((r) => r.json());
  pyodide = await loadPyodide({ indexURL: new URL("pyodide/", base).href, stdout: () => {}, stderr: () => {} });
  progress("Loading Loupe", 0.75);
  build = await buildInfo;
  sitePackages = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
  pyodide.unpackArchive(await fetchBytes(build.wheel), "wheel", { extractDir: sitePackages });
  progress("Starting Loupe", 0.9);
  const bridge = pyodide.pyimport("loupe._bridge");
  call = bridge.call;
  const runtime = bridge.runtime().toJs({ dict_converter: Object.fromEntries });
  pyodide.FS.mkdirTree("/uploads");
  post({ type: "ready", runtime, version: build.version, boot_ms: Math.round(performance.now() - started) });
}

// Excel support is a few hundred kB of wheels: load them only when an .xlsx is opened.
async function ensureXlsx() {
  if (xlsxLoaded) return;
  for (const wheel of build.xlsx_wheels) {
    pyodide.unpackArchive(await fetchBytes(wheel), "wheel", { extractDir: sitePackages });
  }
  xlsxLoaded = true;
}

/**
 * Put the file's bytes into the virtual file system (the fastest way into Python) and name the path.
 * @param {object} params
 * @param {ArrayBuffer} bytes
 */
async function stage(params, bytes) {
  const filename = String(params.filename ?? "data");
  if (/\.xls[xm]$/i.test(filename)) await ensureXlsx();
  const extension = (filename.match(/\.[A-Za-z0-9]{1,8}$/) ?? [""])[0];
  const path = `/uploads/${++uploads}${extension}`;
  pyodide.FS.writeFile(path, new Uint8Array(bytes));
  return { ...params, path, remove_after: true };
}

const ready = boot().catch((error) => {
  post({ type: "failed", message: String(error?.message ?? error) });
  throw error;
});

self.onmessage = async (event) => {
  const { id, method, params = {}, bytes } = event.data;
  try {
    await ready;
    let request = params;
    let name = method;
    if (method === "open_url") {
      const response = await fetch(new URL(params.url, params.base ?? base));
      if (!response.ok) throw new Error(`could not fetch ${params.url}: HTTP ${response.status}`);
      request = await stage({ ...params, filename: params.filename ?? params.url.split("/").pop() },
        await response.arrayBuffer());
      name = "open";
    } else if (bytes) {
      request = await stage(params, bytes);
    }
    post({ id, reply: call(name, JSON.stringify(request)) });
  } catch (error) {
    const message = String(error?.message ?? error);
    post({ id, reply: JSON.stringify({ ok: false, error: { code: "runtime", message, text: message } }) });
  }
};
