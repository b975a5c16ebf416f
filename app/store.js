// The page's one store of the Loupe document (loupe.document in Python says what a document is). Every UI
// change produces a new, frozen document through commit(); undo and redo walk the history. Nothing else
// in the page holds the user's work: views render what the store says.

/** @typedef {{verb: string, [key: string]: unknown}} Step */
/** @typedef {{id: string, name: string, kind: "file"|"url"|"sample", url?: string, size?: number, sha256?: string, options?: object, part?: string, table: string}} Source */
/** @typedef {{name: string, source: string, steps: Step[]}} TableDoc */
/** @typedef {{table: string, spec: {type: string, [key: string]: unknown}}} ChartDoc */
/** @typedef {{theme?: "light"|"dark", table?: string, chart?: number, panel?: "view"|"steps"}} ViewDoc */
/** @typedef {{loupe: "document", version: number, title?: string, sources: Source[], tables: TableDoc[], charts: ChartDoc[], view: ViewDoc}} LoupeDocument */

export const DOCUMENT_VERSION = 1;
export const HISTORY_LIMIT = 200; // the issue asks for at least 100 levels; a document is a few kB

/** @returns {LoupeDocument} */
export function emptyDocument() {
  return freeze({ loupe: "document", version: DOCUMENT_VERSION, sources: [], tables: [], charts: [], view: {} });
}

/** Deep-freeze a plain JSON value so no module can change a document in place. @template T @param {T} value */
export function freeze(value) {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) freeze(child);
  }
  return value;
}

/** A structural copy that can be edited, then committed. @param {LoupeDocument} doc @returns {LoupeDocument} */
export function draft(doc) {
  return structuredClone(doc);
}

/** The table the view shows, or null in an empty document. @param {LoupeDocument} doc */
export function activeTable(doc) {
  return doc.tables.find((t) => t.name === doc.view.table) ?? doc.tables[0] ?? null;
}

/**
 * Which of the document's charts the explorer shows for a table: the selected one (view.chart) when it
 * is that table's, else the table's first; -1 when it has none. A document may hold several per table.
 * @param {LoupeDocument} doc @param {string} table
 */
export function chartIndex(doc, table) {
  const selected = doc.view.chart;
  if (selected !== undefined && doc.charts[selected]?.table === table) return selected;
  return doc.charts.findIndex((c) => c.table === table);
}

/** The chart drawn for a table, or null. @param {LoupeDocument} doc @param {string} table */
export function chartOf(doc, table) {
  return doc.charts[chartIndex(doc, table)]?.spec ?? null;
}

/** @param {LoupeDocument} doc @param {string} table */
export function sourceOf(doc, table) {
  const entry = doc.tables.find((t) => t.name === table);
  return doc.sources.find((s) => s.id === entry?.source) ?? null;
}

/**
 * The document with one table's steps, chart or the view changed (what most UI actions do).
 * @param {LoupeDocument} doc
 * `addChart` adds another chart of the table (shown from then on); `showChart` shows one of its charts.
 * @param {{steps?: Step[], chart?: ChartDoc["spec"]|null, theme?: "light"|"dark", table?: string,
 *   addChart?: ChartDoc["spec"], showChart?: number}} change
 * @returns {LoupeDocument}
 */
export function withChange(doc, change) {
  const next = draft(doc);
  const name = change.table ?? activeTable(next)?.name;
  if (change.table) next.view.table = change.table;
  if (change.theme) next.view.theme = change.theme;
  const table = next.tables.find((t) => t.name === name);
  if (table && change.steps) table.steps = structuredClone(change.steps);
  if (name && change.chart !== undefined) {
    // The chart on show is edited in place (or removed); the document's other charts stay.
    const at = chartIndex(next, name);
    if (change.chart && at >= 0) next.charts[at] = { ...next.charts[at], spec: structuredClone(change.chart) };
    else if (change.chart) next.charts.push({ table: name, spec: structuredClone(change.chart) });
    else if (at >= 0) next.charts.splice(at, 1);
    const index = change.chart ? (at >= 0 ? at : next.charts.length - 1) : chartIndex({ ...next, view: {} }, name);
    if (index >= 0) next.view.chart = index;
    else delete next.view.chart;
  }
  if (name && change.addChart) {
    next.charts.push({ table: name, spec: structuredClone(change.addChart) });
    next.view.chart = next.charts.length - 1;
  }
  if (name && change.showChart !== undefined && next.charts[change.showChart]?.table === name) {
    next.view.chart = change.showChart;
  }
  return next;
}

