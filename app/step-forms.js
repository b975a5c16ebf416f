// A form for any step, built from the verb records Python sends (api "verbs": each field's kind, label,
// help, choices): column pickers from the step's input columns (filtered by type), lists with add/remove
// rows (group by several columns with several aggregates), expressions, values typed by their column.
// The same form adds a step and edits one; an error Python locates at a step and field shows inline.

import { el } from "./tree.js";
import { typedValue } from "./typed-value.js";

/** @typedef {{name: string, type: string}} Column */
/** @typedef {{name: string, kind: string, label: string, help: string, required: boolean, default?: unknown,
 *   choices?: string[], types?: string[], numeric?: string[]}} FieldForm */
/** @typedef {{verb: string, label: string, summary: string, fields: FieldForm[], example: any}} VerbForm */
/** @typedef {{node: HTMLElement, read: () => unknown, write: (value: any) => void}} Control */

const NUMERIC = new Set(["integer", "float"]);
const ROW_KINDS = new Set(["columns", "aggs", "sort", "rename", "types", "join_keys"]);

/** @param {string} label @param {string[]} values @param {unknown} [value] @param {string} [blank] */
function select(label, values, value, blank) {
  const keep = value === undefined || value === null ? "" : String(value);
  const all = keep && !values.includes(keep) ? [...values, keep] : values; // a value not offered is kept
  const node = /** @type {HTMLSelectElement} */ (el("select", { "aria-label": label },
    ...(blank !== undefined ? [el("option", { value: "" }, blank)] : []),
    ...all.map((v) => el("option", { value: v }, v))));
  node.value = keep || (blank !== undefined ? "" : all[0] ?? "");
  return node;
}

/** @param {string} label @param {string} [type] */
const input = (label, type = "text") => /** @type {HTMLInputElement} */ (el("input", { "aria-label": label, type }));

/** A value as typed text; read back typed by the column it is compared with. @param {unknown} value */
const asText = (value) => (value === null || value === undefined ? ""
  : Array.isArray(value) ? value.map(asText).join(", ") : String(value));

