// The explorer page: boot progress, open/drop a file, build a pipeline of steps, pick a chart, page through
// rows. Every piece of text that came from data is set with textContent or built by tree.js.

import { sharedClient } from "./client.js";
import { View } from "./view.js";
import { VirtualTable } from "./virtual-table.js";
import { el, renderInto } from "./tree.js";
import { slug } from "./download.js";
import { wireExportMenu } from "./export-menu.js";
import { attachBusy } from "./busy.js";
import { STEP_ACTIONS, StepCounts, StepWords, renderSteps, wireSteps } from "./step-list.js";
import { StepForm } from "./step-forms.js";
import { JoinForm } from "./join-form.js";
import { ChartForm } from "./chart-form.js";
import { Workspace, startingPoint } from "./workspace.js";
import { wireDocumentBar } from "./document-bar.js";
import { activeTable, chartIndex, emptyDocument, sourceOf } from "./store.js";
import { scriptURL } from "./trusted.js";
import { typedValue, wireTableMenus } from "./table-menu.js";
import { wireGridKeys } from "./grid-keys.js";
import { wireCrossFilter } from "./crossfilter.js";
import { wirePhoneTabs } from "./phone-tabs.js";

const $ = (/** @type {string} */ selector) => /** @type {HTMLElement} */ (document.querySelector(selector));

/** @param {HTMLSelectElement} select @param {string[]} values @param {string} [keep] */
function fillSelect(select, values, keep = select.value) {
  select.replaceChildren(...values.map((value) => el("option", { value }, value || "—")));
  if (values.includes(keep)) select.value = keep;
}


