// The explorer page: boot progress, open/drop a file, build a pipeline of steps, pick a chart, page through
// rows. Every piece of text that came from data is set with textContent or built by tree.js.

import { sharedClient } from "./client.js";
import { View } from "./view.js";
import { renderInto } from "./tree.js";
import { wireExportMenu } from "./export-menu.js";
import { attachBusy } from "./busy.js";
import { Workspace, startingPoint } from "./workspace.js";
import { wireDocumentBar } from "./document-bar.js";
import { activeTable, chartIndex, emptyDocument, sourceOf } from "./store.js";
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

const $ = (/** @type {string} */ selector) => /** @type {HTMLElement} */ (document.querySelector(selector));

function boot() {
  const client = sharedClient();
  const root = document.documentElement;
  const view = new View(client, { root, table: $("#table"), chart: $("#chart"), status: $("#status") });
  attachBusy(view); // slow requests show what is happening, with Cancel (after a crash, View replays)
  root.dataset.loupeState = "booting";
  view.theme = matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  const rowsText = (/** @type {number} */ n) => n.toLocaleString(navigator.language);
  const bar = /** @type {HTMLProgressElement} */ ($("#boot-progress"));
  client.addEventListener("progress", (event) => {
    const { stage, fraction } = /** @type {CustomEvent} */ (event).detail;
    bar.value = fraction;
    $("#boot-stage").textContent = stage;
  });

  const columns = () => /** @type {{name: string, type: string}[]} */ (view.result?.columns ?? []);

  function refreshControls() {
    chartPanel.refresh();
    stepsPanel.refresh();
    code.refresh();
    data.refresh();
  }
  view.addEventListener("changed", () => refreshControls());
  const workspace = new Workspace(view);
  const data = wireDataPanel({ view, workspace, columns, rowsText });
  const table = wireDataTable({ view, workspace, root, rowsText, showProfile: data.showProfile });
  // The chart form, the document's charts of the table on show, "View as table" (app/chart-panel.js).
  const chartPanel = wireChartPanel({ client, view, workspace, columns, refresh: refreshControls });
  wirePhoneTabs($("#phone-tabs"), $("#layout")); // a phone shows the chart and table, or the steps
  // The other charts as a dashboard, and cross-filtering from any chart's marks (app/crossfilter.js).
  wireCrossFilter({ view, workspace, root, chart: $("#chart"), cards: $("#dashboard"), bar: $("#selection-bar"),
    text: $("#selection-text"), clear: $("#clear-selection"), keep: $("#keep-selection") });
  workspace.addEventListener("change", () => workspace.settled.then(() => {
    view.dataset = workspace.datasets.get(view.table) ?? null;
    data.showDataset();
    readOptions.show(view.dataset?.source ?? {});
  }));
  const readOptions = wireReadOptions({ view, workspace });
  const code = wirePipelineCode({ view, workspace }); // the pipeline as JSON, SQL and Python

  // The steps, their forms and the JSON step form (app/steps-panel.js).
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
  });
  const files = wireOpenFiles({ workspace, root, say: (text, kind) => view.say(text, kind) });
  $("#theme").addEventListener("click", () => {
    workspace.change({ theme: view.theme === "dark" ? "light" : "dark" }, "theme");
  });
  workspace.addEventListener("change", (event) => {
    const theme = /** @type {CustomEvent} */ (event).detail.document.view.theme;
    if (theme) root.dataset.theme = theme;
  });
  wireDocumentBar(workspace, {
    say: (text, kind) => view.say(text, kind),
    check: checkDocument,
    openFile: files.pick,
  });
  // A signal for pages and tests that the document on screen is saved (never a sleep): a count of saves,
  // and data-loupe-unsaved from a change until a save of that very document (an earlier change's pending
  // save must not count for it).
  let saves = 0;
  workspace.addEventListener("change", () => { root.dataset.loupeUnsaved = "true"; });
  workspace.addEventListener("saved", (event) => {
    const { saved, current } = /** @type {CustomEvent} */ (event).detail;
    if (!saved) return;
    root.dataset.loupeSaved = String(++saves);
    if (current) delete root.dataset.loupeUnsaved;
  });
  workspace.storage.addEventListener("unavailable", (event) => {
    // A lasting condition, so a lasting note (the status line is cleared by the next change).
    const note = $("#storage-note");
    note.textContent = `Your work is not being saved in this browser: ${/** @type {CustomEvent} */ (event).detail}. Export the document (⤓) to keep it.`;
    note.hidden = false;
  });
  /** A document from outside (a link, a file) checked by Python before anything runs. @param {any} doc */
  async function checkDocument(doc) {
    try {
      return (await client.request("document", { document: doc })).document;
    } catch (error) {
      const info = /** @type {any} */ (error).info;
      throw new Error(info ? info.text : String(/** @type {any} */ (error)?.message ?? error));
    }
  }

  // Paint what was on screen when this document was last saved, marked as restoring, while Python boots.
  /** @param {any} trees */
  function paintSaved(trees) {
    if (!trees?.table) return;
    root.dataset.loupeRestoring = "true";
    root.dataset.loupeRestoredAt = String(Math.round(performance.now()));
    $("#restoring").hidden = false;
    table.show({ row_count: trees.row_count ?? 0, offset: 0, table: trees.table, sketched: true });
    renderInto($("#chart"), trees.chart ?? null);
  }
  view.addEventListener("changed", () => {
    if (root.dataset.loupeRestoring !== "true") return;
    delete root.dataset.loupeRestoring;
    root.dataset.loupeLiveAt = String(Math.round(performance.now()));
    $("#restoring").hidden = true;
  });
  const sampleURL = new URL("sample/sales.csv", document.baseURI).href;
  const started = startingPoint(workspace.storage).then(async (start) => {
    if (start.kind === "saved") {
      paintSaved(start.saved.trees);
      workspace.adopt(start.saved.document, { id: start.saved.id });
    } else if (start.kind === "link") {
      try {
        workspace.adopt(await checkDocument(start.doc), { trusted: false });
      } catch (error) {
        workspace.adopt(emptyDocument());
        view.say(`This link could not be opened: ${/** @type {Error} */ (error).message}`, "error");
      }
    } else if (start.kind === "bad-link") {
      workspace.adopt(emptyDocument());
      view.say(`This link could not be opened: ${start.message}`, "error");
    } else {
      // A first visit: the sample document, painted from what build.py rendered while Python boots.
      const built = await fetch(new URL("../sample-view.json", import.meta.url)).then((r) => r.json()).catch(() => null);
      if (built?.document) {
        const doc = structuredClone(built.document);
        doc.view.theme = view.theme;
        paintSaved(built.trees?.[view.theme]);
        workspace.adopt(doc);
      } else {
        await workspace.open({ url: sampleURL, kind: "sample" }, { history: false });
      }
      await workspace.settled;
      if (start.cleared) view.say("Work saved in this browser was removed by the browser (its storage was cleared). Export documents (⤓) to keep copies.", "error");
    }
    await workspace.settled;
  });

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