export class StepForm {
  /**
   * @param {HTMLFormElement} form holds its parts by data-part: title, verb (a select), fields, error, json, cancel
   * @param {{submit: (step: any, index: number|null) => {index: number, result: unknown},
   *   json: (step: any, index: number|null) => void, columns: (index: number|null) => Promise<Column[]>,
   *   tables: () => string[], editing: (index: number|null) => void,
   *   tableColumns?: (table: string) => Column[], opened?: (verb: string, form: StepForm) => void}} hooks
   *   submit returns where the step went and the result on screen when it was sent; tableColumns gives
   *   another open table's columns (a join's right keys); opened follows every form drawn (app/join-form.js)
   */
  constructor(form, hooks) {
    this.form = form;
    this.hooks = hooks;
    /** @type {Map<string, VerbForm>} */ this.verbs = new Map();
    /** @type {number|null} the step being edited (0-based), null when adding */ this.index = null;
    /** @type {Map<string, Control>} */ this.controls = new Map();
    /** @type {Column[]} */ this.columns = [];
    this.picker = /** @type {HTMLSelectElement} */ (form.querySelector("[data-part=verb]"));
    this.fields = /** @type {HTMLElement} */ (form.querySelector("[data-part=fields]"));
    this.message = /** @type {HTMLElement} */ (form.querySelector("[data-part=error]"));
    this.picker.addEventListener("change", () => this.open(this.picker.value, null, this.index));
    /** @type {{index: number, result: unknown}|null} the step just sent, until the view answers */
    this.sent = null;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!this.picker.value) return;
      this.clearErrors();
      this.sent = hooks.submit(this.read(), this.index);
    });
    form.querySelector("[data-part=json]")?.addEventListener("click", () => hooks.json(this.read(), this.index));
    form.querySelector("[data-part=cancel]")?.addEventListener("click", () => { this.close(); hooks.editing(null); });
  }

  /**
   * Follow what the view makes of a step this form sent: it ran (a new result), so the form closes; or
   * Python blamed it, so the form stays on it (now editing it) with the message at the field.
   * @param {EventTarget & {result: unknown}} view
   */
  follow(view) {
    view.addEventListener("failed", (event) => {
      if (this.sent && this.showError(/** @type {CustomEvent} */ (event).detail, this.sent.index)) {
        this.mark(this.sent.index);
        this.hooks.editing(this.sent.index);
      }
    });
    view.addEventListener("changed", () => {
      if (!this.sent || view.result === this.sent.result) return;
      this.sent = null;
      this.close();
      this.hooks.editing(null);
    });
  }

  /** @param {VerbForm[]} verbs */
  setVerbs(verbs) {
    this.verbs = new Map(verbs.map((v) => [v.verb, v]));
    this.picker.replaceChildren(el("option", { value: "" }, "Add a step…"),
      ...verbs.map((v) => el("option", { value: v.verb }, v.label)));
  }

  /** The verb's label, for a step Python could not describe. @param {string} verb */
  label(verb) { return this.verbs.get(verb)?.label ?? verb; }

  /**
   * Show the verb's form, empty (adding) or filled with a step's values (editing step `index`).
   * @param {string} verb @param {any} [step] @param {number|null} [index]
   */
  async open(verb, step = null, index = null) {
    this.index = index;
    this.picker.value = verb;
    const record = this.verbs.get(verb);
    this.columns = record ? await this.hooks.columns(index) : [];
    this.controls = new Map();
    this.fields.replaceChildren(...(record?.fields ?? []).map((field) => {
      const control = this.control(field);
      if (step && field.name in step) control.write(step[field.name]);
      this.controls.set(field.name, control);
      return el("div", { class: `step-field k-${field.kind}`, "data-field": field.name },
        el("span", { class: "step-field-label", title: field.help }, field.label + (field.required ? " *" : "")),
        control.node, el("span", { class: "field-error", role: "alert", hidden: "" }));
    }));
    this.say("");
    this.mark(index);
    for (const part of this.form.querySelectorAll("[data-part=json], [data-part=cancel], [type=submit]")) {
      /** @type {HTMLElement} */ (part).hidden = !record;
    }
    if (record) /** @type {HTMLElement|null} */ (this.fields.querySelector("select, input"))?.focus();
    this.hooks.opened?.(verb, this);
  }

  close() { this.open(""); }

  /** The form now edits step `index` (0-based; null: adds one), e.g. a new step that failed. @param {number|null} index */
  mark(index) {
    this.index = index;
    const title = /** @type {HTMLElement} */ (this.form.querySelector("[data-part=title]"));
    title.textContent = index === null ? "Add a step" : `Edit step ${index + 1}`;
    const submit = /** @type {HTMLElement} */ (this.form.querySelector("[type=submit]"));
    submit.textContent = index === null ? "Add step" : `Update step ${index + 1}`;
    this.form.classList.toggle("editing", index !== null);
  }

  /** The step the form describes now (fields left empty are left out). */
  read() {
    /** @type {Record<string, unknown>} */
    const step = { verb: this.picker.value };
    for (const [name, control] of this.controls) {
      const value = control.read();
      if (value !== undefined && !(Array.isArray(value) && value.length === 0)) step[name] = value;
    }
    return step;
  }

  /**
   * Show an error Python located at this form's step, at its field; false if it is not about it.
   * @param {{step?: number, field?: string, text: string}|null} info @param {number} index the step's place
   */
  showError(info, index) {
    if (!info || info.step !== index + 1) return false;
    const box = info.field ? this.fields.querySelector(`[data-field="${CSS.escape(info.field)}"]`) : null;
    const note = box?.querySelector(".field-error");
    if (box && note) {
      note.textContent = info.text;
      note.hidden = false;
      box.classList.add("invalid");
      /** @type {HTMLElement|null} */ (box.querySelector("select, input"))?.setAttribute("aria-invalid", "true");
      /** @type {HTMLElement|null} */ (box.querySelector("select, input"))?.focus();
    } else this.say(info.text);
    return true;
  }

  clearErrors() {
    this.say("");
    for (const box of this.fields.querySelectorAll(".step-field.invalid")) {
      box.classList.remove("invalid");
      /** @type {HTMLElement} */ (box.querySelector(".field-error")).hidden = true;
      box.querySelector("[aria-invalid]")?.removeAttribute("aria-invalid");
    }
  }

  /** @param {string} text */
  say(text) {
    this.message.textContent = text;
    this.message.hidden = !text;
  }

  /** The input columns' names, only those of the field's types when it names some. @param {FieldForm} f */
  names(f) {
    return this.columns.filter((c) => !f.types?.length || f.types.includes(c.type)).map((c) => c.name);
  }

  /** The type of the column the step's values are compared with: the first column chosen in the form. */
  valueType() {
    for (const control of this.controls.values()) {
      if (!control.node.classList.contains("column-pick")) continue;
      const chosen = control.read();
      const name = Array.isArray(chosen) ? chosen[0] : chosen;
      if (typeof name === "string") return this.columns.find((c) => c.name === name)?.type;
    }
    return undefined;
  }

  /** The columns of the table a join names (null when they are not known: the key is typed). */
  otherNames() {
    const table = /** @type {string|undefined} */ (this.controls.get("table")?.read());
    const columns = table ? this.hooks.tableColumns?.(table) : undefined;
    return columns?.length ? columns.map((c) => c.name) : null;
  }

  /** Offer the chosen table's columns in every right key, keeping a choice the table also has. */
  fillOther() {
    const other = this.otherNames();
    for (const right of this.fields.querySelectorAll("select[data-key=right]")) {
      const pick = /** @type {HTMLSelectElement} */ (right);
      const left = /** @type {HTMLSelectElement|null} */ (pick.parentElement?.querySelector("select[data-key=left]"));
      const keep = other?.includes(pick.value) ? pick.value : sameOr(other ?? [], left?.value ?? "");
      pick.replaceChildren(...(other ?? []).map((v) => el("option", { value: v }, v)));
      pick.value = keep ?? "";
    }
  }

  /** @param {FieldForm} f @returns {Control} */
  control(f) {
    if (ROW_KINDS.has(f.kind)) return this.rows(f);
    const blank = f.required || f.default !== undefined ? undefined : "—";
    if (f.kind === "column" || f.kind === "table") {
      const node = select(f.label, f.kind === "table" ? this.hooks.tables() : this.names(f), undefined, blank);
      node.classList.add(...(f.kind === "column" ? ["column-pick"] : []));
      // A join's right keys are the chosen table's columns: offered again when another table is chosen.
      if (f.kind === "table") node.addEventListener("change", () => this.fillOther());
      return { node, read: () => node.value || undefined, write: (v) => fillTo(node, v) };
    }
    if (f.kind === "choice") {
      const node = select(f.label, f.choices ?? [], f.default, blank);
      return { node, read: () => (node.value && node.value !== f.default ? node.value : undefined), write: (v) => fillTo(node, v) };
    }
    if (f.kind === "bool") {
      const node = input(f.label, "checkbox");
      node.checked = Boolean(f.default);
      return { node, read: () => (node.checked === Boolean(f.default) ? undefined : node.checked), write: (v) => { node.checked = Boolean(v); } };
    }
    if (f.kind === "integer" || f.kind === "number") {
      const node = input(f.label, "number");
      if (f.kind === "number") node.step = "any";
      return { node, read: () => (node.value === "" ? undefined : Number(node.value)), write: (v) => { node.value = asText(v); } };
    }
    const node = input(f.label);
    if (f.kind === "expr") node.classList.add("expr");
    const list = f.kind === "value_list" || f.kind === "values";
    const read = () => {
      if (node.value === "") return undefined;
      if (f.kind === "expr" || f.kind === "name" || f.kind === "text") return node.value;
      const op = /** @type {string|undefined} */ (this.controls.get("op")?.read());
      const many = f.kind === "value_list" || (list && (op === "in" || op === "not_in" || op === "between"));
      const type = this.valueType();
      // A range's empty end ("3," or ", 5") is an open end: null.
      const part = (/** @type {string} */ text) => (op === "between" && text.trim() === "" ? null : typedValue(text.trim(), type));
      return many ? node.value.split(",").map(part) : typedValue(node.value, type);
    };
    return { node, read, write: (v) => { node.value = asText(v); } };
  }

  /** A list with add/remove rows: columns, aggregates, sort keys, renames, types, join keys. @param {FieldForm} f */
  rows(f) {
    const body = el("div", { class: "step-rows" });
    const node = el("div", { class: f.kind === "columns" ? "column-pick" : "" }, body);
    /** @type {{node: HTMLElement, read: () => any}[]} */
    let items = [];
    const add = (/** @type {any} */ value) => {
      const n = items.length + 1;
      const row = this.row(f, `${f.label} ${n}`, value);
      const remove = el("button", { type: "button", class: "step-tool", "data-remove-row": "", "aria-label": `Remove ${f.label} ${n}` }, "×");
      const item = { node: el("div", { class: "step-row" }, ...row.parts, remove), read: row.read };
      remove.addEventListener("click", () => { items = items.filter((i) => i !== item); item.node.remove(); });
      items.push(item);
      body.append(item.node);
    };
    const more = el("button", { type: "button", class: "button small", "data-add-row": "" }, `+ ${f.label}`);
    more.addEventListener("click", () => add(undefined));
    node.append(more);
    const entries = (/** @type {any} */ v) => (v === null || v === undefined ? []
      : (f.kind === "rename" || f.kind === "types") && typeof v === "object" && !Array.isArray(v) ? Object.entries(v)
        : Array.isArray(v) ? v : [v]);
    const read = () => {
      const values = items.map((i) => i.read()).filter((v) => v !== undefined);
      return f.kind === "rename" || f.kind === "types" ? (values.length ? Object.fromEntries(values) : undefined) : values;
    };
    const write = (/** @type {any} */ v) => { items = []; body.replaceChildren(); entries(v).forEach(add); };
    if (f.required) add(undefined);
    return { node, read, write };
  }

  /** One row's controls and how to read it. @param {FieldForm} f @param {string} label @param {any} value */
  row(f, label, value) {
    const names = this.names(f);
    if (f.kind === "columns") {
      const pick = select(label, names, value);
      return { parts: [pick], read: () => pick.value || undefined };
    }
    if (f.kind === "aggs") {
      const fn = select(`${label} function`, f.choices ?? [], value?.fn ?? "count");
      // sum, mean ... offer the number columns only (Python says which functions need one).
      const fits = () => (f.numeric?.includes(fn.value)
        ? this.columns.filter((c) => NUMERIC.has(c.type) || c.type === "boolean").map((c) => c.name) : names);
      const column = select(`${label} column`, fits(), value?.column, "—");
      fn.addEventListener("change", () => {
        const keep = column.value;
        column.replaceChildren(...select("", fits(), undefined, "—").options);
        if ([...column.options].some((o) => o.value === keep)) column.value = keep;
      });
      const name = input(`${label} name`);
      name.placeholder = "name";
      name.value = value?.as ?? "";
      return { parts: [fn, column, name], read: () => ({ fn: fn.value, ...(column.value ? { column: column.value } : {}),
        ...(name.value ? { as: name.value } : {}) }) };
    }
    if (f.kind === "sort") {
      const key = typeof value === "string" ? { column: value } : value;
      const column = select(`${label} column`, names, key?.column);
      const dir = select(`${label} direction`, ["ascending", "descending"], key?.desc ? "descending" : "ascending");
      return { parts: [column, dir], read: () => (column.value ? { column: column.value, desc: dir.value === "descending" } : undefined) };
    }
    if (f.kind === "join_keys") {
      const key = typeof value === "string" ? { left: value, right: value } : value;
      const left = select(`${label} column here`, names, key?.left);
      left.dataset.key = "left";
      const other = this.otherNames();
      const right = other ? select(`${label} column in the other table`, other, key?.right ?? sameOr(other, left.value))
        : input(`${label} column in the other table`);
      right.dataset.key = "right";
      if (!other) right.value = key?.right ?? "";
      // A left key whose name the other table has too picks it on the right.
      left.addEventListener("change", () => { if (other && this.otherNames()?.includes(left.value)) right.value = left.value; });
      return { parts: [left, right], read: () => (left.value ? (right.value && right.value !== left.value
        ? { left: left.value, right: right.value } : left.value) : undefined) };
    }
    const column = select(`${label} column`, names, value?.[0]);
    const second = f.kind === "types" ? select(`${label} type`, f.choices ?? [], value?.[1]) : input(`${label} new name`);
    if (f.kind !== "types") /** @type {HTMLInputElement} */ (second).value = value?.[1] ?? "";
    return { parts: [column, second], read: () => (column.value && second.value ? [column.value, second.value] : undefined) };
  }
}

/** `name` when `names` has it, else the first. @param {string[]} names @param {string} name */
const sameOr = (names, name) => (names.includes(name) ? name : names[0]);

/** Choose `value` in a select, adding it if the current columns do not offer it. @param {HTMLSelectElement} node @param {unknown} value */
function fillTo(node, value) {
  const text = asText(value);
  if (text && ![...node.options].some((o) => o.value === text)) node.append(el("option", { value: text }, text));
  node.value = text;
}
