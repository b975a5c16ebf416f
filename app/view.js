// One view over one session: the open table, its pipeline and chart, and the containers they render into.
// Both the explorer page and the <loupe-view> widget use it; it never touches anything outside its root.
//
// It keeps what it needs to come back after the worker is replaced (a crash, or Cancel): the sources it
// opened (a File, or a URL, with the reading options, for each table of its session, so joins survive)
// and the last finished state. On the client's `restarted` event it reads them again into a fresh
// session and shows that state, then says so. Each request is announced ("request"/"settled" events)
// so a page can show what is happening and offer Cancel (app/busy.js).

import { renderInto } from "./tree.js";
import { CANCELLED_TEXT, LoupeRequestError, RESTARTED_TEXT } from "./client.js";

/** @typedef {{verb: string, [key: string]: unknown}} Step */
/** @typedef {{type: string, x?: string, y?: string, agg?: string, [key: string]: unknown}} ChartSpec */
/** @typedef {{marks: object[][], fromChart: boolean}} Selection marks chosen in a chart (app/selection.js); fromChart: in this view's chart */

// Requests about the rows on show run over a chart selection too (scrolling, a cell's value, a profile).
const SELECTED_METHODS = new Set(["rows", "cell", "profile"]);

let sessions = 0;

export class View extends EventTarget {
  /**
   * @param {import("./client.js").LoupeClient} client
   * @param {{table?: Element|null, chart?: Element|null, status?: Element|null, root: HTMLElement}} parts
   */
  constructor(client, parts) {
    super();
    this.client = client;
    this.parts = parts;
    this.session = `view-${++sessions}-${Math.random().toString(36).slice(2, 8)}`;
    /** @type {string|null} */ this.table = null;
    /** @type {Step[]} */ this.pipeline = [];
    /** @type {ChartSpec|null} */ this.chart = null;
    /** @type {Selection|null} a chart selection the table (and the chart, unless it is the source) filters to */
    this.selection = null;
    this.chartFilter = ""; // what the chart on screen was drawn for: the selection it ran, theme and width
    this.offset = 0;
    this.limit = 100;
    this.theme = "light";
    /** @type {any} */ this.dataset = null;
    /** @type {any} */ this.result = null;
    /** @type {number|null} index of the step the last error names */ this.failedStep = null;
    this.renders = 0;
    this.generation = 0;
    /** a chart that cannot be drawn leaves the last one drawn on screen (marked data-stale), instead of none */
    this.keepChart = false;
    /** @type {((result: any) => void)|null} a page may show tables its own way (the explorer scrolls virtually) */
    this.onTable = null;
    /** @type {Map<string, {file?: File, url?: string, options?: object}>} what each table was read from */
    this.sources = new Map();
    /** @type {{table: string|null, pipeline: Step[], chart: ChartSpec|null, offset: number}|null} */
    this.finished = null;
    this.replays = 0;
    client.addEventListener("restarted", (event) => {
      const detail = /** @type {CustomEvent} */ (event).detail;
      detail.replays.push(this.replay(detail.reason));
    });
  }

  /**
   * One request to the worker, announced to the page while it runs.
   * @param {"read"|"query"} kind @param {string} label @param {string} method @param {object} params
   * @param {{file?: Blob, replay?: boolean, size?: number}} [extra]
   */
  async ask(kind, label, method, params, extra = {}) {
    const detail = { kind, label, size: extra.size, started: performance.now() };
    this.dispatchEvent(new CustomEvent("request", { detail }));
    try {
      return await this.client.request(method, params, extra.file, { replay: extra.replay });
    } finally {
      this.dispatchEvent(new CustomEvent("settled", { detail }));
    }
  }

  /** Stop what the worker is doing; the page returns to the last finished view. */
  cancel() {
    return this.client.cancel();
  }

  /** @param {unknown} error whether the worker was let go on purpose (the last widget left the page) */
  static released(error) {
    return error instanceof LoupeRequestError && error.info.code === "released";
  }

  /** @param {unknown} error whether the worker was replaced under this request (Cancel or a crash) */
  static interrupted(error) {
    return error instanceof LoupeRequestError && ["cancelled", "worker"].includes(error.info.code);
  }

  /**
   * Read a source into this view's session. A file goes to the worker as itself (no copy in this page)
   * and is read there in slices; `fingerprint` asks for its SHA-256, hashed as it is read.
   * @param {{file?: File, url?: string, options?: object, fingerprint?: boolean}} what @param {boolean} [replay]
   */
  async read(what, replay = false) {
    const params = { session: this.session, options: what.options ?? null };
    if (what.file) {
      const label = `Reading ${what.file.name}`;
      const fingerprint = what.fingerprint === true;
      return this.ask("read", label, "open", { ...params, filename: what.file.name, fingerprint },
        { file: what.file, replay, size: what.file.size });
    }
    const label = `Reading ${String(what.url).split("/").pop()}`;
    // The worker gives up on a server silent for 30 s; data-loupe-url-timeout (seconds) on the root changes it.
    const timeout = Number(this.parts.root.dataset.loupeUrlTimeout) || undefined;
    return this.ask("read", label, "open_url", { ...params, url: what.url, base: document.baseURI, timeout }, { replay });
  }

