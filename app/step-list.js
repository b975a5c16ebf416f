// The step list: each step in words with its tools (edit, switch off/on, move up/down, duplicate,
// remove), keyboard moves (Alt+↑/↓ on a focused step, Delete removes it) and drag and drop. It only proposes a new
// list of steps; the caller commits it to the document, so every action can be undone.

import { el } from "./tree.js";

/** @typedef {{verb: string, disabled?: boolean, [key: string]: unknown}} Step */

/** Pure edits of a step list, by action name. */
export const STEP_ACTIONS = {
  /** @param {Step[]} steps @param {number} i */
  remove: (steps, i) => steps.filter((_, j) => j !== i),
  /** @param {Step[]} steps @param {number} i */
  duplicate: (steps, i) => [...steps.slice(0, i + 1), structuredClone(steps[i]), ...steps.slice(i + 1)],
  /** @param {Step[]} steps @param {number} i */
  up: (steps, i) => (i > 0 ? move(steps, i, i - 1) : steps),
  /** @param {Step[]} steps @param {number} i */
  down: (steps, i) => (i < steps.length - 1 ? move(steps, i, i + 1) : steps),
  /** Drag and drop: the step goes to where `to` is. @param {Step[]} steps @param {number} i @param {number} [to] */
  moveTo: (steps, i, to = i) => (to >= 0 && to < steps.length ? move(steps, i, to) : steps),
  /** @param {Step[]} steps @param {number} i */
  toggle: (steps, i) => steps.map((step, j) => {
    if (j !== i) return step;
    const { disabled, ...rest } = step;
    return disabled ? rest : { ...rest, disabled: true };
  }),
};

/** @param {Step[]} steps @param {number} from @param {number} to */
function move(steps, from, to) {
  const next = [...steps];
  const [step] = next.splice(from, 1);
  next.splice(to, 0, step);
  return next;
}

/**
 * Render the steps into an <ol>.
 * @param {HTMLElement} list @param {Step[]} steps @param {(step: Step) => string} describe
 * @param {{failed?: number|null, editing?: number|null, counts?: (number|null)[]|null}} marks 1-based failed
 *   step, 0-based step being edited, the row count after each step (null: not known)
 */
export function renderSteps(list, steps, describe, { failed = null, editing = null, counts = null } = {}) {
  const tool = (/** @type {string} */ act, /** @type {string} */ label, /** @type {string} */ text, extra = {}) =>
    el("button", { type: "button", class: "step-tool", "data-act": act, "aria-label": label, title: label, ...extra }, text);
  // A redraw (Python's counts or sentences arriving) keeps the keyboard where it was.
  const active = document.activeElement;
  const kept = active && list.contains(active)
    ? { index: active.closest("li")?.getAttribute("data-index"), act: active.getAttribute("data-act") } : null;
  list.replaceChildren(...steps.map((step, index) => {
    const n = index + 1;
    const classes = ["step", n === failed ? "failed" : "", step.disabled ? "off" : "", index === editing ? "editing" : ""];
    const count = counts?.[index];
    const rows = typeof count === "number" ? `${count.toLocaleString(navigator.language)} ${count === 1 ? "row" : "rows"}` : "";
    return el("li", { class: classes.filter(Boolean).join(" "), tabindex: "0", "data-index": String(index), draggable: "true",
      "aria-label": `Step ${n}: ${describe(step)}${step.disabled ? " (switched off)" : ""}${rows ? `, ${rows} after it` : ""}` },
      el("button", { type: "button", class: "link step-text", "data-act": "edit", title: "Edit this step" }, describe(step)),
      el("span", { class: "step-count", title: "Rows after this step", ...(rows ? { "data-count": String(count) } : {}) }, rows),
      el("span", { class: "step-tools" },
        tool("toggle", step.disabled ? `Switch step ${n} on` : `Switch step ${n} off`, step.disabled ? "○" : "●",
          { "aria-pressed": String(!step.disabled) }),
        tool("up", `Move step ${n} up`, "↑"),
        tool("down", `Move step ${n} down`, "↓"),
        tool("duplicate", `Duplicate step ${n}`, "⧉"),
        tool("remove", `Remove step ${n}`, "×", { "data-remove": String(index) })));
  }));
  if (list.dataset.focus !== undefined) {
    const items = list.querySelectorAll("li[data-index]");
    /** @type {HTMLElement|undefined} */ (items[Math.min(Number(list.dataset.focus), items.length - 1)])?.focus();
    delete list.dataset.focus;
  } else if (kept?.index != null) {
    const item = list.querySelector(`li[data-index="${Number(kept.index)}"]`);
    const target = kept.act ? item?.querySelector(`[data-act="${kept.act}"]`) : item;
    /** @type {HTMLElement|null|undefined} */ (target)?.focus();
  }
}

/**
 * Wire the list's clicks and keys to actions.
 * @param {HTMLElement} list
 * @param {(act: string, index: number, to?: number) => void} onAction "edit" or one of STEP_ACTIONS
 */
