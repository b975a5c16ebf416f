// The dashboard: every chart of the table on show besides the one in the chart form, each on a card
// with its title and an Edit button (which puts it into the chart form). One `chart` request per
// card, over the view's pipeline, and over a chart selection unless the card is where it was made
// (that card stays whole, its chosen marks highlighted). A card is asked for again only when what
// it draws changed (its spec, the pipeline, the selection it runs, the theme or its width).

import { el, renderInto } from "./tree.js";
import { canonical, chartIndex } from "./store.js";
import { highlight } from "./selection.js";

const CARD_HEIGHT = 280;
const KEPT_TREES = 24; // charts drawn lately, by request: Escape shows the unfiltered ones again at once

/** @typedef {import("./store.js").LoupeDocument} LoupeDocument */

export class Dashboard extends EventTarget {
  /**
   * @param {HTMLElement} container the cards' grid
   * @param {import("./view.js").View} view the view whose session, table and pipeline the cards read
   * @param {import("./selection.js").ChartSelection} selection
   * @param {() => LoupeDocument} documentNow the document on show
   */
  constructor(container, view, selection, documentNow) {
    super();
    this.container = container;
    this.view = view;
    this.selection = selection;
    this.documentNow = documentNow;
    this.generation = 0;
    this.draws = 0;
    /** @type {Promise<void>} the draw under way (or the last one) */
    this.settled = Promise.resolve();
    /** @type {Map<number, string>} chart index -> the request its card shows */
    this.drawn = new Map();
    /** @type {Map<string, any>} request -> the chart tree it answered, the newest last */
    this.trees = new Map();
  }

  /** The charts of the active table the cards show: all but the one in the chart form. */
  charts() {
    const doc = this.documentNow();
    const table = this.view.table;
    if (!table) return [];
    const shown = this.view.chart ? chartIndex(doc, table) : -1;
    return doc.charts.map((chart, index) => ({ spec: chart.spec, index, table: chart.table }))
      .filter((c) => c.table === table && c.index !== shown);
  }

  /** The card of one chart, made once and kept while the chart is on the dashboard. @param {number} index */
  card(index) {
    const found = /** @type {HTMLElement|null} */ (this.container.querySelector(`[data-chart="${index}"]`));
    if (found) return found;
    const title = el("span", { class: "card-title" });
    const edit = el("button", { type: "button", class: "button small", "data-edit": String(index) }, "Edit");
    return el("figure", { class: "dash-card", "data-chart": String(index) },
      el("figcaption", {}, title, " ", edit), el("div", { class: "chart dash-chart" }));
  }

  /**
   * Draw every card (the ones whose request changed), then mark the container with a count of
   * finished draws (`data-loupe-dashboard`) for pages and tests to wait on.
   */
  draw() {
    this.settled = this.drawAll(++this.generation);
    return this.settled;
  }

  /** @param {number} generation */
  async drawAll(generation) {
    const charts = this.view.result ? this.charts() : [];
    const cards = charts.map((c) => this.card(c.index));
    this.container.replaceChildren(...cards);
    this.container.hidden = cards.length === 0;
    for (const index of [...this.drawn.keys()]) if (!charts.some((c) => c.index === index)) this.drawn.delete(index);
    await Promise.all(charts.map((chart, n) => this.drawCard(chart, cards[n], generation)));
    if (generation !== this.generation) return;
    this.container.dataset.loupeDashboard = String(++this.draws);
    this.dispatchEvent(new CustomEvent("drawn"));
  }

  /**
   * @param {{spec: any, index: number}} chart @param {HTMLElement} card @param {number} generation
   */
  async drawCard({ spec, index }, card, generation) {
    const place = /** @type {HTMLElement} */ (card.querySelector(".dash-chart"));
    const source = this.selection.from(index);
    const params = {
      chart: spec,
      theme: this.view.theme,
      width: Math.max(280, Math.min(1200, Math.round(place.clientWidth || 420))),
      height: CARD_HEIGHT,
      locale: navigator.language,
      // The card the selection was made in stays whole; the others filter to it.
      selection: this.selection.active && !source ? this.selection.marks : null,
    };
    const key = canonical({ ...params, table: this.view.table, pipeline: this.view.pipeline });
    if (this.drawn.get(index) !== key) {
      try {
        const tree = this.trees.get(key) ?? (await this.view.request("chart", params)).chart;
        if (generation !== this.generation) return;
        this.trees.delete(key);
        this.trees.set(key, tree);
        if (this.trees.size > KEPT_TREES) this.trees.delete(/** @type {string} */ (this.trees.keys().next().value));
        renderInto(place, tree);
        this.drawn.set(index, key);
        card.removeAttribute("data-error");
      } catch (error) {
        if (generation !== this.generation) return;
        // A chart that no longer fits the result says why on its card; the other cards still draw.
        const info = /** @type {any} */ (error).info;
        place.replaceChildren(el("p", { class: "status error" }, info?.text ?? String(error)));
        this.drawn.delete(index);
        card.setAttribute("data-error", "true");
      }
    }
    const svg = place.querySelector("svg");
    /** @type {HTMLElement} */ (card.querySelector(".card-title")).textContent =
      String(spec.title ?? svg?.getAttribute("aria-label") ?? spec.type);
    highlight(place, this.selection, source);
  }
}