  /**
   * After the worker was replaced: read every source again and show the last finished state.
   * @param {"crash"|"cancel"} reason
   */
  async replay(reason) {
    if (this.table === null || !this.finished) return;
    this.setState("busy");
    try {
      for (const source of this.sources.values()) await this.read(source, true);
      await this.show(this.finished, true);
      this.failedStep = null;
      this.say(reason === "cancel" ? CANCELLED_TEXT : RESTARTED_TEXT);
    } catch (error) {
      this.sayError(error);
      this.setState("error");
    }
    this.parts.root.dataset.loupeReplays = String(++this.replays);
  }

  /**
   * A request about what this view shows: its session, table and pipeline are filled in here, so no
   * other module copies them by hand (and none can send a stale pipeline).
   * @param {string} method @param {object} [extra]
   */
  request(method, extra = {}) {
    // A chart drawn on its own (its data table, its SVG) is the one on screen: over the selection, unless
    // the selection was made in it (it stays whole). A caller's own `selection` wins (the dashboard's cards).
    const selected = SELECTED_METHODS.has(method) || (method === "chart" && !this.selection?.fromChart);
    const selection = selected && this.selection ? { selection: this.selection.marks } : {};
    return this.client.request(method, { session: this.session, table: this.table, pipeline: this.pipeline, ...selection, ...extra });
  }

  /** Mark the root busy/ready/error so pages and tests can wait on a signal, never on a sleep. */
  setState(state) {
    this.parts.root.dataset.loupeState = state;
    if (state !== "busy") this.parts.root.dataset.loupeRenders = String(++this.renders);
  }

  /** @param {string} text @param {"error"|"info"} [kind] */
  say(text, kind = "info") {
    const status = this.parts.status;
    if (!status) return;
    status.textContent = text;
    status.className = `status ${kind}`;
    status.hidden = !text;
  }

  /** @param {unknown} error */
  sayError(error) {
    const info = error instanceof LoupeRequestError ? error.info : null;
    this.failedStep = info?.step ?? null;
    this.say(info ? info.text : String(/** @type {any} */ (error)?.message ?? error), "error");
    this.dispatchEvent(new CustomEvent("failed", { detail: info }));
  }

  /**
   * Read a file (bytes) or a URL into this view's session, without showing it; resolves with what the
   * reader found (table, columns, notes, and with `fingerprint` the file's sha256), or null after saying
   * why (what was on screen stays).
   * @param {{file?: File, url?: string, options?: object, fingerprint?: boolean}} what
   */
  async load(what) {
    // Kept so the page can read the same file again with other options (after an error, too).
    this.lastSource = what;
    // RELIABILITY 38: a file over the reader's limit is refused from its size, before a byte is read.
    const limit = /** @type {any} */ (what.options)?.max_bytes ?? this.client.runtime?.runtime?.max_bytes;
    if (what.file && limit && what.file.size > limit) {
      const mb = (/** @type {number} */ bytes) => Math.round(bytes / 1e6).toLocaleString("en");
      const message = `${what.file.name} is ${mb(what.file.size)} MB, over the ${mb(limit)} MB limit`;
      const hint = "open a smaller extract, or raise max_bytes if this device has the memory";
      this.sayError(new LoupeRequestError({ code: "read", message, text: `${message}. Hint: ${hint}`, hint }));
      this.setState(this.result ? "ready" : "error");
      return;
    }
    this.setState("busy");
    try {
      const dataset = await this.read(what);
      this.sources.set(dataset.table, { file: what.file, url: what.url, options: what.options });
      this.failedSource = null;
      return dataset; // still busy: the caller shows it next
    } catch (error) {
      if (View.released(error)) return null;
      /** @type {typeof what|null} what could not be read, for another try with other reading options */
      this.failedSource = View.interrupted(error) ? null : what;
      if (View.interrupted(error) && this.result) this.say(/** @type {Error} */ (error).message);
      else this.sayError(error);
      this.setState(this.result ? "ready" : "error");
      return null;
    }
  }

  /**
   * Open a file (bytes) or a URL and show it; the previous table stays on screen if this fails.
   * @param {{file?: File, url?: string, options?: object, pipeline?: Step[], chart?: ChartSpec|null}} what
   */
  async open(what) {
    const dataset = await this.load(what);
    if (!dataset) return;
    this.setState("busy");
    try {
      // Reopening the same table keeps its pipeline and chart; a new table starts clean.
      const same = dataset.table === this.table;
      this.dataset = dataset;
      await this.show({
        table: dataset.table,
        pipeline: what.pipeline ?? (same ? this.pipeline : []),
        chart: what.chart !== undefined ? what.chart : same ? this.chart : null,
        offset: 0,
      });
      this.say(dataset.notes?.length ? `Opened ${dataset.filename}: ${dataset.notes.join("; ")}` : "");
      this.dispatchEvent(new CustomEvent("opened", { detail: dataset }));
    } catch (error) {
      if (View.interrupted(error) && this.result) this.say(/** @type {Error} */ (error).message);
      else this.sayError(error);
      this.setState(this.result ? "ready" : "error");
    }
  }