export function wireSteps(list, onAction) {
  // Drag a step onto another to put it there (the file drop on the page is not involved).
  const STEP_TYPE = "application/x-loupe-step";
  const itemAt = (/** @type {Event} */ event) => /** @type {HTMLElement|null} */ (/** @type {HTMLElement} */ (event.target).closest?.("li[data-index]"));
  const unmark = () => list.querySelectorAll(".drop-target").forEach((li) => li.classList.remove("drop-target"));
  list.addEventListener("dragstart", (event) => {
    const item = itemAt(event);
    if (!item || !event.dataTransfer) return;
    event.dataTransfer.setData(STEP_TYPE, String(item.getAttribute("data-index")));
    event.dataTransfer.effectAllowed = "move";
  });
  list.addEventListener("dragover", (event) => {
    const item = itemAt(event);
    if (!item || !event.dataTransfer?.types.includes(STEP_TYPE)) return;
    event.preventDefault();
    event.stopPropagation();
    event.dataTransfer.dropEffect = "move";
    unmark();
    item.classList.add("drop-target");
  });
  list.addEventListener("dragleave", unmark);
  list.addEventListener("drop", (event) => {
    const item = itemAt(event);
    const from = event.dataTransfer?.getData(STEP_TYPE);
    unmark();
    if (!item || from === undefined || from === "") return;
    event.preventDefault();
    event.stopPropagation();
    const to = Number(item.getAttribute("data-index"));
    if (Number(from) !== to) onAction("moveTo", Number(from), to);
  });
  list.addEventListener("click", (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest("[data-act]");
    const item = button?.closest("[data-index]");
    if (!button || !item) return;
    onAction(/** @type {string} */ (button.getAttribute("data-act")), Number(item.getAttribute("data-index")));
  });
  list.addEventListener("keydown", (event) => {
    const item = /** @type {HTMLElement} */ (event.target);
    if (!item.matches?.("li[data-index]")) return;
    const index = Number(item.getAttribute("data-index"));
    const act = event.altKey && event.key === "ArrowUp" ? "up"
      : event.altKey && event.key === "ArrowDown" ? "down"
        : event.key === "Delete" ? "remove"
          : event.key === "Enter" ? "edit" : null;
    if (!act) return;
    event.preventDefault();
    onAction(act, index);
    // Keep the keyboard on the moved step once the list is drawn again (renderSteps reads this).
    const target = act === "up" ? index - 1 : act === "down" ? index + 1 : index;
    if (act !== "edit") list.dataset.focus = String(Math.max(0, target));
  });
}

/** Python's sentences for steps, fetched once per distinct step and kept. */
export class StepWords {
  /** @param {{request: (method: string, params: object) => Promise<any>}} client @param {() => void} redraw */
  constructor(client, redraw) {
    this.client = client;
    this.redraw = redraw;
    /** @type {Map<string, string|null>} */ this.known = new Map();
  }

  /** The step in words, or null while Python has not said (or could not parse it). @param {any} step */
  text(step) {
    const { disabled, ...rest } = step; // a switched-off step reads the same; the list marks it
    return this.known.get(JSON.stringify(rest)) ?? null;
  }

  /** Ask Python for the sentences not known yet, then redraw. @param {any[]} steps */
  async fetch(steps) {
    const missing = steps.map(({ disabled, ...rest }) => rest).filter((s) => !this.known.has(JSON.stringify(s)));
    if (!missing.length) return;
    const reply = await this.client.request("verbs", { steps: missing }).catch(() => null);
    if (!reply) return;
    missing.forEach((step, i) => this.known.set(JSON.stringify(step), reply.steps_text[i] ?? null));
    this.redraw();
  }
}

/** The row count after each step (api "step_counts"), asked once per table and list of steps. */
export class StepCounts {
  /** @param {(steps: any[]) => Promise<any>} ask @param {() => void} redraw */
  constructor(ask, redraw) {
    this.ask = ask;
    this.redraw = redraw;
    this.key = "";
    this.pending = "";
    /** @type {(number|null)[]|null} */ this.counts = null;
  }

  /** The counts for these steps of this table, or null while they are not known. @param {string|null} table @param {any[]} steps */
  of(table, steps) {
    return JSON.stringify([table, steps]) === this.key ? this.counts : null;
  }

  /** Ask Python for the counts (unless these are known or on their way), then redraw. @param {string|null} table @param {any[]} steps */
  async fetch(table, steps) {
    const key = JSON.stringify([table, steps]);
    if (!table || key === this.key || key === this.pending) return;
    this.pending = key;
    const reply = await this.ask(steps).catch(() => null);
    if (this.pending !== key) return; // newer steps were asked for meanwhile
    this.pending = "";
    this.key = key;
    this.counts = reply?.counts ?? null;
    this.redraw();
  }
}
