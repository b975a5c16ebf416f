// The explorer page: boot progress, open/drop a file, build a pipeline of steps, pick a chart, page through
// rows. Every piece of text that came from data is set with textContent or built by tree.js.

import { sharedClient } from "./client.js";
import { View } from "./view.js";
import { VirtualTable } from "./virtual-table.js";
import { el, renderInto } from "./tree.js";
import { download, slug, svgToPng } from "./download.js";
import { attachBusy } from "./busy.js";

const $ = (/** @type {string} */ selector) => /** @type {HTMLElement} */ (document.querySelector(selector));
const NUMERIC = new Set(["integer", "float"]);
const OP_LABELS = { "==": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥", contains: "contains",
  startswith: "starts with", endswith: "ends with", is_null: "is empty", not_null: "is not empty" };

/** @param {HTMLSelectElement} select @param {string[]} values @param {string} [keep] */
function fillSelect(select, values, keep = select.value) {
  select.replaceChildren(...values.map((value) => el("option", { value }, value || "—")));
  if (values.includes(keep)) select.value = keep;
}

/** A step in words, for the step list. @param {any} step */
export function describeStep(step) {
  if (step.verb === "filter" && step.column) {
    const value = ["is_null", "not_null"].includes(step.op) ? "" : ` ${JSON.stringify(step.value)}`;
    return `Filter: ${step.column} ${OP_LABELS[step.op] ?? step.op}${value}`;
  }
  if (step.verb === "filter" && step.expr) return `Filter: ${step.expr}`;
  if (step.verb === "sort") {
    return `Sort: ${step.by.map((/** @type {any} */ k) => `${k.column} ${k.desc ? "↓" : "↑"}`).join(", ")}`;
  }
  const { verb, ...rest } = step;
  return `${verb[0].toUpperCase()}${verb.slice(1)}: ${JSON.stringify(rest)}`;
}

/** Typed filter values: numbers for numeric columns, text otherwise. @param {string} raw @param {string} type */
function filterValue(raw, type) {
  if (NUMERIC.has(type) && raw.trim() !== "" && Number.isFinite(Number(raw))) return Number(raw);
  if (type === "boolean") return raw.trim().toLowerCase() === "true";
  return raw;
}

/** What each chart type's form asks for: field labels (absent = not used) and whether it aggregates. */
const CHART_FORMS = {
  bar: { x: "Category", y: "Value", color: "Split by", agg: true },
  column: { x: "Category", y: "Value", color: "Split by", agg: true },
  line: { x: "Along", y: "Value", color: "One line per", agg: true },
  area: { x: "Along", y: "Value", color: "One area per", agg: true },
  scatter: { x: "X", y: "Y", color: "Colour by", agg: false },
  histogram: { x: "Value", agg: false },
  heatmap: { x: "Columns", color: "Rows", y: "Value", agg: true },
  box: { x: "Groups", y: "Value", agg: false },
};

/**
 * A first chart worth looking at: a money-like measure summed by the first category, else counts.
 * @param {{name: string, type: string}[]} columns
 */
export function defaultChart(columns) {
  const category = columns.find((c) => c.type === "text" || c.type === "boolean");
  if (!category) return null;
  const numbers = columns.filter((c) => NUMERIC.has(c.type));
  const preferred = ["revenue", "amount", "sales", "total", "value", "price", "cost"];
  const measure = preferred.map((word) => numbers.find((c) => c.name.toLowerCase().includes(word))).find(Boolean) ?? numbers[0];
  return measure ? { type: "bar", x: category.name, y: measure.name, agg: "sum" } : { type: "bar", x: category.name, agg: "count" };
}

const value = (/** @type {string} */ id) => /** @type {HTMLSelectElement} */ ($(id)).value;

