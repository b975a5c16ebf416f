// The Web Worker that runs Python. It boots the vendored Pyodide and the loupe wheel from the same place
// this file was served from, then answers {id, method, params} requests with {id, reply} where reply is
// the JSON text loupe._bridge.call returned. All Python runs here, so the page never freezes. Every
// request is acknowledged ({type: "ack", id}) as it starts and always answered, also when it arrived
// broken; a "ping" is answered at once, so the page can tell an idle worker from a dead one.
//
// Start-up: the first visit boots Pyodide normally; afterwards a helper worker (this file, started with
// the name "loupe-snapshot") boots a second Pyodide, imports Loupe and saves a memory snapshot in Cache
// Storage, keyed by the build version. Later visits boot from that snapshot: about a tenth of the time.
// A snapshot holds only Python's memory after imports, never a user's data; a bad one is dropped.

// trusted.js first: it must run before Pyodide's module does (see its note on importScripts).
import { scriptURL } from "./trusted.js";
import { loadPyodide } from "../pyodide/pyodide.mjs";

const base = new URL("../", import.meta.url);
const MAKING_SNAPSHOT = self.name === "loupe-snapshot";
const SNAPSHOT_CACHE = "snapshot-loupe"; // not "loupe-…": the service worker prunes those caches
// Modules the first request needs, and those Loupe imports on first use (exports, joins, trends and
// forecasts, did-you-mean hints) so a normal boot imports only what a first table needs: importing them
// before the snapshot makes them free on every later visit.
const WARM_IMPORTS = "import loupe._bridge, loupe.read.delimited, loupe.render.chart, loupe.profile, "
  + "loupe.service.exports, loupe.service.joins, loupe.insight.forecast, loupe.insight.trend, "
  + "loupe.insight.loess, loupe.write_xlsx, difflib, statistics";

/** @type {(m: object) => void} */
const post = (message) => self.postMessage(message);
const progress = (stage, fraction) => post({ type: "progress", stage, fraction });

/** @type {any} */ let pyodide;
/** @type {any} */ let call;
/** @type {{wheel: string, xlsx_wheels: string[], version: string, large: any}} */ let build;
/** @type {string} */ let sitePackages;
let xlsxLoaded = false;
/** @type {Promise<any>|null} the large-data engine (app/duckdb-bridge.js), imported on first use */
let duck = null;
// "auto" reads a CSV this large on DuckDB-WASM: past ~100 MB (a million rows or more) reading into SQLite
// takes many seconds and much of the worker's memory, while below it the ~9 MB engine is not worth fetching.
const LARGE_BYTES = 100_000_000;
let uploads = 0; // numbers each staged file's directory

async function fetchBytes(path) {
  const response = await fetch(new URL(path, base));
  if (!response.ok) throw new Error(`could not load ${path}: HTTP ${response.status}`);
  return response.arrayBuffer();
}

const snapshotKey = (version) => new URL(`snapshot-${version}.bin`, base).href;

/** The saved snapshot for this build, if this browser has one. */
async function savedSnapshot(version) {
  if (!("caches" in self)) return null;
  try {
    const cache = await caches.open(SNAPSHOT_CACHE);
    const hit = await cache.match(snapshotKey(version));
    return hit ? new Uint8Array(await hit.arrayBuffer()) : null;
  } catch {
    return null;
  }
}

async function forgetSnapshots() {
  if ("caches" in self) await caches.delete(SNAPSHOT_CACHE).catch(() => {});
}

/**
 * Make WORKERFS read each slice as a binary string instead of a fresh ArrayBuffer. V8 frees dead
 * ArrayBuffers only at a full collection, so reading a mounted file left most of its slices in memory
 * until the read ended (in a worker reading 200 MB in 1 MiB slices: +120 MB resident); strings live on
 * the JS heap, collected as it fills (+30 MB). The copy into Python's memory is the same one byte each.
 * @param {any} FS
 */