  /** Show nothing (an empty document): no table, no chart, a ready signal. */
  clear() {
    Object.assign(this, { table: null, pipeline: [], chart: null, selection: null, result: null, dataset: null, finished: null });
    this.sources.clear();
    const { table: tablePart, chart: chartPart } = this.parts;
    if (this.onTable) this.onTable(null);
    else if (tablePart) renderInto(tablePart, null);
    if (chartPart) renderInto(chartPart, null);
    this.setState("ready");
    this.dispatchEvent(new CustomEvent("changed"));
  }

  /**
   * Apply a change (pipeline, chart, window); on failure keep the old result on screen and the new
   * pipeline in place, so the user can fix the step the message names.
   * @param {{table?: string, pipeline?: Step[], chart?: ChartSpec|null, offset?: number, selection?: Selection|null}} change
   * @returns {Promise<"shown"|"failed"|"interrupted">} interrupted: cancelled, or the worker was replaced
   */
  async update(change) {
    this.setState("busy");
    try {
      this.say("");
      await this.show(change);
      this.failedStep = null;
    } catch (error) {
      if (View.released(error)) return "interrupted"; // the widget left the page: nothing to show
      if (View.interrupted(error)) {
        // Cancelled or the worker was replaced: the last finished view is still on screen; keep it.
        this.say(/** @type {Error} */ (error).message);
        this.setState(this.result ? "ready" : "error");
        this.dispatchEvent(new CustomEvent("changed"));
        return "interrupted";
      }
      if (change.pipeline) this.pipeline = change.pipeline;
      if (change.chart !== undefined) this.chart = change.chart;
      this.sayError(error);
      this.setState("error");
      this.dispatchEvent(new CustomEvent("changed"));
      return "failed";
    }
    this.setState("ready");
    return "shown";
  }

  /**
   * Ask the worker for the result and render it; only the newest request may paint.
   * @param {{table?: string|null, pipeline?: Step[], chart?: ChartSpec|null, offset?: number, selection?: Selection|null}} change
   * @param {boolean} [replay]
   */
  async show({ table = this.table, pipeline = this.pipeline, chart = this.chart, offset = this.offset, selection = this.selection }, replay = false) {
    const generation = ++this.generation;
    const label = pipeline.length ? `Running ${pipeline.length} step${pipeline.length > 1 ? "s" : ""}` : "Updating the view";
    // The chart runs the selection unless it was made in this very chart; when what it runs is what it
    // was drawn from (a selection made in it, or cleared again), it stays as drawn, not asked for again.
    const chartFilter = JSON.stringify([selection && !selection.fromChart ? selection.marks : null, this.theme, this.chartWidth()]);
    const same = this.result?.chart && table === this.table && pipeline === this.pipeline && chart === this.chart;
    const keepChart = Boolean(same && !this.result.chart_error && chartFilter === this.chartFilter);
    const result = await this.ask("query", label, "view", {
      session: this.session,
      table,
      pipeline,
      chart: keepChart ? null : chart,
      ...(selection ? { selection: selection.marks, selection_from_chart: selection.fromChart } : {}),
      offset,
      limit: this.limit,
      theme: this.theme,
      width: this.chartWidth(),
      locale: navigator.language,
    }, { replay });
    if (generation !== this.generation) return;
    if (keepChart) Object.assign(result, { chart: this.result.chart, chart_time_unit: this.result.chart_time_unit });
    Object.assign(this, { table, pipeline, chart, offset, result, selection, chartFilter });
    this.finished = { table, pipeline, chart, offset };
    // A part the embedder hid (show="chart") is left empty rather than filled out of sight.
    const { table: tablePart, chart: chartPart } = this.parts;
    if (this.onTable) this.onTable(result);
    else if (tablePart) renderInto(tablePart, tablePart.hidden ? null : result.table);
    if (chartPart && !keepChart) {
      const keep = this.keepChart && result.chart_error && chartPart.firstChild;
      if (!keep) renderInto(chartPart, chartPart.hidden ? null : result.chart ?? null);
      chartPart.toggleAttribute("data-stale", Boolean(keep));
    }
    if (result.chart_error) this.say(`Chart: ${result.chart_error.text}`, "error");
    this.setState("ready");
    this.dispatchEvent(new CustomEvent("changed"));
  }

  chartWidth() {
    const width = this.parts.chart?.clientWidth ?? 0;
    return Math.max(320, Math.min(1200, Math.round(width || 640)));
  }
}
