// <loupe-view src="data.csv" chart='{"type":"bar","x":"region","y":"revenue","agg":"sum"}'
//             pipeline='[{"verb":"filter","column":"units","op":">","value":5}]' show="chart table">
// A widget for anyone's page: its state is its attributes (and matching properties), its DOM lives in a
// shadow root, and every widget on a page shares one Python worker through its own session.

import { sharedClient } from "./client.js";
import { View } from "./view.js";

/** @param {string|null} text @param {unknown} fallback */
function parseJSON(text, fallback) {
  if (!text) return fallback;
  return JSON.parse(text);
}

export class LoupeViewElement extends HTMLElement {
  static observedAttributes = ["src", "chart", "pipeline", "show", "theme"];

  constructor() {
    super();
    const root = this.shadowRoot ?? this.attachShadow({ mode: "open" });
    const style = document.createElement("link");
    style.rel = "stylesheet";
    style.href = new URL("./loupe.css", import.meta.url).href;
    const status = document.createElement("p");
    status.className = "status";
    status.setAttribute("role", "alert");
    status.hidden = true;
    this.chartPart = document.createElement("figure");
    this.chartPart.className = "chart";
    this.tablePart = document.createElement("div");
    this.tablePart.className = "table-wrap";
    status.textContent = "";
    // The box inside the shadow root starts again from initial values (see the widget section of loupe.css).
    const box = document.createElement("div");
    box.className = "loupe-widget";
    box.append(status, this.chartPart, this.tablePart);
    root.replaceChildren(style, box);
    this.dataset.loupeState = "booting";
    this.view = new View(sharedClient(), { root: this, table: this.tablePart, chart: this.chartPart, status });
    this.view.limit = 20;
    /** @type {string|null} */ this.loadedSrc = null;
    this.scheduled = false;
  }

  get pipeline() { return parseJSON(this.getAttribute("pipeline"), []); }
  set pipeline(value) { this.setAttribute("pipeline", JSON.stringify(value)); }
  get chart() { return parseJSON(this.getAttribute("chart"), null); }
  set chart(value) { value ? this.setAttribute("chart", JSON.stringify(value)) : this.removeAttribute("chart"); }
  get src() { return this.getAttribute("src"); }
  set src(value) { value ? this.setAttribute("src", value) : this.removeAttribute("src"); }

  connectedCallback() { this.schedule(); }

  /** A removed widget frees its session (its own in-memory database in the shared worker). */
  disconnectedCallback() {
    if (this.loadedSrc === null) return;
    this.loadedSrc = null;
    this.view.table = null;
    this.view.client.request("close", { session: this.view.session }).catch(() => {});
  }
  attributeChangedCallback() { this.schedule(); }

  /** Several attribute changes in one task make one request. */
  schedule() {
    if (this.scheduled || !this.isConnected) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.refresh();
    });
  }

  async refresh() {
    const shown = (this.getAttribute("show") ?? "chart table").split(/\s+/);
    this.chartPart.hidden = !shown.includes("chart");
    this.tablePart.hidden = !shown.includes("table");
    this.view.theme = this.getAttribute("theme") === "dark" ? "dark" : "light";
    let pipeline, chart;
    try {
      pipeline = this.pipeline;
      chart = this.chart;
    } catch (error) {
      this.view.say(`The pipeline or chart attribute is not valid JSON: ${/** @type {Error} */ (error).message}`, "error");
      this.view.setState("error");
      return;
    }
    const src = this.src;
    if (!src) return;
    try {
      await this.view.client.ready;
    } catch (error) {
      this.view.sayError(error);
      this.view.setState("error");
      return;
    }
    if (src !== this.loadedSrc) {
      this.loadedSrc = src;
      await this.view.open({ url: new URL(src, document.baseURI).href, pipeline, chart });
      return;
    }
    await this.view.update({ pipeline, chart, offset: 0 });
  }
}