function readSlicesAsStrings(FS) {
  const workerfs = FS.filesystems.WORKERFS;
  workerfs.stream_ops.read = (stream, buffer, offset, length, position) => {
    if (position >= stream.node.size) return 0;
    const text = workerfs.reader.readAsBinaryString(stream.node.contents.slice(position, position + length));
    for (let i = 0; i < text.length; i++) buffer[offset + i] = text.charCodeAt(i);
    return text.length;
  };
}

/** Unpack the loupe wheel into site-packages (also after a snapshot: files live outside its memory). */
async function installLoupe(wheel) {
  sitePackages = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
  pyodide.unpackArchive(await wheel, "wheel", { extractDir: sitePackages });
}

async function boot() {
  const started = performance.now();
  progress("Loading the Python runtime", 0.05);
  build = await (await fetch(new URL("build.json", base))).json();
  const wheel = fetchBytes(build.wheel); // in parallel with the runtime
  const indexURL = new URL("pyodide/", base).href;
  const quiet = { stdout: () => {}, stderr: () => {} };
  const snapshot = self.name === "loupe-no-snapshot" ? null : await savedSnapshot(build.version);
  let fromSnapshot = false;
  if (snapshot) {
    try {
      pyodide = await loadPyodide({ indexURL, ...quiet, _loadSnapshot: snapshot });
      fromSnapshot = true;
    } catch (error) {
      console.warn("Loupe: saved start-up snapshot failed, booting normally:", error);
      await forgetSnapshots();
    }
  }
  if (!pyodide) pyodide = await loadPyodide({ indexURL, ...quiet });
  readSlicesAsStrings(pyodide.FS);
  progress("Loading Loupe", 0.75);
  await installLoupe(wheel);
  progress("Starting Loupe", 0.9);
  const bridge = pyodide.pyimport("loupe._bridge");
  call = bridge.call;
  const runtime = bridge.runtime().toJs({ dict_converter: Object.fromEntries });
  pyodide.FS.mkdirTree("/uploads");
  post({ type: "ready", runtime, version: build.version, snapshot: fromSnapshot,
    boot_ms: Math.round(performance.now() - started) });
  if (!fromSnapshot && self.name !== "loupe-no-snapshot") whenQuiet(startSnapshotMaker, 2000);
}

let running = 0; // requests being answered (pings aside)
let lastAnswered = 0;

/** Answer a request, counting it while it runs so background work can wait for a quiet worker. */
function tracked(event) {
  const counted = event.data?.method !== "ping" && event.data?.type !== "hello";
  if (counted) running += 1;
  answer(event).finally(() => {
    if (!counted) return;
    running -= 1;
    lastAnswered = performance.now();
  });
}

/**
 * Run `task` once no request has run for `quietMs`. The first visit's snapshot boots a second Pyodide:
 * started on a timer it competed with the user's first file for the two cores and the tab's memory.
 * @param {() => void} task @param {number} quietMs
 */
function whenQuiet(task, quietMs) {
  lastAnswered = performance.now();
  const check = () => {
    const quiet = performance.now() - lastAnswered;
    if (running === 0 && quiet >= quietMs) task();
    else setTimeout(check, Math.max(250, quietMs - quiet));
  };
  setTimeout(check, quietMs);
}

/** After a normal boot, make a snapshot for next time in a helper worker, off this worker's thread. */
function startSnapshotMaker() {
  if (!("caches" in self) || typeof Worker === "undefined") return;
  const maker = new Worker(scriptURL(import.meta.url), { type: "module", name: "loupe-snapshot" });
  maker.onmessage = (event) => {
    if (event.data?.type === "snapshot") {
      post({ type: "snapshot", saved: event.data.saved, bytes: event.data.bytes });
      maker.terminate();
    }
  };
  maker.onerror = () => maker.terminate();
}

