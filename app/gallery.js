// The gallery: every chart type Loupe draws, on the bundled sample, in the light and the dark theme,
// each with its data as a table and SVG/PNG downloads. Charts are rendered by Python in the worker.

import { sharedClient } from "./client.js";
import { el, renderInto } from "./tree.js";
import { download, slug, svgToPng } from "./download.js";

const root = document.documentElement;
const client = sharedClient();
const session = "gallery";

/** @param {any} spec @param {"light"|"dark"} theme @param {any[]} [pipeline] steps run before the chart */
async function card(spec, theme, pipeline = []) {
  const figure = el("figure", { class: `card theme-${theme}`, "data-type": spec.type, "data-theme": theme });
  const chart = el("div", { class: "chart" });
  const table = el("div", { class: "table-wrap" });
  const toggle = el("button", { type: "button", class: "button small" }, "View as table");
  const svgButton = el("button", { type: "button", class: "button small" }, "SVG");
  const pngButton = el("button", { type: "button", class: "button small" }, "PNG");
  figure.append(chart, table, el("figcaption", {}, `${spec.type} · ${theme} `, toggle, " ", svgButton, " ", pngButton));
  table.hidden = true;
  // Drawn at the width it is shown at, so text keeps its size; the locale formats numbers and dates.
  const width = Math.max(320, Math.min(900, Math.round((document.querySelector("#gallery")?.clientWidth ?? 1100) / 2 - 48)));
  const result = await client.request("chart", { session, pipeline, chart: spec, theme, width,
    height: Math.round(width * 0.6), svg: true, locale: navigator.language });
  renderInto(chart, result.chart);
  renderInto(table, result.table);
  const name = `${slug(spec.title ?? spec.type)}-${theme}`;
  toggle.addEventListener("click", () => {
    table.hidden = !table.hidden;
    chart.hidden = !table.hidden;
    toggle.textContent = table.hidden ? "View as table" : "View as chart";
  });
  svgButton.addEventListener("click", () => download(`${name}.svg`, result.svg, "image/svg+xml"));
  pngButton.addEventListener("click", async () => {
    try {
      download(`${name}.png`, await svgToPng(result.svg), "image/png");
    } catch (error) {
      showError(error);
    }
  });
  return figure;
}

/**
 * An example that runs a pipeline first: its result's first rows as a table (rows flagged as outliers
 * marked), above its chart, in one theme.
 * @param {{title: string, pipeline: any[], rows: number, chart: any}} example @param {"light"|"dark"} theme
 */
async function exampleCard(example, theme) {
  const figure = await card(example.chart, theme, example.pipeline);
  figure.dataset.example = slug(example.title);
  const view = await client.request("view", { session, pipeline: example.pipeline, offset: 0, limit: example.rows,
    locale: navigator.language });
  const rows = el("div", { class: "table-wrap example-rows" });
  renderInto(rows, view.table);
  figure.prepend(rows);
  return figure;
}

async function main() {
  root.dataset.loupeState = "booting";
  try {
    await client.ready;
    await client.request("open_url", { session, url: new URL("sample/sales.csv", document.baseURI).href });
    const { specs, examples } = await client.request("gallery", {});
    const grid = /** @type {HTMLElement} */ (document.querySelector("#gallery"));
    for (const spec of specs) {
      const row = el("section", { class: "gallery-row" }, el("h2", {}, spec.title ?? spec.type));
      row.append(await card(spec, "light"), await card(spec, "dark"));
      grid.append(row);
    }
    for (const example of examples) {
      const row = el("section", { class: "gallery-row" }, el("h2", {}, example.title));
      row.append(await exampleCard(example, "light"), await exampleCard(example, "dark"));
      grid.append(row);
    }
    root.dataset.loupeState = "ready";
  } catch (error) {
    showError(error);
    root.dataset.loupeState = "error";
  }
}

/** @param {unknown} error */
function showError(error) {
  const status = /** @type {HTMLElement} */ (document.querySelector("#status"));
  status.hidden = false;
  status.textContent = String(/** @type {any} */ (error)?.message ?? error);
}

main();
