// The explorer's workspace: the one document store, the sources its tables read, the worker session
// that holds them, saving to this browser and following the document in the address bar. UI code
// calls commit()/open*(); every change of the document (an edit, undo, redo, a restore) is applied here,
// so what is on screen always comes from the store.

import { DocumentStore, activeTable, canonical, chartOf, emptyDocument, sourceOf, withChange, withSource } from "./store.js";
import { Storage } from "./persist.js";
import { decodeDocument, encodeDocument, hasDocument } from "./share.js";

/** @typedef {import("./store.js").LoupeDocument} LoupeDocument */
/** @typedef {import("./store.js").Source} Source */
/** @typedef {{source: Source, reason: "file"|"consent"}} Need */

const SAVE_DELAY_MS = 300;

/** A short random id for a saved document. */
const newId = () => `d${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** The name a document is listed under: its title or its first source. @param {LoupeDocument} doc */
export function titleOf(doc) {
  const table = activeTable(doc);
  return doc.title || (table && sourceOf(doc, table.name)?.name) || doc.sources[0]?.name || "Untitled";
}

export class Workspace extends EventTarget {
  /**
   * @param {import("./view.js").View} view the view over this page's worker session
   */
  constructor(view) {
    super();
    this.view = view;
    this.store = new DocumentStore();
    this.storage = new Storage();
    this.id = this.storage.currentId ?? newId();
    /** @type {Map<string, string>} table name -> the source (as canonical JSON) loaded for it in the session */
    this.loaded = new Map();
    /** @type {Map<string, any>} table name -> what opening it returned (columns, notes, reading options) */
    this.datasets = new Map();
    /** @type {Map<string, File>} file bytes this tab has, by fingerprint */
    this.files = new Map();
    /** @type {Set<string>} source ids whose URL the user agreed to fetch (a link's URL sources ask first) */
    this.approved = new Set();
    /** @type {Need[]} sources the document needs before it can be shown */
    this.needs = [];
    this.trusted = true; // false while the document came from a link and its URLs need consent
    this.applying = 0;
    this.saveTimer = 0;
    /** @type {Promise<void>} the document being applied; tests and the page wait on it */
    this.settled = Promise.resolve();
    this.store.addEventListener("change", (event) => {
      const { document: doc, reason } = /** @type {CustomEvent} */ (event).detail;
      this.settled = this.apply(doc);
      this.followInAddressBar(doc);
      this.dispatchEvent(new CustomEvent("change", { detail: { document: doc, reason } }));
    });
    view.addEventListener("changed", () => this.scheduleSave());
    // A new worker has only what the view read again into it (its sources): forget the rest.
    view.client.addEventListener("replayed", () => {
      for (const table of [...this.loaded.keys()]) if (!view.sources.has(table)) this.loaded.delete(table);
    });
    // A reload or a closed tab right after a change still saves it.
    addEventListener("pagehide", () => this.flush());
  }

  get document() { return this.store.document; }

  /** Commit an edit of the active table (steps, chart), the theme or the active table. @param {Parameters<typeof withChange>[1]} change @param {string} [label] */
  change(change, label) {
    const committed = this.store.commit(withChange(this.document, change), label);
    // Nothing changed (e.g. "Clear steps" with none): show it again anyway, so every action is answered.
    if (!committed) this.settled = this.apply(this.document);
    return committed;
  }

  /**
   * Open a source the user chose (a file, a URL, the sample) and make its table the active one.
   * @param {{file?: File, url?: string, kind?: "url"|"sample", options?: object}} what
   * @param {{history?: boolean}} [how] history false: the document starts here (no undo step)
   */
  async open(what, { history = true } = {}) {
    /** @type {Omit<Source, "id" | "table">} */
    let source;
    /** @type {string|undefined} the file's SHA-256, when it is known before reading it */
    let sha256;
    if (what.file) {
      const file = what.file;
      // A document waiting for a file decides which of its sources this is before reading it.
      if (this.needs.some((n) => n.reason === "file")) {
        sha256 = await this.fingerprint(file);
        const provided = this.provide(file, sha256);
        if (provided) return provided;
      }
      source = { name: file.name, kind: "file", size: file.size };
    } else {
      const url = /** @type {string} */ (what.url);
      const name = decodeURIComponent(new URL(url, document.baseURI).pathname.split("/").pop() || url);
      source = { name, kind: what.kind ?? "url", url };
    }
    if (what.options) source.options = what.options;
    const url = what.url && new URL(what.url, document.baseURI).href;
    // The worker hashes the file as it reads it: no second read, and no copy of it in this page.
    const dataset = await this.view.load({ file: what.file, url, options: what.options, fingerprint: Boolean(what.file) && !sha256 });
    if (!dataset) return false;
    if (what.file) {
      sha256 ??= dataset.sha256;
      if (sha256) source.sha256 = sha256;
      this.files.set(sha256 ?? `${what.file.name}:${what.file.size}`, what.file);
      if (sha256) this.storage.saveFile(sha256, what.file);
    }
    const full = /** @type {Source} */ ({ ...source, table: dataset.table });
    if (dataset.source?.sheet !== undefined) full.part = dataset.source.sheet;
    this.datasets.set(dataset.table, dataset);
    this.view.say(dataset.notes?.length ? `Opened ${dataset.filename}: ${dataset.notes.join("; ")}` : "");
    // The first chart of a new table is Python's choice (loupe.render.chart_form.default_chart).
    const next = withSource(this.document, full, dataset.default_chart ?? null);
    // The source as the document now holds it (ids and all) is what the session has loaded.
    this.loaded.set(dataset.table, canonical(sourceOf(next, dataset.table)));
    if (!history) this.store.replace(next);
    else if (!this.store.commit(next, `open ${full.name}`)) this.settled = this.apply(this.document); // read again: show it
    return true;
  }

  /**
   * A file the user opened while the document waits for one of its files: read it as that source,
   * warning when it is not the same file the document was made with. @param {File} file @param {string|undefined} sha256
   */
  provide(file, sha256) {
    const waiting = this.needs.filter((n) => n.reason === "file").map((n) => n.source);
    const match = waiting.find((s) => s.sha256 && s.sha256 === sha256) ?? waiting.find((s) => s.name === file.name) ?? (waiting.length === 1 ? waiting[0] : null);
    if (!match) return null;
    this.files.set(sha256 ?? `${file.name}:${file.size}`, file);
    if (sha256) this.storage.saveFile(sha256, file);
    const same = Boolean(match.sha256 && match.sha256 === sha256);
    if (same) {
      this.settled = this.apply(this.document);
    } else {
      const next = structuredClone(this.document);
      const entry = next.sources.find((s) => s.id === match.id);
      if (entry) Object.assign(entry, { name: file.name, size: file.size, ...(sha256 ? { sha256 } : {}) });
      this.store.amend(next);
    }
    const notice = same || !match.sha256 ? "" : `${file.name} is not the same file this document was made with (its fingerprint differs); the steps run on it anyway.`;
    return this.settled.then(() => {
      if (notice) this.view.say(notice, "error");
      return true;
    });
  }

  /**
   * A file's SHA-256, hashed in the worker from slices of it (the page never holds the file's bytes);
   * undefined if it cannot be read, which the read that follows then explains. @param {File} file
   */
  async fingerprint(file) {
    const limit = this.view.client.runtime?.runtime?.max_bytes;
    if (limit && file.size > limit) return undefined; // refused unread by the read that follows (RELIABILITY 38)
    try {
      const reply = await this.view.ask("read", `Checking ${file.name}`, "fingerprint", { filename: file.name }, { file, size: file.size });
      return /** @type {string} */ (reply.sha256);
    } catch (error) {
      console.warn("Loupe: the file's fingerprint could not be computed; it is matched by name:", error);
      return undefined;
    }
  }

  /** Agree to fetch a link's URL source, then go on showing the document. @param {string} id */
  approve(id) {
    this.approved.add(id);
    this.settled = this.apply(this.document);
    return this.settled;
  }

  /** The bytes or URL a source is read from, or why it cannot be read yet. @param {Source} source */
  async locate(source) {
    if (source.kind === "sample") return { url: new URL(source.url ?? "sample/sales.csv", document.baseURI).href };
    if (source.kind === "url") {
      if (!this.trusted && !this.approved.has(source.id)) return { need: /** @type {const} */ ("consent") };
      return { url: new URL(/** @type {string} */ (source.url), document.baseURI).href };
    }
    const key = source.sha256 ?? `${source.name}:${source.size}`;
    let file = this.files.get(key) ?? null;
    if (!file && source.sha256) file = await this.storage.loadFile(source.sha256);
    if (!file) return { need: /** @type {const} */ ("file") };
    this.files.set(key, file);
    return { file };
  }

  /** Load what the document's tables read (if not loaded yet), then show its active table. @param {LoupeDocument} doc */
  async apply(doc) {
    const token = ++this.applying;
    /** @type {Need[]} */ const needs = [];
    for (const table of doc.tables) {
      const source = sourceOf(doc, table.name);
      if (!source) continue;
      const key = canonical(source);
      if (this.loaded.get(table.name) === key) continue;
      const where = await this.locate(source);
      if (token !== this.applying) return;
      if ("need" in where) {
        needs.push({ source, reason: /** @type {"file"|"consent"} */ (where.need) });
        continue;
      }
      const dataset = await this.view.load({ ...where, options: source.options });
      if (token !== this.applying) return;
      if (!dataset) continue; // the view said why; the previous table stays on screen
      this.loaded.set(table.name, key);
      this.datasets.set(dataset.table, dataset);
    }
    this.needs = needs;
    this.dispatchEvent(new CustomEvent("needs", { detail: needs }));
    const table = activeTable(doc);
    this.view.theme = doc.view.theme ?? this.view.theme;
    if (!table || !this.loaded.has(table.name)) {
      this.view.clear();
      return;
    }
    this.view.dataset = this.datasets.get(table.name) ?? null;
    // A chart selection is a view state over this document's result: a change of the document ends it.
    const outcome = await this.view.update({ table: table.name, pipeline: table.steps, chart: chartOf(doc, table.name), offset: 0, selection: null });
    // Cancelled (or the worker died under it): the screen went back to the last finished view, so the
    // document goes back too; Redo tries the change again.
    if (outcome === "interrupted" && doc === this.document && this.store.canUndo) this.store.undo();
  }

  /** Forget what the worker session had (a new worker after a crash) and show the document again. */
  replay() {
    this.loaded.clear();
    this.settled = this.apply(this.document);
    return this.settled;
  }

  /** Start a new, empty document (the previous one stays in Recent). */
  startNew() {
    this.flush();
    this.id = newId();
    this.storage.currentId = this.id;
    this.trusted = true;
    this.store.replace(emptyDocument());
  }

  /**
   * Make a document from elsewhere (a link, an imported file, Recent) the current one.
   * @param {LoupeDocument} doc @param {{id?: string, trusted?: boolean}} [how]
   */
  adopt(doc, { id = newId(), trusted = true } = {}) {
    this.flush();
    this.id = id;
    this.storage.currentId = id;
    this.trusted = trusted;
    this.approved.clear();
    this.store.replace(doc);
  }

  /** Keep the address bar's fragment in step with the document, so the URL is always a share link. @param {LoupeDocument} doc */
  async followInAddressBar(doc) {
    if (!doc.tables.length) {
      if (location.hash) history.replaceState(null, "", location.pathname + location.search);
      return;
    }
    try {
      const fragment = await encodeDocument(doc);
      if (doc === this.document) history.replaceState(null, "", `#${fragment}`);
    } catch (error) {
      console.warn("Loupe: the address bar could not follow the document:", error);
    }
  }

  /** A layout choice (the panel a phone shows), kept in the document's view settings: saved, never undone. @param {Pick<import("./store.js").ViewDoc, "panel">} layout */
  arrange(layout) {
    this.store.arrange(layout);
    this.followInAddressBar(this.document);
    this.scheduleSave();
  }

  /** Save now what a pending save would have saved (before the tab switches to another document). */
  flush() {
    if (!this.saveTimer) return;
    clearTimeout(this.saveTimer);
    this.save();
  }

  /** Save the document and the trees on screen soon (one save for a burst of changes). */
  scheduleSave() {
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.save(), SAVE_DELAY_MS);
  }

  async save() {
    this.saveTimer = 0;
    const doc = this.document;
    if (!doc.tables.length) return false;
    const result = this.view.result;
    // During a chart selection the table on screen is filtered to it; a reload starts without the
    // selection, so its early paint would show rows the live view then replaces: save no trees.
    const trees = result && !this.needs.length && !this.view.selection
      ? { table: result.table, chart: result.chart ?? null, row_count: result.row_count, columns: result.columns }
      : undefined;
    this.storage.currentId = this.id;
    const saved = await this.storage.saveDocument({ id: this.id, title: titleOf(doc), updated: Date.now(), document: doc, trees });
    // current: nothing changed while it was written, so the saved document is the one on screen.
    this.dispatchEvent(new CustomEvent("saved", { detail: { saved, current: doc === this.document } }));
    return saved;
  }
}


/**
 * Where this visit's document comes from: a share link in the address bar, the document this browser
 * saved last, or nothing (a first visit). A link equal to the saved document is the saved one (a reload).
 * @param {Storage} storage
 * @returns {Promise<{kind: "saved", saved: import("./persist.js").SavedDocument} | {kind: "link", doc: LoupeDocument} | {kind: "bad-link", message: string} | {kind: "first", cleared: boolean}>}
 */
export async function startingPoint(storage) {
  const savedId = storage.currentId;
  const saved = savedId ? await storage.loadDocument(savedId) : null;
  if (hasDocument(location.hash)) {
    try {
      const doc = await decodeDocument(location.hash);
      if (saved && canonical(saved.document) === canonical(doc)) return { kind: "saved", saved };
      return { kind: "link", doc };
    } catch (error) {
      return { kind: "bad-link", message: /** @type {Error} */ (error).message };
    }
  }
  if (saved) return { kind: "saved", saved };
  await storage.recent(); // notices saved work that the browser has removed
  return { kind: "first", cleared: storage.cleared };
}
