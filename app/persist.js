// Saved work, in this browser's IndexedDB: documents (with the trees last shown, for an instant repaint
// on reload) and the bytes of local files up to MAX_SAVED_FILE_BYTES, keyed by their SHA-256. Storage can
// fail (private windows, a full disk, a browser that cleared it): every call then degrades to an unsaved
// session and says why once; nothing here throws into the page.

const DB_NAME = "loupe";
const DB_VERSION = 1;
export const MAX_SAVED_FILE_BYTES = 64 * 1024 * 1024;
export const MAX_RECENT = 20;
// Set once something was saved: finding it with an empty database means the browser cleared storage.
const SAVED_MARK = "loupe-saved";
const CURRENT_KEY = "loupe-current";

/** @typedef {import("./store.js").LoupeDocument} LoupeDocument */
/** @typedef {{id: string, title: string, updated: number, document: LoupeDocument, trees?: {table?: any, chart?: any}}} SavedDocument */

/** @param {IDBRequest|IDBTransaction} request */
function done(request) {
  return new Promise((resolve, reject) => {
    if ("oncomplete" in request) {
      request.oncomplete = () => resolve(undefined);
      request.onabort = request.onerror = () => reject(request.error ?? new Error("storage transaction aborted"));
    } else {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    }
  });
}

/** @param {unknown} error */
function describe(error) {
  const name = /** @type {any} */ (error)?.name;
  if (name === "QuotaExceededError") return `this browser's storage is full (${/** @type {any} */ (error).message})`;
  if (name === "InvalidStateError" || name === "SecurityError") return "this browser does not allow saving here (a private window?)";
  return `saving failed (${/** @type {any} */ (error)?.message ?? error})`;
}

export class Storage extends EventTarget {
  constructor() {
    super();
    /** @type {string|null} why work is not being saved, once it is known */
    this.unavailable = null;
    /** Whether saved work was expected but gone (the browser cleared storage). */
    this.cleared = false;
    /** @type {Promise<IDBDatabase|null>} */
    this.db = this.open();
  }

  /** @returns {Promise<IDBDatabase|null>} */
  async open() {
    try {
      if (!("indexedDB" in globalThis)) throw new Error("no IndexedDB");
      const request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains("documents")) db.createObjectStore("documents", { keyPath: "id" });
        if (!db.objectStoreNames.contains("files")) db.createObjectStore("files", { keyPath: "sha256" });
      };
      return /** @type {IDBDatabase} */ (await done(request));
    } catch (error) {
      this.fail(error);
      return null;
    }
  }

  /** Remember why saving stopped and tell the page once. @param {unknown} error */
  fail(error) {
    if (this.unavailable) return;
    this.unavailable = describe(error);
    // Told in a later task, so a listener added right after construction hears it too.
    const detail = this.unavailable;
    setTimeout(() => this.dispatchEvent(new CustomEvent("unavailable", { detail })), 0);
  }

  /**
   * @template T
   * @param {string[]} stores @param {IDBTransactionMode} mode
   * @param {(tx: IDBTransaction) => Promise<T>|T} work
   * @returns {Promise<T|null>}
   */
  async run(stores, mode, work) {
    const db = await this.db;
    if (!db) return null;
    try {
      const tx = db.transaction(stores, mode);
      const finished = done(tx);
      const result = await work(tx);
      await finished;
      return result;
    } catch (error) {
      this.fail(error);
      return null;
    }
  }

  /** The id of the document this tab works on, kept across reloads. */
  get currentId() {
    try { return localStorage.getItem(CURRENT_KEY); } catch { return null; }
  }

  set currentId(id) {
    try { if (id) localStorage.setItem(CURRENT_KEY, id); else localStorage.removeItem(CURRENT_KEY); } catch { /* unsaved session */ }
  }

  /** @param {SavedDocument} saved */
  async saveDocument(saved) {
    const ok = await this.run(["documents"], "readwrite", async (tx) => {
      const store = tx.objectStore("documents");
      store.put(saved);
      // Keep the most recent MAX_RECENT documents.
      const all = /** @type {SavedDocument[]} */ (await done(store.getAll()));
      all.sort((a, b) => b.updated - a.updated).slice(MAX_RECENT).forEach((old) => store.delete(old.id));
      return true;
    });
    if (ok) try { localStorage.setItem(SAVED_MARK, "1"); } catch { /* unsaved session */ }
    return Boolean(ok);
  }

  /** @param {string} id @returns {Promise<SavedDocument|null>} */
  async loadDocument(id) {
    return this.run(["documents"], "readonly", (tx) => done(tx.objectStore("documents").get(id)))
      .then((found) => found ?? null);
  }

  /** Saved documents, newest first (without their trees). */
  async recent() {
    const all = /** @type {SavedDocument[]|null} */ (await this.run(["documents"], "readonly", (tx) => done(tx.objectStore("documents").getAll())));
    const list = (all ?? []).sort((a, b) => b.updated - a.updated);
    let marked = false;
    try { marked = localStorage.getItem(SAVED_MARK) === "1"; } catch { /* unsaved session */ }
    if (marked && all !== null && list.length === 0) {
      this.cleared = true;
      try { localStorage.removeItem(SAVED_MARK); } catch { /* unsaved session */ }
    }
    return list.map(({ id, title, updated }) => ({ id, title, updated }));
  }

  /** @param {string} id */
  async deleteDocument(id) {
    await this.run(["documents"], "readwrite", (tx) => { tx.objectStore("documents").delete(id); });
  }

  /**
   * Keep a local file's bytes, if small enough, so a reload can read it again without asking.
   * @param {string} sha256 @param {File} file
   */
  async saveFile(sha256, file) {
    if (file.size > MAX_SAVED_FILE_BYTES) return false;
    const ok = await this.run(["files"], "readwrite", (tx) => {
      tx.objectStore("files").put({ sha256, name: file.name, size: file.size, type: file.type, blob: file, saved: Date.now() });
      return true;
    });
    return Boolean(ok);
  }

  /** @param {string} sha256 @returns {Promise<File|null>} */
  async loadFile(sha256) {
    const found = /** @type {any} */ (await this.run(["files"], "readonly", (tx) => done(tx.objectStore("files").get(sha256))));
    if (!found?.blob) return null;
    return new File([found.blob], found.name, { type: found.type });
  }

  /** Drop saved files no saved document refers to any more. */
  async pruneFiles() {
    await this.run(["documents", "files"], "readwrite", async (tx) => {
      const docs = /** @type {SavedDocument[]} */ (await done(tx.objectStore("documents").getAll()));
      const wanted = new Set(docs.flatMap((d) => d.document.sources.map((s) => s.sha256)).filter(Boolean));
      const keys = /** @type {string[]} */ (await done(tx.objectStore("files").getAllKeys()));
      for (const key of keys) if (!wanted.has(key)) tx.objectStore("files").delete(key);
    });
  }
}
