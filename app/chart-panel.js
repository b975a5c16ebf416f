// The chart panel: the chart form (built from Python's description of each chart type, app/chart-form.js),
// the document's charts of the table on show (one button each, and "Add a chart"), "View as table", and
// the chart as SVG and a file name for the Export menu.

import { ChartForm } from "./chart-form.js";
import { activeTable, chartIndex } from "./store.js";
import { el, renderInto } from "./tree.js";
import { slug } from "./download.js";

const $ = (/** @type {string} */ selector) => /** @type {HTMLElement} */ (document.querySelector(selector));

/**
 * @param {{
 *   client: import("./client.js").LoupeClient,
 *   view: import("./view.js").View,
 *   workspace: import("./workspace.js").Workspace,
 *   columns: () => {name: string, type: string}[],
 *   refresh: () => void,
 * }} context refresh redraws the page's controls (this panel's refresh among them)
 * @returns {{refresh: () => void, svg: () => Promise<string|null>, name: () => string}}
 */
export function wireChartPanel({ client, view, workspace, columns, refresh }) {
  const chartForm = new ChartForm(/** @type {HTMLFormElement} */ ($("#chart-form")), /** @type {HTMLFormElement} */ ($("#chart-json-form")));
  chartForm.addEventListener("change", (event) => workspace.change({ chart: /** @type {CustomEvent} */ (event).detail }, "chart"));
  chartForm.addEventListener("invalid", (event) => view.say(/** @type {CustomEvent} */ (event).detail, "error"));
  view.keepChart = true; // a chart that cannot be drawn says why and leaves the last good one on screen
  client.request("chart_form", {}).then((reply) => { chartForm.setTypes(reply); refresh(); }).catch(() => {});

  /** The document's charts of the table on show, one button each (the pressed one is drawn), and "Add a chart". */
  function showChartList() {
    const doc = workspace.document;
    const name = activeTable(doc)?.name;
    const shown = name ? chartIndex(doc, name) : -1;
    const mine = doc.charts.map((c, i) => ({ spec: c.spec, i, table: c.table })).filter((c) => c.table === name);
    $("#chart-list").replaceChildren(...mine.map(({ spec, i }, n) => el("button",
      { type: "button", class: "button small", "data-chart": String(i), "aria-pressed": String(i === shown) },
      `${n + 1}. ${String(spec.title ?? spec.type)}`)),
    el("button", { type: "button", class: "button small", id: "add-chart" }, "+ Add a chart"));
    $("#chart-list").hidden = !name;
  }
  $("#chart-list").addEventListener("click", (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest("button");
    if (!button) return;
    if (button.id === "add-chart") workspace.change({ addChart: view.chart ?? { type: "bar" } }, "add a chart");
    else workspace.change({ showChart: Number(button.dataset.chart) }, "show a chart");
  });

  const chartRequest = (/** @type {object} */ extra) => view.request("chart", {
    chart: view.chart, theme: view.theme,
    width: view.chartWidth(), ...extra });
  $("#chart-as-table").addEventListener("click", async () => {
    const button = $("#chart-as-table");
    const showTable = button.getAttribute("aria-pressed") !== "true";
    button.setAttribute("aria-pressed", String(showTable));
    button.textContent = showTable ? "View as chart" : "View as table";
    $("#chart").hidden = showTable;
    $("#chart-table").hidden = !showTable;
    if (showTable && view.chart) renderInto($("#chart-table"), (await chartRequest({})).table);
  });

  return {
    refresh() {
      chartForm.show(/** @type {any} */ (view.chart), columns(),
        { error: view.result?.chart_error ?? null, timeUnit: view.result?.chart_time_unit ?? null });
      $("#chart-stale").hidden = !view.result?.chart_error || !$("#chart").firstChild;
      showChartList();
    },
    svg: async () => (view.chart ? (await chartRequest({ svg: true })).svg : null),
    name: () => slug(`${view.chart?.type ?? "chart"} ${view.chart?.y ?? ""} ${view.chart?.x ?? ""}`),
  };
}
