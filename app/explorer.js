// The explorer page's shell: it boots the worker (showing its progress), makes the view, the document
// workspace and each panel, and wires them together. Each panel is a module of its own with a small
// context object (the client, the view, the workspace) instead of shared closure variables:
//   open-files.js      the file button, the URL box, drop and paste
//   read-options.js    how a file is read (delimiter, header, types, ...)
//   data-panel.js      the file's name, row count, columns (with profiles) and loaded tables
//   steps-panel.js     the steps and their forms
//   pipeline-code.js   the pipeline as JSON, SQL and Python
//   chart-panel.js     the chart form, the document's charts, "View as table"
//   data-table.js      the rows, with grid keys, cell and header menus, sort by a header
//   save-signals.js    whether the work on screen is saved
//   start-document.js  the document a visit starts with (saved, a link's, or the sample)
// Every piece of text that came from data is set with textContent or built by tree.js.

import { sharedClient } from "./client.js";
import { View } from "./view.js";
import { wireExportMenu } from "./export-menu.js";
import { attachBusy } from "./busy.js";
import { Workspace } from "./workspace.js";
import { wireDocumentBar } from "./document-bar.js";
import { registerServiceWorker } from "./service-worker.js";
import { wireCrossFilter } from "./crossfilter.js";
import { wirePhoneTabs } from "./phone-tabs.js";
import { wireOpenFiles } from "./open-files.js";
import { wireReadOptions } from "./read-options.js";
import { pythonSources, wirePipelineCode } from "./pipeline-code.js";
import { wireStepsPanel } from "./steps-panel.js";
import { wireChartPanel } from "./chart-panel.js";
import { wireDataPanel } from "./data-panel.js";
import { wireDataTable } from "./data-table.js";
import { wireSaveSignals } from "./save-signals.js";
import { checkDocument, startDocument } from "./start-document.js";

const $ = (/** @type {string} */ selector) => /** @type {HTMLElement} */ (document.querySelector(selector));

function boot() {
  const client = sharedClient();
  const root = document.documentElement;
  const view = new View(client, { root, table: $("#table"), chart: $("#chart"), status: $("#status") });
  attachBusy(view); // slow requests show what is happening, with Cancel (after a crash, View replays)
  root.dataset.loupeState = "booting";
  view.theme = matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  const rowsText = (/** @type {number} */ n) => n.toLocaleString(navigator.language);
  const columns = () => /** @type {{name: string, type: string}[]} */ (view.result?.columns ?? []);
  const say = (/** @type {string} */ text, /** @type {string|undefined} */ kind) => view.say(text, kind);

  const bar = /** @type {HTMLProgressElement} */ ($("#boot-progress"));
  client.addEventListener("progress", (event) => {
    const { stage, fraction } = /** @type {CustomEvent} */ (event).detail;
    bar.value = fraction;
    $("#boot-stage").textContent = stage;
  });

  const workspace = new Workspace(view);
  const data = wireDataPanel({ view, workspace, columns, rowsText });
  const table = wireDataTable({ view, workspace, root, rowsText, showProfile: data.showProfile });
  /** Every panel's controls, after each result (and when a form's description arrives). */
  function refreshControls() {
    chartPanel.refresh();
    stepsPanel.refresh();
    code.refresh();
    data.refresh();
  }
  view.addEventListener("changed", () => refreshControls());
  const chartPanel = wireChartPanel({ client, view, workspace, columns, refresh: refreshControls });
  // A phone shows the chart and table, or the steps; the tab chosen is kept in the document's view.
  const tabs = wirePhoneTabs($("#phone-tabs"), $("#layout"), (panel) => {
    if ((workspace.document.view.panel ?? "view") !== panel) workspace.arrange({ panel });
  });
  workspace.addEventListener("change", (event) => tabs.show(/** @type {CustomEvent} */ (event).detail.document.view.panel ?? "view"));
  // The other charts as a dashboard, and cross-filtering from any chart's marks (app/crossfilter.js).
  wireCrossFilter({ view, workspace, root, chart: $("#chart"), cards: $("#dashboard"), bar: $("#selection-bar"),
    text: $("#selection-text"), clear: $("#clear-selection"), keep: $("#keep-selection"), asTable: $("#chart-table") });
  const readOptions = wireReadOptions({ view, workspace });
  workspace.addEventListener("change", () => workspace.settled.then(() => {
    view.dataset = workspace.datasets.get(view.table) ?? null;
    data.showDataset();
    readOptions.show(view.dataset?.source ?? {});
  }));
  const code = wirePipelineCode({ view, workspace });
  const stepsPanel = wireStepsPanel({ client, view, workspace, root, columns, refresh: refreshControls });
  // The Export menu (app/export-menu.js); failures show in the page (a PNG needs img-src blob: and a canvas).
  wireExportMenu(/** @type {HTMLButtonElement} */ ($("#export-menu")), {
    exportFile: (params) => view.request("export", { ...params, data: view.dataset?.filename, sources: pythonSources(workspace.document), document: workspace.document }),
    hasChart: () => Boolean(view.chart),
    chartSvg: chartPanel.svg,
    chartName: chartPanel.name,
    document: () => workspace.document,
    say: (text) => view.say(text),
    sayError: (error) => view.sayError(error),
    selection: () => (view.selection && view.result?.selection ? { marks: view.selection.marks, text: view.result.selection.text, rows: view.result.row_count } : null),
  });
  const files = wireOpenFiles({ workspace, root, say });
  $("#theme").addEventListener("click", () => {
    workspace.change({ theme: view.theme === "dark" ? "light" : "dark" }, "theme");
  });
  workspace.addEventListener("change", (event) => {
    const theme = /** @type {CustomEvent} */ (event).detail.document.view.theme;
    if (theme) root.dataset.theme = theme;
  });
  wireDocumentBar(workspace, { say, check: (doc) => checkDocument(client, doc), openFile: files.pick });
  wireSaveSignals({ workspace, root });
  const started = startDocument({ client, view, workspace, root, table });

  client.addEventListener("snapshot", (event) => {
    root.dataset.loupeSnapshot = /** @type {CustomEvent} */ (event).detail.saved ? "saved" : "failed";
  });
  client.ready.then(
    (info) => {
      root.dataset.loupeBoot = info.snapshot ? "snapshot" : "normal";
      $("#boot").hidden = true;
      $("#runtime").textContent = `Python ${info.runtime.python} · SQLite ${info.runtime.sqlite} · ${info.runtime.platform} · started in ${(info.boot_ms / 1000).toFixed(1)} s${info.snapshot ? " from a saved snapshot" : ""}`;
      return started;
    },
    (error) => {
      $("#boot-stage").textContent = String(error.message);
      view.say(`${error.message}. Hint: reload the page; if it keeps failing, your browser may block WebAssembly or module workers.`, "error");
      root.dataset.loupeState = "error";
    },
  ).finally(() => registerServiceWorker(() => workspace.save()));
}

boot();
