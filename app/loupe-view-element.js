// <loupe-view src="data.csv" chart='{"type":"bar","x":"region","y":"revenue","agg":"sum"}'
//             pipeline='[{"verb":"filter","column":"units","op":">","value":5}]' show="chart table">
// A widget for anyone's page: its state is its attributes (each with a typed, reflecting property), its
// DOM lives in a shadow root the host's CSS cannot reach, and every widget on a page shares one Python
// worker through its own session. It is quiet unless something goes wrong, and then says why in words.
// Events: loupe-ready, loupe-change, loupe-select, loupe-error. See docs/widget.md.

import { View } from "./view.js";
import { attachBusy } from "./busy.js";
import { acquireClient, releaseClient } from "./loupe-view-worker.js";
import { WidgetError, describe, fetchFile, preflight, startupError } from "./loupe-view-errors.js";

/** @typedef {import("./view.js").Step} Step */
/** @typedef {import("./view.js").ChartSpec} ChartSpec */
/** @typedef {Record<string, unknown>[] | File | Blob | string} Data */

const PARTS = ["chart", "table"];
const WINDOW_ROWS = 20;
const ASSETS = new URL("./", import.meta.url); // app/: where the worker script is

/** A View whose notes stay quiet unless the widget has a `status` attribute; errors always show. */
class WidgetView extends View {
  /** @param {LoupeViewElement} host @param {any} client @param {any} parts */
  constructor(host, client, parts) {
    super(client, parts);
    this.host = host;
  }

  /** @param {string} text @param {"error"|"info"} [kind] */
  say(text, kind = "info") {
    super.say(kind === "error" || this.host.status ? text : "", kind);
  }

  /** @param {unknown} error */
  sayError(error) {
    const { message, info } = describe(error);
    this.failedStep = info?.step ?? null;
    this.say(message, "error");
    this.host.failed(error);
  }
}

/** @param {string} text */
const parseJSON = (text) => JSON.parse(text);

export class LoupeViewElement extends HTMLElement {
  static observedAttributes = ["src", "pipeline", "chart", "show", "theme", "height", "group", "status"];

  /**
   * Register the element (once: a second call, or a second copy of this module, is harmless).
   * @param {string} [tag] @param {CustomElementRegistry} [registry]
   */
  static define(tag = "loupe-view", registry = customElements) {
    if (registry.get(tag)) return registry.get(tag);
    try {
      registry.define(tag, this);
    } catch {
      // This class already has another tag: the same element under a second name needs its own class.
      registry.define(tag, class extends this {});
    }
    return registry.get(tag);
  }

  /** @type {Step[]} */ #pipeline = [];
  /** @type {ChartSpec|null} */ #chart = null;
  /** @type {Data|null} */ #data = null;
  /** @type {object|null} what the session has loaded (the src string or the data value) */ #loaded = null;
  /** @type {string|null} */ #lastDocument = null;
  /** @type {Step|null} a filter another widget of the group asks for */ #groupFilter = null;
  #scheduled = false;
  #client = null;
  /** @type {WidgetView|null} */ #view = null;