/** The helper worker's whole job: boot for a snapshot, import Loupe, save the snapshot, report. */
async function makeSnapshot() {
  try {
    build = await (await fetch(new URL("build.json", base))).json();
    pyodide = await loadPyodide({ indexURL: new URL("pyodide/", base).href, _makeSnapshot: true,
      stdout: () => {}, stderr: () => {} });
    await installLoupe(fetchBytes(build.wheel));
    pyodide.runPython(WARM_IMPORTS);
    const snapshot = pyodide.makeMemorySnapshot();
    await forgetSnapshots(); // only the current build's snapshot is kept
    const cache = await caches.open(SNAPSHOT_CACHE);
    await cache.put(snapshotKey(build.version), new Response(snapshot));
    post({ type: "snapshot", saved: true, bytes: snapshot.length });
  } catch (error) {
    post({ type: "snapshot", saved: false, error: String(error) });
  }
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
 * Give Python the file a request reads, at a path of its own. A File or Blob is mounted read-only
 * (Pyodide's WORKERFS: each read Python makes is one FileReaderSync read of that slice, so the file is
 * never copied whole into this worker); bytes are written to the memory file system. `done()` removes
 * it. @param {object} params @param {Blob|ArrayBuffer} data
 */
async function stage(params, data) {
  const filename = String(params.filename ?? "data");
  if (/\.xls[xm]$/i.test(filename)) await ensureXlsx();
  const extension = (filename.match(/\.[A-Za-z0-9]{1,8}$/) ?? [""])[0];
  const dir = `/uploads/${++uploads}`;
  const name = `data${extension}`; // not the user's name: it could hold a "/"
  const FS = pyodide.FS;
  FS.mkdirTree(dir);
  if (data instanceof Blob) {
    FS.mount(FS.filesystems.WORKERFS, { blobs: [{ name, data }] }, dir);
  } else {
    FS.writeFile(`${dir}/${name}`, new Uint8Array(data));
  }
  const done = () => {
    if (data instanceof Blob) FS.unmount(dir);
    else if (FS.analyzePath(`${dir}/${name}`).exists) FS.unlink(`${dir}/${name}`);
    FS.rmdir(dir);
  };
  return { request: { ...params, path: `${dir}/${name}` }, done };
}

/**
 * Give the large-data engine a file it should read (Reading options' Engine: "duckdb", or "auto" and a
 * CSV of LARGE_BYTES or more): DuckDB-WASM reads the Blob itself; Python is told its registered name.
 * null: SQLite reads it (stage). @param {any} params @param {Blob|ArrayBuffer} data
 */
async function stageLarge(params, data) {
  const choice = params.options?.engine ?? "auto";
  const csv = /\.(csv|tsv|tab|txt)$/i.test(String(params.filename ?? ""));
  const size = data instanceof Blob ? data.size : data.byteLength;
  if (choice === "sqlite" || !(choice === "duckdb" || (choice === "auto" && csv && size >= LARGE_BYTES))) {
    return null;
  }
  if (!build.large) {
    throw new UrlError("this build of Loupe has no large-data engine (DuckDB-WASM)",
      "choose the SQLite engine in Reading options");
  }
  duck ??= import("./duckdb-bridge.js").then((m) => m.loadLarge({ pyodide, base, large: build.large, sitePackages, post }));
  duck.catch(() => { duck = null; }); // a failed load (offline before first use) is tried again next time
  const engine = await duck;
  const name = engine.register(data, (String(params.filename).match(/\.[A-Za-z]{1,4}$/) ?? [".csv"])[0]);
  return { request: { ...params, large_file: name }, done: () => engine.drop(name) };
}

/** The file name a URL ends in, without its query or fragment ("data.csv?x=1" -> "data.csv"). @param {string} url */
function fileNameOf(url) {
  const path = new URL(url, base).pathname;
  try {
    return decodeURIComponent(path.split("/").pop() || "data");
  } catch {
    return path.split("/").pop() || "data";
  }
}

/** A URL that gave no data file, with the reason in words and what to do (RELIABILITY 18, 19). */
class UrlError extends Error {
  /** @param {string} message @param {string} hint */
  constructor(message, hint) {
    super(message);
    this.hint = hint;
  }
}

const DROP_INSTEAD = "download the file and drop it here instead";
const URL_TIMEOUT_S = 30; // a server silent this long (no answer, or no more of the body) is given up on

/**
 * Give up on a fetch after `seconds` without progress: poke() on each sign of life (the answer, a chunk
 * of the body); `signal` aborts the fetch, and `fired` says the abort was this, not a network error.
 * @param {number} seconds
 */
function watchdog(seconds) {
  const control = new AbortController();
  const state = { signal: control.signal, fired: false, poke, stop: () => clearTimeout(timer) };
  /** @type {number|undefined} */ let timer;
  function poke() {
    clearTimeout(timer);
    timer = setTimeout(() => { state.fired = true; control.abort(); }, seconds * 1000);
  }
  poke();
  return state;
}

/**
 * Fetch a data file as a Blob: a network or CORS failure, an error status, a web page instead of data
 * (a login page, an error page, a redirect to another site) and a server that stops answering for
 * `seconds` (default 30) each get their own message.
 * @param {URL} url @param {number} [seconds]
 */
async function fetchData(url, seconds = URL_TIMEOUT_S) {
  const name = fileNameOf(url.href);
  const watch = watchdog(seconds);
  const silent = (/** @type {string} */ what) => new UrlError(
    `${name}: the server at ${url.host} ${what} in ${seconds} s`, `try again, or ${DROP_INSTEAD}`);
  let response;
  try {
    response = await fetch(url, { signal: watch.signal });
  } catch (error) {
    watch.stop();
    if (watch.fired) throw silent("did not answer");
    if (self.navigator.onLine === false) {
      throw new UrlError(`offline: ${name} cannot be fetched from ${url.host} without a network`,
        "connect to the network, or open a file from this machine");
    }
    // A server that answers, but not to other sites' scripts, refuses cross-site reads (CORS).
    const answers = url.origin !== self.location.origin
      && await fetch(url, { mode: "no-cors" }).then(() => true, () => false);
    if (answers) throw new UrlError(`the server at ${url.host} doesn't allow cross-site reads (CORS)`, DROP_INSTEAD);
    throw new UrlError(`could not reach ${url.host} for ${name} (${/** @type {Error} */ (error).message})`,
      "check the address and the connection");
  }
  watch.poke();
  const landed = new URL(response.url || url.href);
  const via = landed.host !== url.host ? ` (redirected to ${landed.host})` : "";
  if (!response.ok) {
    watch.stop();
    throw new UrlError(`could not fetch ${name}: the server at ${url.host} answered ${response.status}${via}`,
      "check the address");
  }
  if (/^text\/html\b/i.test(response.headers.get("content-type") ?? "") && !/\.html?$/i.test(name)) {
    watch.stop();
    throw new UrlError(`got an HTML page, not a CSV or other data file, from ${url.host}${via}`,
      `it may be a login or error page; ${DROP_INSTEAD}`);
  }
  // A Blob: the browser keeps the body (on disk when it is big), Python reads it in slices. Each chunk
  // that arrives keeps the watchdog quiet.
  const body = response.body?.pipeThrough(new TransformStream({ transform(chunk, out) { watch.poke(); out.enqueue(chunk); } }));
  try {
    return await (body ? new Response(body, { headers: response.headers }) : response).blob();
  } catch (error) {
    if (watch.fired) throw silent("sent nothing more");
    throw error;
  } finally {
    watch.stop();
  }
}

/** The id of the newest request seen: a message that failed to arrive is the one after it. */
let lastId = 0;

/** @param {number} id @param {string} code @param {string} message @param {string} [hint] */
function fail(id, code, message, hint) {
  const text = hint ? `${message}. Hint: ${hint}` : message;
  post({ id, reply: JSON.stringify({ ok: false, error: { code, message, text, ...(hint ? { hint } : {}) } }) });
}

/**
 * Answer one request. Everything, the unpacking too, is inside the try: a request that arrived as
 * null or garbage still gets a reply, so no promise on the page waits forever (RELIABILITY 41).
 * @param {MessageEvent} event
 */
async function answer(event) {
  let id = lastId + 1;
  try {
    const data = event.data;
    if (data?.type === "hello" && Number.isSafeInteger(data.lastId)) {
      lastId = data.lastId;
      return;
    }
    if (data === null || typeof data !== "object" || !Number.isSafeInteger(data.id)) {
      lastId = id;
      fail(id, "spec", "the request arrived empty: its parameters could not be copied to the Python engine",
        "they hold something too deeply nested or not copyable; the page is unchanged");
      return;
    }
    id = lastId = data.id;
    // Acknowledged at once: the page knows this worker is alive while the request runs.
    post({ type: "ack", id });
    if (data.method === "ping") {
      post({ id, reply: '{"ok":true,"result":{"pong":true}}' });
      return;
    }
    const { method, params = {}, bytes, file: upload } = data;
    if (typeof method !== "string" || params === null || typeof params !== "object") {
      throw new Error("a request arrived without a method or parameters");
    }
    await ready;
    let staged = null;
    let name = method;
    if (method === "open_url") {
      const seconds = Number.isFinite(params.timeout) && params.timeout > 0 ? params.timeout : URL_TIMEOUT_S;
      // A Blob: the browser keeps the body (on disk when it is big), Python reads it in slices.
      const blob = await fetchData(new URL(params.url, params.base ?? base), seconds);
      const named = { ...params, filename: params.filename ?? fileNameOf(params.url) };
      staged = (await stageLarge(named, blob)) ?? await stage(named, blob);
      name = "open";
    } else if (upload || bytes) {
      staged = (await stageLarge(params, upload ?? bytes)) ?? await stage(params, upload ?? bytes);
    } else if (method === "export") {
      // Python writes the export to a file; its bytes go to the page as a transfer, not a JSON string.
      const path = `/exports/${++uploads}`;
      pyodide.FS.mkdirTree("/exports");
      const reply = call(name, JSON.stringify({ ...params, path }));
      const file = pyodide.FS.analyzePath(path).exists ? pyodide.FS.readFile(path) : null;
      if (file) pyodide.FS.unlink(path);
      post({ id, reply, bytes: file?.buffer }, file ? [file.buffer] : []);
      return;
    }
    try {
      post({ id, reply: call(name, JSON.stringify(staged ? staged.request : params)) });
    } finally {
      try {
        staged?.done();
      } catch (error) {
        console.warn("Loupe: a staged file could not be removed:", error); // a fresh path is used next time
      }
    }
  } catch (error) {
    if (error instanceof UrlError) {
      fail(id, "read", error.message, error.hint);
      return;
    }
    const message = String(error?.message ?? error);
    fail(id, "runtime", message);
    // Pyodide cannot run again after a fatal error (a WebAssembly trap, its memory exhausted): ask
    // the page for a fresh worker (RELIABILITY 39).
    if (error?.pyodide_fatal_error || /fatally failed|fatal error/i.test(message)) {
      post({ type: "fatal", message });
    }
  }
}

/** A request that could not be copied into this worker (messageerror has no data): answer it anyway. */
function lost() {
  lastId += 1;
  fail(lastId, "spec", "the request could not be passed to the Python engine",
    "its parameters hold something that cannot be copied (e.g. nested too deeply); the page is unchanged");
}

let ready = Promise.resolve();
if (MAKING_SNAPSHOT) {
  makeSnapshot();
} else {
  ready = boot().catch((error) => {
    post({ type: "failed", message: String(error?.message ?? error) });
    throw error;
  });
  ready.catch(() => {}); // reported above; each request then replies with the boot's error
  self.onmessage = tracked;
  self.onmessageerror = lost;
}