/** The chart spec the form describes (the heatmap's rows use the colour field, its value the y field). */
function chartFromForm() {
  const type = value("#chart-type");
  const form = CHART_FORMS[/** @type {keyof CHART_FORMS} */ (type)];
  /** @type {Record<string, string>} */
  const spec = { type, x: value("#chart-x") };
  const agg = value("#chart-agg");
  if (form.agg) spec.agg = agg;
  const measure = form.y && !(form.agg && agg === "count") ? value("#chart-y") : "";
  const split = form.color ? value("#chart-color") : "";
  if (type === "heatmap") {
    if (split) spec.y = split;
    if (measure) spec.value = measure;
  } else {
    if (measure) spec.y = measure;
    if (split) spec.color = split;
  }
  return spec;
}

/**
 * Fit the chart form to the current chart: the fields its type uses, with their labels and choices.
 * @param {{name: string, type: string}[]} columns @param {string[]} categories @param {string[]} numbers
 */
function showChartForm(columns, categories, numbers) {
  const chart = /** @type {any} */ (currentChart) ?? {};
  const type = chart.type in CHART_FORMS ? chart.type : "bar";
  const form = CHART_FORMS[/** @type {keyof CHART_FORMS} */ (type)];
  /** @type {HTMLSelectElement} */ ($("#chart-type")).value = type;
  const all = columns.map((c) => c.name);
  const xChoices = ["scatter", "histogram"].includes(type) ? numbers : ["line", "area"].includes(type) ? all : categories;
  fillSelect(/** @type {HTMLSelectElement} */ ($("#chart-x")), xChoices.length ? xChoices : all, chart.x);
  fillSelect(/** @type {HTMLSelectElement} */ ($("#chart-y")), numbers, type === "heatmap" ? chart.value : chart.y);
  // A heatmap needs its rows (the colour field here); other types may leave it empty.
  const colorSelect = /** @type {HTMLSelectElement} */ ($("#chart-color"));
  if (type === "heatmap") fillSelect(colorSelect, categories, chart.y ?? categories.find((c) => c !== value("#chart-x")));
  else fillSelect(colorSelect, ["", ...categories], chart.color ?? "");
  if (chart.agg) /** @type {HTMLSelectElement} */ ($("#chart-agg")).value = chart.agg;
  for (const field of ["x", "y", "color"]) {
    const label = /** @type {Record<string, string|boolean>} */ (form)[field];
    const span = document.querySelector(`[data-label="${field}"]`);
    if (span && typeof label === "string") span.textContent = label;
    const wrapper = document.querySelector(`[data-field="${field}"]`);
    if (wrapper) /** @type {HTMLElement} */ (wrapper).hidden = !label;
  }
  /** @type {HTMLElement} */ (document.querySelector('[data-field="agg"]')).hidden = !form.agg;
  /** @type {HTMLTextAreaElement} */ ($("#chart-json")).value = JSON.stringify(currentChart ?? {}, null, 1);
}

/** @type {object|null} the chart on screen, for the form (set on every change) */
let currentChart = null;

