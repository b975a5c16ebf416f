// The steps panel: the list of the document's steps (switch off, move, remove, edit), the quick Filter and
// Sort forms, the forms generated from Python's verb records (app/step-forms.js, a join's with its preview),
// and the "Any step (JSON)" form that also edits a step in place. Every change is a new pipeline handed to
// the document store, so Undo takes it back.

import { STEP_ACTIONS, StepCounts, StepWords, renderSteps, wireSteps } from "./step-list.js";
import { StepForm } from "./step-forms.js";
import { JoinForm } from "./join-form.js";
import { activeTable } from "./store.js";
import { typedValue } from "./typed-value.js";
import { el, fillSelect } from "./tree.js";

const $ = (/** @type {string} */ selector) => /** @type {HTMLElement} */ (document.querySelector(selector));

/** @typedef {{name: string, type: string}} Column */

/**
 * @param {{
 *   client: import("./client.js").LoupeClient,
 *   view: import("./view.js").View,
 *   workspace: import("./workspace.js").Workspace,
 *   root: HTMLElement,
 *   columns: () => Column[],
 *   refresh: () => void,
 * }} context refresh redraws the page's controls (this panel's refresh among them)
 * @returns {{refresh: () => void}} refresh shows the steps of the table on screen
 */
export function wireStepsPanel({ client, view, workspace, root, columns, refresh }) {
  const setPipeline = (/** @type {any[]} */ pipeline) => workspace.change({ steps: pipeline }, "steps");
  // The document's steps, also while its table cannot be shown yet (a link waiting for its file).
  const shownSteps = () => view.table ? view.pipeline : activeTable(workspace.document)?.steps ?? [];
  const typeOf = (/** @type {string} */ name) => columns().find((c) => c.name === name)?.type ?? "text";
  const stepJson = /** @type {HTMLTextAreaElement} */ ($("#step-json"));

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
  $("#step-cancel").addEventListener("click", () => { stopEditing(); refresh(); });
  wireSteps($("#steps"), (act, index, to) => {
    const steps = shownSteps();
    if (act === "edit") {
      const { disabled, ...step } = /** @type {any} */ (steps[index]);
      stepForm.open(step.verb, step, index).then(() => { editing = index; refresh(); });
      return;
    }
    const action = STEP_ACTIONS[/** @type {keyof typeof STEP_ACTIONS} */ (act)];
    if (action) setPipeline(action(/** @type {any[]} */ (steps), index, to));
  });
  $("#step-form").addEventListener("submit", (event) => {
    event.preventDefault();
    let step;
    try {
      step = JSON.parse(stepJson.value);
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
  /** @param {any} step @param {number} index */
  const jsonEdit = (step, index) => {
    editing = index;
    stepJson.value = JSON.stringify(step, null, 1);
    $("#step-form-title").textContent = `Edit step ${index + 1} (JSON)`;
    $("#step-submit").textContent = `Update step ${index + 1}`;
    $("#step-cancel").hidden = false;
    stepJson.focus();
    refresh();
  };

  // Steps added and edited through forms generated from Python's verb records (app/step-forms.js).
  // A join's form also previews what the join would do (app/join-form.js, api "join_preview").
  const joinForm = new JoinForm({ current: () => view.table,
    preview: (step, index) => view.request("join_preview", { pipeline: view.pipeline.slice(0, index ?? undefined), join: step }) });
  const datasets = workspace.datasets;
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
      else stepJson.value = JSON.stringify(step, null, 1);
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
    editing(index) { editing = index; refresh(); },
  });
  stepForm.follow(view);

  const redrawSteps = () => drawSteps(shownSteps());
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
  client.request("verbs", {}).then((reply) => { stepForm.setVerbs(reply.verbs); refresh(); }).catch(() => {});
  // Examples for every verb, kept runnable on the sample by tests/test_step_examples.py.
  fetch(new URL("../step-examples.json", import.meta.url)).then((r) => r.json()).then((examples) => {
    const select = /** @type {HTMLSelectElement} */ ($("#step-example"));
    select.append(...Object.keys(examples).map((verb) => el("option", { value: verb }, verb)));
    select.addEventListener("change", () => {
      if (select.value) stepJson.value = JSON.stringify(examples[select.value]);
    });
  }).catch(() => {});
  $("#clear-steps").addEventListener("click", () => setPipeline([]));

  function refreshSteps() {
    const names = columns().map((c) => c.name);
    fillSelect(/** @type {HTMLSelectElement} */ ($("#filter-column")), names);
    fillSelect(/** @type {HTMLSelectElement} */ ($("#sort-column")), names);
    const pipeline = shownSteps();
    if (editing !== null && editing >= pipeline.length) stopEditing();
    drawSteps(pipeline);
    $("#steps-empty").hidden = pipeline.length > 0;
    // What the steps did that the user should know (a cast that could not read some values, ...).
    const notes = /** @type {string[]} */ (view.result?.notes ?? []);
    $("#step-notes").replaceChildren(...notes.map((note) => el("li", {}, note)));
    $("#step-notes").hidden = notes.length === 0;
  }
  return { refresh: refreshSteps };
}