  constructor() {
    super();
    const root = this.shadowRoot ?? this.attachShadow({ mode: "open" });
    const style = document.createElement("link");
    style.rel = "stylesheet";
    style.href = new URL("./loupe.css", import.meta.url).href;
    this.statusPart = document.createElement("p");
    this.statusPart.className = "status";
    this.statusPart.setAttribute("role", "alert");
    this.statusPart.hidden = true;
    this.chartPart = document.createElement("figure");
    this.chartPart.className = "chart";
    this.tablePart = document.createElement("div");
    this.tablePart.className = "table-wrap";
    // The box inside the shadow root starts again from initial values (the widget section of loupe.css).
    this.box = document.createElement("div");
    this.box.className = "loupe-widget";
    this.box.append(this.statusPart, this.chartPart, this.tablePart);
    root.replaceChildren(style, this.box);
    this.chartPart.addEventListener("click", (event) => this.#select(event));
    this.chartPart.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") this.#select(event);
    });
  }

  // ---- typed properties, each reflecting its attribute ----

  /** @returns {string|null} */
  get src() { return this.getAttribute("src"); }
  set src(value) { this.#reflect("src", value == null || value === "" ? null : String(value)); }

  /** The steps; the last valid ones while the attribute holds bad JSON (never throws). @returns {Step[]} */
  get pipeline() { return structuredClone(this.#pipeline); }
  set pipeline(value) { this.#reflect("pipeline", value == null ? null : typeof value === "string" ? value : JSON.stringify(value)); }

  /** @returns {ChartSpec|null} */
  get chart() { return structuredClone(this.#chart); }
  set chart(value) { this.#reflect("chart", value == null ? null : typeof value === "string" ? value : JSON.stringify(value)); }

  /** "chart", "table" or "chart table" (the default). @returns {string} */
  get show() {
    const parts = (this.getAttribute("show") ?? "").split(/\s+/).filter((p) => PARTS.includes(p));
    return parts.length ? PARTS.filter((p) => parts.includes(p)).join(" ") : PARTS.join(" ");
  }
  set show(value) { this.#reflect("show", value == null ? null : Array.isArray(value) ? value.join(" ") : String(value)); }

  /** @returns {"light"|"dark"} */
  get theme() { return this.getAttribute("theme") === "dark" ? "dark" : "light"; }
  set theme(value) { this.#reflect("theme", value == null ? null : String(value)); }

  /** A CSS length ("320px", "20em"); a number means pixels. "" lets the widget grow. @returns {string} */
  get height() { return this.getAttribute("height") ?? ""; }
  set height(value) { this.#reflect("height", value == null || value === "" ? null : typeof value === "number" ? `${value}px` : String(value)); }

  /** The name of the group of widgets that filter each other. @returns {string|null} */
  get group() { return this.getAttribute("group"); }
  set group(value) { this.#reflect("group", value == null || value === "" ? null : String(value)); }

  /** Show notes about the data (encoding, delimiter) as well as errors. @returns {boolean} */
  get status() { return this.hasAttribute("status"); }
  set status(value) { this.toggleAttribute("status", Boolean(value)); }

  /** Records, a File, a Blob or a URL; takes the place of `src` while set (not an attribute). @returns {Data|null} */
  get data() { return this.#data; }
  set data(value) {
    this.#data = value ?? null;
    this.#schedule();
  }

  /** @param {string} name @param {string|null} value */
  #reflect(name, value) {
    if (value === null) this.removeAttribute(name);
    else this.setAttribute(name, value);
  }

  // ---- lifecycle ----

  connectedCallback() {
    if (!this.dataset.loupeState || this.dataset.loupeState === "released") this.dataset.loupeState = "booting";
    this.#schedule();
  }

  /** Moving the widget keeps everything; removing it frees its session, and the last one the worker. */
  disconnectedCallback() {
    queueMicrotask(() => {
      if (this.isConnected || !this.#client) return;
      const view = /** @type {WidgetView} */ (this.#view);
      view.client.request("close", { session: view.session }).catch(() => {});
      releaseClient(this);
      this.#client = null;
      this.#loaded = null;
      view.table = null;
      this.dataset.loupeState = "released";
    });
  }

  /** @param {string} _name @param {string|null} oldValue @param {string|null} newValue */
  attributeChangedCallback(_name, oldValue, newValue) {
    if (oldValue === newValue) return;
    this.#schedule();
  }

  /** Several changes in one task render once. */
  #schedule() {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      if (this.isConnected) this.#render();
    });
  }

  /** Read the attributes; a bad one is reported and the last good view stays. @returns {boolean} */
  #readAttributes() {
    const problems = [];
    for (const name of /** @type {const} */ (["pipeline", "chart"])) {
      const text = this.getAttribute(name);
      try {
        const value = text ? parseJSON(text) : name === "pipeline" ? [] : null;
        if (name === "pipeline" && !Array.isArray(value)) throw new Error("expected a JSON list of steps");
        if (name === "chart" && value !== null && (typeof value !== "object" || Array.isArray(value))) throw new Error("expected a JSON object");
        if (name === "pipeline") this.#pipeline = value;
        else this.#chart = value;
      } catch (error) {
        problems.push(`The ${name} attribute is not valid: ${/** @type {Error} */ (error).message}. The last valid ${name} is still shown.`);
      }
    }
    const height = this.height;
    if (height && !CSS.supports("height", height)) problems.push(`The height attribute "${height}" is not a CSS length (try "320px").`);
    else this.box.style.height = height;
    this.box.classList.toggle("sized", Boolean(height));
    if (!problems.length) return true;
    this.#view?.say(problems.join(" "), "error");
    if (!this.#view) this.#say(problems.join(" "));
    this.#setState("error");
    this.failed(new WidgetError(problems.join(" "), "attribute"));
    return false;
  }

  async #render() {
    if (!this.#readAttributes()) return;
    const shown = this.show.split(" ");
    this.chartPart.hidden = !shown.includes("chart");
    this.tablePart.hidden = !shown.includes("table");
    const source = this.#data ?? this.src;
    if (source == null) return;
    const view = this.#ensureView();
    if (!view) return;
    view.theme = this.theme;
    try {
      await view.client.ready;
    } catch (error) {
      this.#startFailed(await startupError(error, ASSETS));
      return;
    }
    const pipeline = this.#groupFilter ? [...this.#pipeline, this.#groupFilter] : this.#pipeline;
    if (source !== this.#loaded) {
      this.#loaded = source;
      view.setState("busy");
      let file;
      try {
        file = await toFile(source);
      } catch (error) {
        if (this.#loaded === source) this.#loaded = null; // another try on the next change
        view.sayError(error);
        view.setState(view.result ? "ready" : "error");
        return;
      }
      await view.open({ file, pipeline, chart: this.#chart });
      if (this.dataset.loupeState === "error") this.#loaded = null; // read it again on the next change
      else if (view.result) {
        this.#emit("loupe-ready", { rows: view.result.row_count, columns: view.result.columns });
      }
    } else {
      await view.update({ pipeline, chart: this.#chart, offset: 0 });
    }
    this.#changed();
  }

  /** The view, over the shared worker (started if no widget holds it); null when the page forbids workers. */
  #ensureView() {
    if (!this.#client) {
      const refused = preflight(ASSETS);
      if (refused) {
        this.#startFailed(refused);
        return null;
      }
      try {
        this.#client = acquireClient(this);
      } catch (error) {
        startupError(error, ASSETS).then((explained) => this.#startFailed(explained));
        return null;
      }
      this.#loaded = null;
    }
    if (!this.#view) {
      const parts = { root: this, table: this.tablePart, chart: this.chartPart, status: this.statusPart };
      this.#view = new WidgetView(this, this.#client, parts);
      this.#view.limit = WINDOW_ROWS;
      attachBusy(this.#view); // a slow request shows what it does, with Cancel
    }
    this.#view.client = this.#client;
    return this.#view;
  }

  /** @param {WidgetError} error */
  #startFailed(error) {
    this.#say(error.message);
    this.#setState("error");
    this.failed(error);
  }

  /** @param {string} text */
  #say(text) {
    this.statusPart.textContent = text;
    this.statusPart.className = "status error";
    this.statusPart.hidden = !text;
  }

  /** @param {string} state */
  #setState(state) {
    this.dataset.loupeState = state;
    this.dataset.loupeRenders = String(Number(this.dataset.loupeRenders ?? 0) + 1);
  }

  /** Called by the view (and the widget) for every error it shows. @param {unknown} error */
  failed(error) {
    const { message, cause, info } = describe(error);
    this.#emit("loupe-error", { message, cause, step: info?.step ?? null, error: info });
  }

  /** loupe-change when what the widget shows (its document) changed since the last one. */
  #changed() {
    if (!this.#view?.result || this.dataset.loupeState !== "ready") return;
    const doc = this.document();
    const text = JSON.stringify(doc);
    if (text === this.#lastDocument) return;
    this.#lastDocument = text;
    this.#emit("loupe-change", { document: doc });
  }

  /** @param {string} type @param {object} detail */
  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  /** A chart mark chosen (click, Enter): loupe-select with what it shows, and the group filters by it. @param {Event} event */
  #select(event) {
    const target = /** @type {Element} */ (event.target);
    const mark = target.closest?.("[data-index]");
    if (!mark) return;
    const title = mark.querySelector("title")?.textContent ?? mark.getAttribute("aria-label") ?? "";
    /** @type {Record<string, string>} */ const fields = {};
    for (const line of title.split("\n")) {
      const at = line.indexOf(": ");
      if (at > 0) fields[line.slice(0, at)] = line.slice(at + 2);
    }
    const column = this.#chart?.x ?? null;
    const value = column && column in fields ? fields[column] : null;
    const detail = { index: Number(mark.getAttribute("data-index")), column, value, fields };
    this.#emit("loupe-select", detail);
    if (this.group && column && value !== null) filterGroup(this, column, value);
  }

  /** The filter another widget of this group asks for (null: none). @param {Step|null} step */
  groupFilter(step) {
    if (JSON.stringify(step) === JSON.stringify(this.#groupFilter)) return;
    this.#groupFilter = step;
    this.#schedule();
  }

  // ---- methods ----

  /** The rows of the whole result as records (numbers, text, null; dates as ISO text). */
  async result() {
    const file = await this.export("json");
    return JSON.parse(await file.text());
  }

  /**
   * The whole result (csv, tsv, json, jsonl, xlsx) or the steps (pipeline, sql, python) as a File.
   * @param {string} [format]
   */
  async export(format = "csv") {
    const view = this.#view;
    if (!view?.table) throw new WidgetError("Nothing to export yet: the widget has not shown its data.", "not-ready");
    const reply = await view.request("export", { format });
    return new File([reply.bytes ?? new ArrayBuffer(0)], reply.filename, { type: reply.mime });
  }

  /** What the widget shows as a Loupe document (docs/document.md): its source, steps, chart and theme. */
  document() {
    const view = this.#view;
    const table = view?.table ?? "data";
    const source = this.#data ?? this.src;
    /** @type {any} */ let entry;
    if (typeof source === "string") {
      entry = { id: "s1", name: fileName(source), kind: "url", url: new URL(source, document.baseURI).href, table };
    } else if (source instanceof Blob) {
      entry = { id: "s1", name: source instanceof File ? source.name : "data", kind: "file", size: source.size, table };
    } else {
      entry = { id: "s1", name: "data.json", kind: "file", table };
    }
    const doc = {
      loupe: "document",
      version: 1,
      sources: source == null ? [] : [entry],
      tables: source == null ? [] : [{ name: table, source: "s1", steps: this.pipeline }],
      charts: source != null && this.#chart ? [{ table, spec: this.chart }] : [],
      view: { theme: this.theme, ...(source != null ? { table } : {}), ...(source != null && this.#chart ? { chart: 0 } : {}) },
    };
    return doc;
  }
}

/** @param {string} url */
function fileName(url) {
  return decodeURIComponent(new URL(url, document.baseURI).pathname.split("/").pop() || "data");
}

/** What `src` or `data` names, as a file the worker can read. @param {Data} source @returns {Promise<File>} */
async function toFile(source) {
  if (typeof source === "string") return fetchFile(new URL(source, document.baseURI).href);
  if (source instanceof File) return source;
  if (source instanceof Blob) {
    const extension = { "text/csv": ".csv", "application/json": ".json", "text/tab-separated-values": ".tsv" }[source.type.split(";")[0]] ?? "";
    return new File([source], `data${extension}`, { type: source.type });
  }
  if (Array.isArray(source)) return new File([JSON.stringify(source)], "data.json", { type: "application/json" });
  throw new WidgetError("The data property takes a list of records, a File, a Blob or a URL.", "data");
}

/**
 * Filter every other widget of `source`'s group (in its document) by `column == value`; choosing the
 * same mark again clears the filter. @param {LoupeViewElement} source @param {string} column @param {string} value
 */
function filterGroup(source, column, value) {
  const step = { verb: "filter", column, op: "==", value };
  const same = JSON.stringify(step) === source.dataset.loupeGroupSelection;
  source.dataset.loupeGroupSelection = same ? "" : JSON.stringify(step);
  const root = /** @type {Document|ShadowRoot} */ (source.getRootNode());
  for (const other of root.querySelectorAll("*")) {
    // Any copy of this element class (a page may load two versions) takes part: it has groupFilter().
    const widget = /** @type {any} */ (other);
    if (other === source || typeof widget.groupFilter !== "function" || widget.group !== source.group) continue;
    widget.groupFilter(same ? null : step);
  }
}
