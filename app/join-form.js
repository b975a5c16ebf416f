// The join step's form, beyond the fields every verb gets: the other table defaults to one not on screen,
// and before "Add step" a preview says what the join would do (api "join_preview": rows of each side that
// find a match or not, the rows of the result). A key pair Python refuses (text with a number, a date
// with text) shows its message and hint at the Keys field as soon as it is chosen.

import { el } from "./tree.js";

const WAIT_MS = 150; // a burst of changes (choosing a table, then a key) asks once

/** @typedef {{left_rows: number, right_rows: number, left_matched: number, left_unmatched: number,
 *   right_matched: number, right_unmatched: number, pairs: number, rows: number, how: string}} Preview */
/** @typedef {{message: string, text: string, hint?: string, field?: string, step?: number}} ErrorInfo */

/** @param {number} n @param {string} one @param {string} [many] */
const count = (n, one, many = `${one}s`) => `${n.toLocaleString(navigator.language)} ${n === 1 ? one : many}`;

/**
 * What the preview says, in words.
 * @param {Preview} p @param {string} table the other table
 * @returns {string[]} one line per side, then the result
 */
export function previewLines(p, table) {
  const n = (/** @type {number} */ x) => x.toLocaleString(navigator.language);
  return [
    `Here: ${n(p.left_matched)} of ${count(p.left_rows, "row")} match, ${n(p.left_unmatched)} unmatched.`,
    `${table}: ${n(p.right_matched)} of ${count(p.right_rows, "row")} match, ${n(p.right_unmatched)} unmatched.`,
    `Result (${p.how} join): ${count(p.rows, "row")}.`,
  ];
}

/** The message shown at a field for an error Python located there. @param {ErrorInfo} info */
export const fieldText = (info) => (info.hint ? `${info.message}. Hint: ${info.hint}` : info.message);

export class JoinForm {
  /**
   * @param {{preview: (step: any, index: number|null) => Promise<Preview>, current: () => string|null}} hooks
   *   preview asks Python about the step as the form reads now (added at `index`, or at the end)
   */
  constructor(hooks) {
    this.hooks = hooks;
    this.asked = 0; // the newest question: an older answer arriving late is dropped
    /** @type {number|undefined} */ this.timer = undefined;
    /** @type {WeakSet<HTMLElement>} the forms' field boxes already followed */ this.wired = new WeakSet();
    /** @type {import("./step-forms.js").StepForm|null} */ this.form = null;
    this.box = el("div", { class: "join-preview", role: "status", "aria-live": "polite", "data-part": "join-preview" });
    this.box.hidden = true;
  }

  /** Follow a form StepForm drew: a join gets the preview, any other verb drops it. @param {string} verb @param {import("./step-forms.js").StepForm} form */
  opened(verb, form) {
    this.asked += 1;
    this.box.hidden = true;
    this.box.replaceChildren();
    delete this.box.dataset.loupePreview;
    this.form = verb === "join" ? form : null;
    if (!this.form) return;
    form.fields.after(this.box);
    const table = /** @type {HTMLSelectElement|null} */ (form.fields.querySelector("[data-field=table] select"));
    const current = this.hooks.current();
    if (table && form.index === null && table.value === current) {
      // Adding: the other table is one not on screen (joining a table with itself stays possible).
      const other = [...table.options].find((o) => o.value && o.value !== current);
      if (other) {
        table.value = other.value;
        form.fillOther();
      }
    }
    if (!this.wired.has(form.fields)) {
      this.wired.add(form.fields);
      form.fields.addEventListener("change", () => { if (this.form === form) this.later(); });
      form.fields.addEventListener("click", (event) => {
        if (this.form === form && /** @type {HTMLElement} */ (event.target).closest("[data-remove-row], [data-add-row]")) this.later();
      });
    }
    this.later();
  }

  later() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.ask(), WAIT_MS);
  }

  async ask() {
    const form = this.form;
    if (!form) return;
    const step = form.read();
    const asked = ++this.asked;
    this.clearKeys(form);
    if (!step.table || !Array.isArray(step.on) || !step.on.length) {
      this.show(["Choose the other table and a key to see what the join would do."], "empty");
      return;
    }
    this.show(["Counting matches…"], "busy");
    try {
      const preview = await this.hooks.preview(step, form.index);
      if (asked === this.asked) this.show(previewLines(preview, String(step.table)), "ready");
    } catch (error) {
      if (asked !== this.asked) return;
      const info = /** @type {{info?: ErrorInfo}} */ (error).info;
      const text = info ? fieldText(info) : String(/** @type {any} */ (error)?.message ?? error);
      if (info?.field && this.atField(form, info.field, text)) this.show(["No preview until the keys fit."], "refused");
      else this.show([text], "refused");
    }
  }

  /** @param {string[]} lines @param {"empty"|"busy"|"ready"|"refused"} state */
  show(lines, state) {
    this.box.replaceChildren(...lines.map((line) => el("p", {}, line)));
    this.box.hidden = false;
    this.box.dataset.loupePreview = state;
  }

  /** Show a refusal at its field without taking the focus (the user is still choosing). @param {import("./step-forms.js").StepForm} form @param {string} field @param {string} text */
  atField(form, field, text) {
    const box = form.fields.querySelector(`[data-field="${CSS.escape(field)}"]`);
    const note = /** @type {HTMLElement|null|undefined} */ (box?.querySelector(".field-error"));
    if (!box || !note) return false;
    note.textContent = text;
    note.hidden = false;
    note.dataset.joinCheck = "";
    box.classList.add("invalid");
    for (const pick of box.querySelectorAll("select")) pick.setAttribute("aria-invalid", "true");
    return true;
  }

  /** Take back what atField showed (the keys changed). @param {import("./step-forms.js").StepForm} form */
  clearKeys(form) {
    for (const note of form.fields.querySelectorAll(".field-error[data-join-check]")) {
      const box = /** @type {HTMLElement} */ (note.closest(".step-field"));
      /** @type {HTMLElement} */ (note).hidden = true;
      delete /** @type {HTMLElement} */ (note).dataset.joinCheck;
      box.classList.remove("invalid");
      for (const pick of box.querySelectorAll("[aria-invalid]")) pick.removeAttribute("aria-invalid");
    }
  }
}