function boot() {
  const client = sharedClient();
  const root = document.documentElement;
  const view = new View(client, { root, table: $("#table"), chart: $("#chart"), status: $("#status") });
  attachBusy(view); // slow requests show what is happening, with Cancel (after a crash, View replays)
  root.dataset.loupeState = "booting";
  view.theme = matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  const rowsText = (/** @type {number} */ n) => n.toLocaleString(navigator.language);
  const table = new VirtualTable($("#table"), (offset, limit, extra = {}) =>
    client.request("rows", { session: view.session, table: view.table, pipeline: view.pipeline, offset, limit, ...extra }));
  table.addEventListener("window", (event) => {
    const { offset, total } = /** @type {CustomEvent} */ (event).detail;
    const last = Math.min(offset + table.visibleRows, total);
    $("#window").textContent = `Rows ${rowsText(total ? offset + 1 : 0)}–${rowsText(last)} of ${rowsText(total)}`;
    root.dataset.loupeWindow = String(offset);
  });
  table.addEventListener("failed", (event) => view.sayError(/** @type {CustomEvent} */ (event).detail));
  view.onTable = (result) => table.show(result);
  view.limit = table.visibleRows;

  const bar = /** @type {HTMLProgressElement} */ ($("#boot-progress"));
  client.addEventListener("progress", (event) => {
    const { stage, fraction } = /** @type {CustomEvent} */ (event).detail;
    bar.value = fraction;
    $("#boot-stage").textContent = stage;
  });

  const columns = () => /** @type {{name: string, type: string}[]} */ (view.result?.columns ?? []);
  const typeOf = (/** @type {string} */ name) => columns().find((c) => c.name === name)?.type ?? "text";

  function refreshControls() {
    const names = columns().map((c) => c.name);
    fillSelect(/** @type {HTMLSelectElement} */ ($("#filter-column")), names);
    fillSelect(/** @type {HTMLSelectElement} */ ($("#sort-column")), names);
    fillSelect(/** @type {HTMLSelectElement} */ ($("#group-by")), names);
    fillSelect(/** @type {HTMLSelectElement} */ ($("#group-column")), names);
    const base = columns();
    const categories = base.filter((/** @type {any} */ c) => !NUMERIC.has(c.type)).map((/** @type {any} */ c) => c.name);
    const numbers = base.filter((/** @type {any} */ c) => NUMERIC.has(c.type)).map((/** @type {any} */ c) => c.name);
    showChartForm(base, categories, numbers);
    const steps = view.pipeline.map((step, index) => {
      const remove = el("button", { type: "button", "data-remove": String(index), "aria-label": `Remove step ${index + 1}` }, "×");
      const item = el("li", { class: index + 1 === view.failedStep ? "step failed" : "step" },
        el("span", {}, describeStep(step)), remove);
      return item;
    });
    $("#steps").replaceChildren(...steps);
    $("#steps-empty").hidden = steps.length > 0;
    $("#pipeline-json").textContent = JSON.stringify({ version: 1, source: view.table, steps: view.pipeline }, null, 2);
    const total = view.result?.row_count ?? 0;
    $("#dataset-name").textContent = view.dataset ? view.dataset.filename : "";
    $("#row-count").textContent = `${rowsText(total)} rows`;
    // The result's columns: each opens its profile (computed in SQL over the pipeline's result).
    $("#columns").replaceChildren(...columns().map((c) =>
      el("li", {}, el("button", { type: "button", class: "link", "data-profile": c.name }, c.name), " ",
        el("span", { class: `type t-${c.type}` }, c.type))));
  }
  view.addEventListener("changed", () => {
    currentChart = view.chart;
    refreshControls();
    // The chart's columns are gone (e.g. after a group step): draw a chart of what is there instead.
    const fallback = view.result?.chart_error ? defaultChart(view.result.columns) : null;
    if (fallback && JSON.stringify(fallback) !== JSON.stringify(view.chart)) view.update({ chart: fallback });
  });
  /** @type {Map<string, any>} what each loaded table's open returned, for switching between them */
  const datasets = new Map();
  function showDataset() {
    const dataset = view.dataset;
    $("#notes").textContent = (dataset?.notes ?? []).join(" · ");
    $("#tables-box").hidden = datasets.size < 2;
    $("#tables").replaceChildren(...[...datasets.keys()].map((name) =>
      el("li", {}, el("button", { type: "button", class: name === view.table ? "button small current" : "button small", "data-table": name }, name))));
    showOptions(dataset?.source ?? {});
  }
  view.addEventListener("opened", () => {
    datasets.set(view.table, view.dataset);
    showDataset();
    view.update({ chart: defaultChart(view.dataset?.columns ?? []) });
  });
  view.addEventListener("failed", (event) => {
    // A file that could not be read: offer the reading options, with the file kept for another try.
    if (/** @type {CustomEvent} */ (event).detail?.code !== "read") return;
    showOptions({});
    /** @type {HTMLDetailsElement} */ ($("#read-options")).open = true;
  });
  $("#columns").addEventListener("click", async (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest("[data-profile]");
    if (!button) return;
    const column = button.getAttribute("data-profile");
    try {
      const result = await client.request("profile", { session: view.session, table: view.table, pipeline: view.pipeline, column });
      renderInto($("#profile"), result.tree);
      $("#profile").hidden = false;
    } catch (error) {
      view.sayError(error);
    }
  });
  $("#tables").addEventListener("click", async (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest("[data-table]");
    const name = button?.getAttribute("data-table");
    if (!name || name === view.table) return;
    view.dataset = datasets.get(name);
    await view.client.request("use", { session: view.session, table: name });
    await view.update({ table: name, pipeline: [], chart: defaultChart(view.dataset.columns), offset: 0 });
    showDataset();
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
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!view.lastSource) return;
    const data = new FormData(form);
    /** @type {Record<string, unknown>} */
    const options = {};
    for (const key of ["delimiter", "encoding", "decimal", "date_order", "ragged"]) {
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
    const { file, url } = view.lastSource;
    view.open({ file, url, options });
  });

  const setPipeline = (/** @type {any[]} */ pipeline) => view.update({ pipeline, offset: 0 });

  $("#filter-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const column = /** @type {HTMLSelectElement} */ ($("#filter-column")).value;
    const op = /** @type {HTMLSelectElement} */ ($("#filter-op")).value;
    const raw = /** @type {HTMLInputElement} */ ($("#filter-value")).value;
    const step = { verb: "filter", column, op, ...(["is_null", "not_null"].includes(op) ? {} : { value: filterValue(raw, typeOf(column)) }) };
    setPipeline([...view.pipeline, step]);
  });
  $("#sort-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const column = /** @type {HTMLSelectElement} */ ($("#sort-column")).value;
    const desc = /** @type {HTMLSelectElement} */ ($("#sort-dir")).value === "desc";
    setPipeline([...view.pipeline, { verb: "sort", by: [{ column, desc }] }]);
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
    setPipeline([...view.pipeline, ...(Array.isArray(step) ? step : [step])]);
  });
  $("#derive-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const name = /** @type {HTMLInputElement} */ ($("#derive-name")).value.trim();
    const expr = /** @type {HTMLInputElement} */ ($("#derive-expr")).value.trim();
    setPipeline([...view.pipeline, { verb: "derive", as: name, expr }]);
  });
  $("#group-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const fn = value("#group-fn");
    const column = value("#group-column");
    const agg = fn === "count" ? { fn } : { fn, column, as: `${fn}_${column}` };
    setPipeline([...view.pipeline, { verb: "groupby", by: [value("#group-by")], aggs: [agg] }]);
  });
  // Examples for every verb, kept runnable on the sample by tests/test_step_examples.py.
  fetch(new URL("../step-examples.json", import.meta.url)).then((r) => r.json()).then((examples) => {
    const select = /** @type {HTMLSelectElement} */ ($("#step-example"));
    select.append(...Object.keys(examples).map((verb) => el("option", { value: verb }, verb)));
    select.addEventListener("change", () => {
      if (select.value) /** @type {HTMLTextAreaElement} */ ($("#step-json")).value = JSON.stringify(examples[select.value]);
    });
  }).catch(() => {});
  $("#steps").addEventListener("click", (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest("[data-remove]");
    if (!button) return;
    const index = Number(button.getAttribute("data-remove"));
    setPipeline(view.pipeline.filter((_, i) => i !== index));
  });
  $("#clear-steps").addEventListener("click", () => setPipeline([]));
  $("#chart-form").addEventListener("change", (event) => {
    // A new chart type starts from the columns that suit it, not the old type's choices.
    if (/** @type {HTMLElement} */ (event.target).id === "chart-type") {
      currentChart = { type: value("#chart-type") };
      refreshControls();
    }
    view.update({ chart: chartFromForm() });
  });
  $("#chart-json-form").addEventListener("submit", (event) => {
    event.preventDefault();
    try {
      view.update({ chart: JSON.parse(/** @type {HTMLTextAreaElement} */ ($("#chart-json")).value) });
    } catch (error) {
      view.say(`The chart is not valid JSON: ${/** @type {Error} */ (error).message}`, "error");
    }
  });
  const chartRequest = (/** @type {object} */ extra) => client.request("chart", {
    session: view.session, table: view.table, pipeline: view.pipeline, chart: view.chart, theme: view.theme,
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
  $("#chart-svg").addEventListener("click", async () => {
    if (view.chart) download(`${chartName()}.svg`, (await chartRequest({ svg: true })).svg, "image/svg+xml");
  });
  $("#chart-png").addEventListener("click", async () => {
    if (view.chart) download(`${chartName()}.png`, await svgToPng((await chartRequest({ svg: true })).svg), "image/png");
  });
  window.addEventListener("resize", () => { view.limit = table.visibleRows; });
  // Clicking a column header sorts by it; clicking again flips the direction.
  $("#table").addEventListener("click", (event) => {
    const header = /** @type {HTMLElement} */ (event.target).closest("[data-column]");
    if (!header) return;
    const column = /** @type {string} */ (header.getAttribute("data-column"));
    const last = view.pipeline.at(-1);
    const sorted = last?.verb === "sort" && /** @type {any} */ (last).by.length === 1 && /** @type {any} */ (last).by[0].column === column;
    const desc = sorted ? !(/** @type {any} */ (last).by[0].desc) : false;
    const keep = sorted ? view.pipeline.slice(0, -1) : view.pipeline;
    setPipeline([...keep, { verb: "sort", by: [{ column, desc }] }]);
  });

  $("#export-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const format = value("#export-format");
    const raw = /** @type {HTMLInputElement} */ ($("#export-raw")).checked;
    try {
      const result = await client.request("export", {
        session: view.session, table: view.table, pipeline: view.pipeline, format, safe: !raw,
        data: view.dataset?.filename });
      download(result.filename, result.bytes, result.mime);
      view.say(`Saved ${result.filename}${result.rows === undefined ? "" : ` (${rowsText(result.rows)} rows)`}.`);
    } catch (error) {
      view.sayError(error);
    }
  });

  const input = /** @type {HTMLInputElement} */ ($("#file-input"));
  input.addEventListener("change", () => {
    const file = input.files?.[0];
    if (file) view.open({ file });
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
    if (file) view.open({ file });
  });
  $("#theme").addEventListener("click", () => {
    const dark = view.theme !== "dark";
    root.dataset.theme = dark ? "dark" : "light";
    view.theme = root.dataset.theme;
    view.update({});
  });

  client.addEventListener("snapshot", (event) => {
    root.dataset.loupeSnapshot = /** @type {CustomEvent} */ (event).detail.saved ? "saved" : "failed";
  });
  client.ready.then(
    (info) => {
      root.dataset.loupeBoot = info.snapshot ? "snapshot" : "normal";
      $("#boot").hidden = true;
      $("#runtime").textContent = `Python ${info.runtime.python} · SQLite ${info.runtime.sqlite} · ${info.runtime.platform} · started in ${(info.boot_ms / 1000).toFixed(1)} s${info.snapshot ? " from a saved snapshot" : ""}`;
      const sample = new URL("sample/sales.csv", document.baseURI).href;
      return view.open({ url: sample });
    },
    (error) => {
      $("#boot-stage").textContent = String(error.message);
      view.say(`${error.message}. Hint: reload the page; if it keeps failing, your browser may block WebAssembly or module workers.`, "error");
      root.dataset.loupeState = "error";
    },
  ).finally(registerServiceWorker);
}

/**
 * Offline support, registered once the first table is up (or the boot failed): the service worker's
 * precache downloads every file of the build, and on a first visit it would compete with the boot for
 * the network and the CPU (measured: first visit 1.32x the bare Pyodide floor, 1.14x without it).
 */
function registerServiceWorker() {
  if ("serviceWorker" in navigator && location.protocol !== "file:") {
    navigator.serviceWorker.register(new URL("../sw.js", import.meta.url), { scope: new URL("../", import.meta.url).pathname })
      .catch((error) => console.warn("offline support unavailable:", error));
  }
}

boot();