function boot() {
  const client = sharedClient();
  const root = document.documentElement;
  const view = new View(client, { root, table: $("#table"), chart: $("#chart"), status: $("#status") });
  attachBusy(view); // slow requests show what is happening, with Cancel (after a crash, View replays)
  root.dataset.loupeState = "booting";
  view.theme = matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  const rowsText = (/** @type {number} */ n) => n.toLocaleString(navigator.language);
  // The chart goes along: a scatter plot's alert rule marks the rows it draws (loupe.render.highlight).
  const table = new VirtualTable($("#table"), (offset, limit, extra = {}) =>
    view.request("rows", { offset, limit, chart: view.chart, ...extra }));
  table.addEventListener("window", (event) => {
    const { offset, total } = /** @type {CustomEvent} */ (event).detail;
    const last = Math.min(offset + table.visibleRows, total);
    $("#window").textContent = `Rows ${rowsText(total ? offset + 1 : 0)}–${rowsText(last)} of ${rowsText(total)}`;
    root.dataset.loupeWindow = String(offset);
  });
  table.addEventListener("failed", (event) => view.sayError(/** @type {CustomEvent} */ (event).detail));
  view.onTable = (result) => table.show(result ?? { row_count: 0, offset: 0, table: null, sketched: true });
  view.limit = table.visibleRows;

  const bar = /** @type {HTMLProgressElement} */ ($("#boot-progress"));
  client.addEventListener("progress", (event) => {
    const { stage, fraction } = /** @type {CustomEvent} */ (event).detail;
    bar.value = fraction;
    $("#boot-stage").textContent = stage;
  });

  const columns = () => /** @type {{name: string, type: string}[]} */ (view.result?.columns ?? []);
  const typeOf = (/** @type {string} */ name) => columns().find((c) => c.name === name)?.type ?? "text";

  // The chart form, built from Python's description of each chart type (app/chart-form.js).
  const chartForm = new ChartForm(/** @type {HTMLFormElement} */ ($("#chart-form")), /** @type {HTMLFormElement} */ ($("#chart-json-form")));
  chartForm.addEventListener("change", (event) => workspace.change({ chart: /** @type {CustomEvent} */ (event).detail }, "chart"));
  chartForm.addEventListener("invalid", (event) => view.say(/** @type {CustomEvent} */ (event).detail, "error"));
  view.keepChart = true; // a chart that cannot be drawn says why and leaves the last good one on screen

  function refreshControls() {
    const names = columns().map((c) => c.name);
    fillSelect(/** @type {HTMLSelectElement} */ ($("#filter-column")), names);
    fillSelect(/** @type {HTMLSelectElement} */ ($("#sort-column")), names);
    chartForm.show(/** @type {any} */ (view.chart), columns(),
      { error: view.result?.chart_error ?? null, timeUnit: view.result?.chart_time_unit ?? null });
    $("#chart-stale").hidden = !view.result?.chart_error || !$("#chart").firstChild;
    showChartList();
    // The document's steps, also while its table cannot be shown yet (a link waiting for its file).
    const pipeline = view.table ? view.pipeline : activeTable(workspace.document)?.steps ?? [];
    if (editing !== null && editing >= pipeline.length) stopEditing();
    drawSteps(pipeline);
    const steps = pipeline;
    $("#steps-empty").hidden = steps.length > 0;
    // What the steps did that the user should know (a cast that could not read some values, ...).
    const notes = /** @type {string[]} */ (view.result?.notes ?? []);
    $("#step-notes").replaceChildren(...notes.map((note) => el("li", {}, note)));
    $("#step-notes").hidden = notes.length === 0;
    $("#pipeline-json").textContent = JSON.stringify({ version: 1, source: view.table, steps: view.pipeline }, null, 2);
    $("#pipeline-sql").textContent = view.result?.sql ?? "";
    if (/** @type {HTMLDetailsElement} */ ($("#python-box")).open) showPython();
    const total = view.result?.row_count ?? 0;
    $("#dataset-name").textContent = view.dataset ? view.dataset.filename : "";
    $("#row-count").textContent = `${rowsText(total)} rows`;
    // The result's columns: each opens its profile (computed in SQL over the pipeline's result).
    $("#columns").replaceChildren(...columns().map((c) =>
      el("li", {}, el("button", { type: "button", class: "link", "data-profile": c.name }, c.name), " ",
        el("span", { class: `type t-${c.type}` }, c.type))));
  }
  view.addEventListener("changed", () => refreshControls());
  function showDataset() {
    const dataset = view.dataset;
    $("#notes").textContent = (dataset?.notes ?? []).join(" · ");
    $("#tables-box").hidden = datasets.size < 2;
    $("#tables").replaceChildren(...[...datasets.keys()].map((name) =>
      el("li", {}, el("button", { type: "button", class: name === view.table ? "button small current" : "button small", "data-table": name }, name))));
    showOptions(dataset?.source ?? {});
  }
  const workspace = new Workspace(view);
  const datasets = workspace.datasets;
  wirePhoneTabs($("#phone-tabs"), $("#layout")); // a phone shows the chart and table, or the steps
  // The other charts as a dashboard, and cross-filtering from any chart's marks (app/crossfilter.js).
  wireCrossFilter({ view, workspace, root, chart: $("#chart"), cards: $("#dashboard"), bar: $("#selection-bar"),
    text: $("#selection-text"), clear: $("#clear-selection"), keep: $("#keep-selection"), asTable: $("#chart-table") });
  workspace.addEventListener("change", () => workspace.settled.then(() => {
    view.dataset = datasets.get(view.table) ?? null;
    showDataset();
  }));
  view.addEventListener("failed", (event) => {
    // A file that could not be read: offer the reading options, with the file kept for another try.
    if (/** @type {CustomEvent} */ (event).detail?.code !== "read") return;
    showOptions({});
    /** @type {HTMLDetailsElement} */ ($("#read-options")).open = true;
  });
  /** Show a column's profile (computed in SQL over the pipeline's result). @param {string|null} column */
  async function showProfile(column) {
    try {
      const result = await view.request("profile", { column });
      renderInto($("#profile"), result.tree);
      $("#profile").hidden = false;
      $("#profile").dataset.column = String(column);
    } catch (error) {
      view.sayError(error);
    }
  }
  $("#columns").addEventListener("click", (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest("[data-profile]");
    if (button) showProfile(button.getAttribute("data-profile"));
  });
  $("#tables").addEventListener("click", (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest("[data-table]");
    const name = button?.getAttribute("data-table");
    if (name && name !== view.table) workspace.change({ table: name }, `show ${name}`);
  });

  const form = /** @type {HTMLFormElement} */ ($("#options-form"));
  let detectedTypes = "";
  /** Show what the reader detected, so the user can see it and override it. @param {any} source */
  function showOptions(source) {
    const field = (/** @type {string} */ name) => /** @type {HTMLSelectElement} */ (form.elements.namedItem(name));
    field("delimiter").value = source.delimiter ?? "";
    field("header").value = source.header === undefined ? "" : String(source.header);
    field("encoding").value = "";
    field("decimal").value = source.decimal ?? "";
    const part = source.sheet !== undefined ? "sheet" : source.table !== undefined ? "table" : null;
    $("#part-label").hidden = !part || !(source.choices?.length > 1);
    $("#part-kind").textContent = part === "sheet" ? "Sheet" : "Table";
    fillSelect(field("part"), source.choices ?? [], source.sheet ?? source.table);
    detectedTypes = source.types ? JSON.stringify(source.types) : "";
    /** @type {HTMLTextAreaElement} */ (form.elements.namedItem("types")).value = detectedTypes;
    /** @type {HTMLTextAreaElement} */ (form.elements.namedItem("date_formats")).value =
      source.date_formats ? JSON.stringify(source.date_formats) : "";
  }
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!view.lastSource) return;
    const data = new FormData(form);
    /** @type {Record<string, unknown>} */
    const options = {};
    for (const key of ["delimiter", "encoding", "decimal", "date_order", "ragged", "engine"]) {
      const value = String(data.get(key) ?? "");
      if (value) options[key] = value;
    }
    if (data.get("header")) options.header = data.get("header") === "true";
    const part = String(data.get("part") ?? "");
    if (part && !$("#part-label").hidden) options[$("#part-kind").textContent === "Sheet" ? "sheet" : "table"] = part;
    // Types are sent only when the user changed what was detected (another sheet has other columns).
    const types = String(data.get("types") ?? "").trim();
    if (types && types !== detectedTypes) {
      try {
        options.types = JSON.parse(types);
      } catch (error) {
        view.say(`Column types are not valid JSON: ${/** @type {Error} */ (error).message}. Hint: write {"column": "text"}.`, "error");
        return;
      }
    }
    const formats = String(data.get("date_formats") ?? "").trim();
    if (formats) {
      try {
        options.date_formats = JSON.parse(formats);
      } catch (error) {
        view.say(`Date formats are not valid JSON: ${/** @type {Error} */ (error).message}. Hint: write {"polldate": "%m/%d/%y"}.`, "error");
        return;
      }
    }
    // Read the shown table's source again (or the file that just failed to read) with these options.
    const source = sourceOf(workspace.document, view.table ?? "");
    const failed = view.failedSource ?? null;
    const where = failed ?? (source ? await workspace.locate(source) : view.lastSource);
    if (!where || "need" in where) return;
    workspace.open({ file: where.file, url: where.url, kind: source?.kind === "sample" ? "sample" : "url", options });
  });

  // The pipeline as Python that reruns it natively (loupe.read_file + Engine.run), written by Python.
  function pythonSources() {
    const doc = workspace.document;
    return doc.tables.map((t) => ({ table: t.name, source: sourceOf(doc, t.name) }))
      .filter(({ source }) => source)
      .map(({ table, source }) => ({ table, file: source?.name, options: source?.options ?? {} }));
  }
  async function showPython() {
    const reply = await view.request("python", { sources: pythonSources() }).catch((error) => ({ python: `# ${error.message}` }));
    $("#pipeline-python").textContent = reply.python;
  }
  $("#python-box").addEventListener("toggle", () => {
    if (/** @type {HTMLDetailsElement} */ ($("#python-box")).open) showPython();
  });

  const setPipeline = (/** @type {any[]} */ pipeline) => workspace.change({ steps: pipeline }, "steps");

  $("#filter-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const column = /** @type {HTMLSelectElement} */ ($("#filter-column")).value;
    const op = /** @type {HTMLSelectElement} */ ($("#filter-op")).value;
    const raw = /** @type {HTMLInputElement} */ ($("#filter-value")).value;
    const step = { verb: "filter", column, op, ...(["is_null", "not_null"].includes(op) ? {} : { value: typedValue(raw, typeOf(column)) }) };
    setPipeline([...view.pipeline, step]);
  });
  $("#sort-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const column = /** @type {HTMLSelectElement} */ ($("#sort-column")).value;
    const desc = /** @type {HTMLSelectElement} */ ($("#sort-dir")).value === "desc";
    setPipeline([...view.pipeline, { verb: "sort", by: [{ column, desc }] }]);
  });
  /** @type {number|null} the step being edited in the JSON form (0-based), or null when adding */
  let editing = null;
  function stopEditing() {
    editing = null;
    $("#step-form-title").textContent = "Any step (JSON)";
    $("#step-submit").textContent = "Add step";
    $("#step-cancel").hidden = true;
  }
  $("#step-cancel").addEventListener("click", () => { stopEditing(); refreshControls(); });
  wireSteps($("#steps"), (act, index, to) => {
    const steps = view.table ? view.pipeline : activeTable(workspace.document)?.steps ?? [];
    if (act === "edit") {
      const { disabled, ...step } = /** @type {any} */ (steps[index]);
      stepForm.open(step.verb, step, index).then(() => { editing = index; refreshControls(); });
      return;
    }
    const action = STEP_ACTIONS[/** @type {keyof typeof STEP_ACTIONS} */ (act)];
    if (action) setPipeline(action(/** @type {any[]} */ (steps), index, to));
  });
  $("#step-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = /** @type {HTMLTextAreaElement} */ ($("#step-json")).value;
    let step;
    try {
      step = JSON.parse(text);
    } catch (error) {
      view.say(`The step is not valid JSON: ${/** @type {Error} */ (error).message}. Hint: write one step as an object, e.g. {"verb": "limit", "n": 10}.`, "error");
      return;
    }
    const added = Array.isArray(step) ? step : [step];
    if (editing === null) {
      setPipeline([...view.pipeline, ...added]);
      return;
    }
    // Editing keeps the step's place (and whether it is switched off).
    const old = /** @type {any} */ (view.pipeline[editing]);
    const replaced = added.map((s) => (old?.disabled ? { ...s, disabled: true } : s));
    const next = [...view.pipeline.slice(0, editing), ...replaced, ...view.pipeline.slice(editing + 1)];
    stopEditing();
    setPipeline(next);
  });
  // Steps added and edited through forms generated from Python's verb records (app/step-forms.js).
  /** @param {any} step @param {number} index */
  const jsonEdit = (step, index) => {
    editing = index;
    /** @type {HTMLTextAreaElement} */ ($("#step-json")).value = JSON.stringify(step, null, 1);
    $("#step-form-title").textContent = `Edit step ${index + 1} (JSON)`;
    $("#step-submit").textContent = `Update step ${index + 1}`;
    $("#step-cancel").hidden = false;
    /** @type {HTMLTextAreaElement} */ ($("#step-json")).focus();
    refreshControls();
  };
  // A join's form also previews what the join would do (app/join-form.js, api "join_preview").
  const joinForm = new JoinForm({ current: () => view.table,
    preview: (step, index) => view.request("join_preview", { pipeline: view.pipeline.slice(0, index ?? undefined), join: step }) });
  const stepForm = new StepForm(/** @type {HTMLFormElement} */ ($("#add-step")), {
    submit(step, index) {
      const steps = view.pipeline;
      const at = index ?? steps.length;
      // Editing keeps the step's place and whether it is switched off.
      const kept = steps[at]?.disabled ? { ...step, disabled: true } : step;
      const sent = { index: at, result: view.result };
      setPipeline([...steps.slice(0, at), kept, ...steps.slice(index === null ? at : at + 1)]);
      return sent;
    },
    json(step, index) {
      if (index !== null) jsonEdit(step, index);
      else /** @type {HTMLTextAreaElement} */ ($("#step-json")).value = JSON.stringify(step, null, 1);
    },
    // A step's pickers offer the columns it reads: the result of the steps before it.
    async columns(index) {
      if (index === null || index >= view.pipeline.length) return columns();
      const before = await view.request("view", { pipeline: view.pipeline.slice(0, index), offset: 0, limit: 1 }).catch(() => null);
      return before?.columns ?? columns();
    },
    tables: () => [...datasets.keys()],
    tableColumns: (name) => datasets.get(name)?.columns ?? [],
    opened: (verb, form) => joinForm.opened(verb, form),
    editing(index) { editing = index; refreshControls(); },
  });
  stepForm.follow(view);
  const redrawSteps = () => drawSteps(view.table ? view.pipeline : activeTable(workspace.document)?.steps ?? []);
  const words = new StepWords(client, redrawSteps);
  const counts = new StepCounts((steps) => view.request("step_counts", { pipeline: steps }), () => {
    redrawSteps();
    root.dataset.loupeCounts = String(Number(root.dataset.loupeCounts ?? 0) + 1);
  });
  /** @param {any[]} pipeline */
  function drawSteps(pipeline) {
    // Python's sentences (api "verbs"); until they arrive, the verb's label.
    renderSteps($("#steps"), pipeline, (step) => words.text(step) ?? stepForm.label(step.verb),
      { failed: view.failedStep, editing, counts: counts.of(view.table, pipeline) });
    words.fetch(pipeline);
    if (view.table) counts.fetch(view.table, pipeline);
  }
  client.request("verbs", {}).then((reply) => { stepForm.setVerbs(reply.verbs); refreshControls(); }).catch(() => {});
  // Examples for every verb, kept runnable on the sample by tests/test_step_examples.py.
  fetch(new URL("../step-examples.json", import.meta.url)).then((r) => r.json()).then((examples) => {
    const select = /** @type {HTMLSelectElement} */ ($("#step-example"));
    select.append(...Object.keys(examples).map((verb) => el("option", { value: verb }, verb)));
    select.addEventListener("change", () => {
      if (select.value) /** @type {HTMLTextAreaElement} */ ($("#step-json")).value = JSON.stringify(examples[select.value]);
    });
  }).catch(() => {});
  $("#clear-steps").addEventListener("click", () => setPipeline([]));
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
  client.request("chart_form", {}).then((reply) => { chartForm.setTypes(reply); refreshControls(); }).catch(() => {});
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
  const chartName = () => slug(`${view.chart?.type ?? "chart"} ${view.chart?.y ?? ""} ${view.chart?.x ?? ""}`);
  // The Export menu (app/export-menu.js); failures show in the page (a PNG needs img-src blob: and a canvas).
  wireExportMenu(/** @type {HTMLButtonElement} */ ($("#export-menu")), {
    exportFile: (params) => view.request("export", { ...params, data: view.dataset?.filename, sources: pythonSources(), document: workspace.document }),
    hasChart: () => Boolean(view.chart),
    chartSvg: async () => (view.chart ? (await chartRequest({ svg: true })).svg : null),
    chartName,
    document: () => workspace.document,
    say: (text) => view.say(text),
    sayError: (error) => view.sayError(error),
    selection: () => (view.selection && view.result?.selection ? { marks: view.selection.marks, text: view.result.selection.text, rows: view.result.row_count } : null),
  });
  window.addEventListener("resize", () => { view.limit = table.visibleRows; });
  // Cells and header menu buttons offer filters and column tools (app/table-menu.js), as steps.
  wireGridKeys($("#table"), table, (cell) => cell.click()); // arrows, Home/End, PageUp/Down; Enter opens the cell menu
  wireTableMenus($("#table"), table, {
    pipeline: () => view.pipeline,
    commit: (steps, label) => workspace.change({ steps }, label),
    cell: (row, column) => view.request("cell", { offset: row, limit: 1, column }),
    profile: (column) => view.request("profile", { column }),
    showProfile,
  });
  // Clicking a column header (or Enter / Space on it) sorts by it; again flips the direction.
  $("#table").addEventListener("click", (event) => sortByHeader(event.target));
  $("#table").addEventListener("keydown", (event) => {
    if (event.key !== "Enter" && event.key !== " ") return;
    const target = /** @type {HTMLElement} */ (event.target);
    if (!target.closest?.("th[data-column]") || target.closest(".col-menu")) return;
    event.preventDefault();
    sortByHeader(event.target);
  });
  /** @param {EventTarget|null} target */
  function sortByHeader(target) {
    const header = /** @type {HTMLElement} */ (target).closest("[data-column]");
    if (!header || /** @type {HTMLElement} */ (target).closest(".col-menu")) return;
    const column = /** @type {string} */ (header.getAttribute("data-column"));
    const last = view.pipeline.at(-1);
    const sorted = last?.verb === "sort" && /** @type {any} */ (last).by.length === 1 && /** @type {any} */ (last).by[0].column === column;
    const desc = sorted ? !(/** @type {any} */ (last).by[0].desc) : false;
    const keep = sorted ? view.pipeline.slice(0, -1) : view.pipeline;
    setPipeline([...keep, { verb: "sort", by: [{ column, desc }] }]);
  }
  // Paste a table (CSV or TSV text copied from a spreadsheet or a page) anywhere outside a text field.
  document.addEventListener("paste", (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    if (target.isContentEditable || /^(INPUT|TEXTAREA)$/.test(target.tagName)) return;
    const text = event.clipboardData?.getData("text/plain") ?? "";
    if (!text.trim()) return;
    event.preventDefault();
    const tsv = text.split("\n", 1)[0].includes("\t");
    workspace.open({ file: new File([text], tsv ? "pasted.tsv" : "pasted.csv", { type: "text/plain" }) });
  });
  $("#open-file").addEventListener("click", () => input.click());
  $("#url-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const field = /** @type {HTMLInputElement} */ ($("#url-input"));
    const url = field.value.trim();
    if (!/^https?:\/\//i.test(url)) {
      view.say("Give an address that starts with https:// (or http://). Hint: for a file on this machine, use Open a file.", "error");
      return;
    }
    workspace.open({ url });
  });

  const input = /** @type {HTMLInputElement} */ ($("#file-input"));
  input.addEventListener("change", () => {
    const file = input.files?.[0];
    if (file) workspace.open({ file });
    input.value = "";
  });
  document.addEventListener("dragover", (event) => {
    event.preventDefault();
    root.classList.add("dragging");
  });
  document.addEventListener("dragleave", () => root.classList.remove("dragging"));
  document.addEventListener("drop", (event) => {
    event.preventDefault();
    root.classList.remove("dragging");
    const file = event.dataTransfer?.files?.[0];
    if (file) workspace.open({ file });
  });
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
    openFile: () => input.click(),
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

