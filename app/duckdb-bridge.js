// The large-data engine's JavaScript half, loaded by the worker only when a large file is opened (never
// on a small file's visit: nothing imports this module statically). It boots DuckDB-WASM's in-thread
// ("blocking") build from dist/duckdb/ and hands Python (loupe.duckdb_wasm) a connection it calls
// synchronously: query(sql, paramsJSON) -> JSON text of the result's columns, or of the error.
// A File is registered by name and read by DuckDB in slices (FileReaderSync), never copied whole.

/**
 * @typedef {object} LargeBuild build.json's `large`: the module, the wasm and the Python archives
 * @property {string} module @property {string} wasm @property {string[]} wheels
 */

/**
 * A JSON-safe value: BigInts as numbers when exact, else as decimal text (Python makes them ints again,
 * the column's type says it is an integer); Arrow's other objects (dates) as numbers or text.
 * @param {unknown} value
 */
function plain(value) {
  if (typeof value === "bigint") {
    const number = Number(value);
    return Number.isSafeInteger(number) ? number : String(value);
  }
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === "object") return String(value);
  if (typeof value === "number" && !Number.isFinite(value)) return null;
  return value;
}

/** An Arrow table as {names, types, columns}: column by column, each value made plain. @param {any} table */
function columnsOf(table) {
  const fields = table.schema.fields;
  const columns = fields.map((/** @type {any} */ _field, /** @type {number} */ i) => {
    const vector = table.getChildAt(i);
    const out = new Array(table.numRows);
    for (let row = 0; row < table.numRows; row++) out[row] = plain(vector.get(row));
    return out;
  });
  return {
    names: fields.map((/** @type {any} */ f) => f.name),
    types: fields.map((/** @type {any} */ f) => String(f.type)),
    columns,
  };
}

/**
 * Boot DuckDB-WASM in this thread.
 * @param {URL} base where dist/ is served @param {LargeBuild} large
 */
export async function openDuckDB(base, large) {
  const duckdb = await import(new URL(large.module, base).href);
  const wasm = new URL(large.wasm, base).href;
  // Only the exceptions build is shipped: every browser Loupe supports runs it.
  const bundles = { mvp: { mainModule: wasm, mainWorker: null }, eh: { mainModule: wasm, mainWorker: null } };
  const db = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.BROWSER_RUNTIME);
  await db.instantiate(() => {});
  db.open({ query: { castBigIntToDouble: false, castDecimalToDouble: true } });
  const conn = db.connect();
  let files = 0;
  return {
    /** @param {string} sql @param {string} paramsJSON positional parameters ($1, $2 ...) */
    query(sql, paramsJSON) {
      try {
        const params = JSON.parse(paramsJSON);
        let table;
        if (params.length) {
          const statement = conn.prepare(sql);
          try {
            table = statement.query(...params);
          } finally {
            statement.close();
          }
        } else {
          table = conn.query(sql);
        }
        return JSON.stringify(columnsOf(table));
      } catch (error) {
        return JSON.stringify({ error: String(/** @type {Error} */ (error)?.message ?? error) });
      }
    },
    /**
     * Register a file for read_csv; returns the name to read it by. A File or Blob is read where it is
     * (FileReaderSync, slice by slice); bytes already in memory are handed over whole.
     * @param {Blob|ArrayBuffer} data @param {string} extension
     */
    register(data, extension) {
      const name = `loupe_upload_${++files}${extension}`;
      if (data instanceof Blob) {
        db.registerFileHandle(name, data, duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true);
      } else {
        db.registerFileBuffer(name, new Uint8Array(data));
      }
      return name;
    },
    /** @param {string} name */
    drop(name) {
      db.dropFile(name);
    },
  };
}

/**
 * Everything the large path needs, once per worker: sqlglot and Loupe's large-data modules unpacked
 * into Python's site-packages, DuckDB-WASM booted, its connection importable from Python as
 * `loupe_duckdb_wasm_bridge`. The busy message says what is loading (the first time it is ~9 MB).
 * @param {{pyodide: any, base: URL, large: LargeBuild, sitePackages: string, post: (m: object) => void}} where
 */
export async function loadLarge({ pyodide, base, large, sitePackages, post }) {
  post({ type: "work", stage: "engine", percent: null, note: "Loading the large-data engine (DuckDB-WASM)" });
  const archives = large.wheels.map(async (path) => {
    const response = await fetch(new URL(path, base));
    if (!response.ok) throw new Error(`could not load ${path}: HTTP ${response.status}`);
    return { path, bytes: await response.arrayBuffer() };
  });
  const bridge = await openDuckDB(base, large);
  for (const { path, bytes } of await Promise.all(archives)) {
    pyodide.unpackArchive(bytes, path.endsWith(".whl") ? "wheel" : "zip", { extractDir: sitePackages });
  }
  pyodide.registerJsModule("loupe_duckdb_wasm_bridge", bridge);
  pyodide.runPython("from loupe.duckdb_wasm import warm_up\nwarm_up()");
  post({ type: "work", stage: "engine", percent: null, note: "" });
  return bridge;
}