/**
 * The document with a newly opened source and its table made active. Reading the same source again
 * (same table name) keeps its steps and chart; a new one starts clean.
 * @param {LoupeDocument} doc @param {Omit<Source, "id">} source @param {ChartDoc["spec"]|null} chart
 */
export function withSource(doc, source, chart) {
  const next = draft(doc);
  const existing = next.tables.find((t) => t.name === source.table);
  if (existing) {
    const old = next.sources.find((s) => s.id === existing.source);
    if (old) Object.assign(old, source, { id: old.id });
  } else {
    const ids = new Set(next.sources.map((s) => s.id));
    let n = next.sources.length + 1;
    while (ids.has(`s${n}`)) n += 1;
    next.sources.push({ ...source, id: `s${n}` });
    next.tables.push({ name: source.table, source: `s${n}`, steps: [] });
    if (chart) next.charts.push({ table: source.table, spec: chart });
  }
  next.view.table = source.table;
  const index = chartIndex(next, source.table);
  if (index >= 0) next.view.chart = index;
  return next;
}

/** Canonical text of a document: equal documents give equal text (keys sorted). @param {unknown} value */
export function canonical(value) {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]]))
      : v);
}

export class DocumentStore extends EventTarget {
  /** @param {LoupeDocument} [initial] */
  constructor(initial = emptyDocument()) {
    super();
    /** @type {LoupeDocument} */ this.document = freeze(structuredClone(initial));
    /** @type {LoupeDocument[]} */ this.past = [];
    /** @type {LoupeDocument[]} */ this.future = [];
  }

  get canUndo() { return this.past.length > 0; }
  get canRedo() { return this.future.length > 0; }

  /**
   * Make `next` the document, remembering the current one for undo. An unchanged document is ignored.
   * @param {LoupeDocument} next @param {string} [label] what the change was, for the undo button's title
   */
  commit(next, label = "change") {
    if (canonical(next) === canonical(this.document)) return false;
    this.past.push(this.document);
    if (this.past.length > HISTORY_LIMIT) this.past.shift();
    this.future = [];
    this.set(next, "commit", label);
    return true;
  }

  /** Replace the document without history (a restore, a link, "New"). @param {LoupeDocument} next */
  replace(next) {
    this.past = [];
    this.future = [];
    this.set(next, "replace", "open");
  }

  /** Correct the current document in place of itself, keeping the history (a re-opened file's new fingerprint). @param {LoupeDocument} next */
  amend(next) {
    this.set(next, "amend", "amend");
  }

  /**
   * Keep a layout choice (the panel a phone shows) in the document and all its history, with no undo step
   * and no change event: it is not an edit, so Undo does not flip it back and nothing runs again.
   * @param {Pick<ViewDoc, "panel">} layout
   */
  arrange(layout) {
    const arranged = (/** @type {LoupeDocument} */ doc) => freeze({ ...doc, view: { ...doc.view, ...layout } });
    this.document = arranged(this.document);
    this.past = this.past.map(arranged);
    this.future = this.future.map(arranged);
  }

  undo() {
    const previous = this.past.pop();
    if (!previous) return false;
    this.future.push(this.document);
    this.set(previous, "undo", "undo");
    return true;
  }

  redo() {
    const next = this.future.pop();
    if (!next) return false;
    this.past.push(this.document);
    this.set(next, "redo", "redo");
    return true;
  }

  /** @param {LoupeDocument} next @param {string} reason @param {string} label */
  set(next, reason, label) {
    this.document = freeze(structuredClone(next));
    this.dispatchEvent(new CustomEvent("change", { detail: { document: this.document, reason, label } }));
  }
}