/**
 * Offline support, registered once the first table is up (or the boot failed): the service worker's
 * precache downloads every file of the build, and on a first visit it would compete with the boot for
 * the network and the CPU (measured: first visit 1.32x the bare Pyodide floor, 1.14x without it).
 * A new version installs in the background and waits: the page offers "Reload", and only then does the
 * new version take over (public/sw.js). If it cannot be installed for offline use, the page says why.
 */
/** @param {() => Promise<unknown>} [beforeReload] saves the document before an update reloads the page */
function registerServiceWorker(beforeReload = async () => {}) {
  if (!("serviceWorker" in navigator) || location.protocol === "file:") return;
  const container = navigator.serviceWorker;
  /** A line under the status, made once: @param {string} id @param {...(Node|string)} content */
  const notice = (id, ...content) => {
    const line = document.getElementById(id) ?? el("p", { id, class: "status notice", role: "status" });
    line.replaceChildren(...content);
    if (!line.isConnected) $("#status").after(line);
  };
  container.addEventListener("message", (event) => {
    if (event.data?.type !== "offline-unavailable") return;
    const { reason, message } = event.data;
    // With a version already installed, that one keeps working (offline too); the new one waits for later.
    notice("offline-notice", reason === "storage-full"
      ? "Offline mode unavailable (storage full): Loupe keeps working online; free some browser storage to use it offline."
      : container.controller
        ? `An update of Loupe could not be installed (${message}); this version keeps working, offline too.`
        : `Offline mode unavailable (${message}); Loupe keeps working online.`);
  });
  container.startMessages();
  let accepted = false;
  container.addEventListener("controllerchange", () => { if (accepted) location.reload(); });
  /** @param {ServiceWorker} waiting */
  const offer = (waiting) => {
    const reload = el("button", { type: "button", class: "button small", id: "update-reload" }, "Reload");
    reload.addEventListener("click", async () => {
      reload.disabled = true;
      // The document is saved first, so the new version opens the same work (a reload's pagehide save
      // may not finish before the page is gone).
      await beforeReload().catch((error) => console.warn("Loupe: could not save before the update:", error));
      accepted = true;
      waiting.postMessage({ type: "activate-update" });
    });
    notice("update-notice", "A new version of Loupe is ready — ", reload);
  };
  container.register(scriptURL(new URL("../sw.js", import.meta.url)), { scope: new URL("../", import.meta.url).pathname })
    .then((registration) => {
      if (registration.waiting && container.controller) offer(registration.waiting);
      registration.addEventListener("updatefound", () => {
        const installing = registration.installing;
        installing?.addEventListener("statechange", () => {
          if (installing.state === "installed" && container.controller) offer(installing);
        });
      });
    }, (error) => console.warn("offline support unavailable:", error));
}

boot();
