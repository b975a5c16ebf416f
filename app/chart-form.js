// The chart form, drawn from Python's description of each chart type (api "chart_form", built by
// loupe.render.chart_form): the fields a type uses with their kinds, labels, choices and defaults. The form
// and the "Chart as JSON" editor show one spec; a field the form cannot show stays in the spec when the
// form is touched. An error Python locates at a field (SpecError.field) shows beside that field.

import { el } from "./tree.js";

/** @typedef {{name: string, type: string}} Column */
/** @typedef {{value: string, label: string}} Choice */
/** @typedef {{name: string, kind: string, label: string, help: string, group: string, required: boolean,
 *   default?: unknown, unset?: string, choices?: Choice[], types?: string[], prefer?: string[], fill?: boolean,
 *   when_x?: string[], start?: unknown, minimum?: number, maximum?: number}} ChartField */
/** @typedef {{name: string, label: string, description: string, fields: ChartField[]}} ChartTypeForm */
/** @typedef {{types: ChartTypeForm[], groups: {name: string, label: string}[]}} ChartFormDescription */
/** @typedef {{type: string, [key: string]: unknown}} Spec */

export class ChartForm extends EventTarget {
  /**
   * @param {HTMLFormElement} form the chart form (its fields are generated here)
   * @param {HTMLFormElement} json the "Chart as JSON" form, holding one textarea
   */
  constructor(form, json) {
    super();
    this.form = form;
    this.json = json;
    /** @type {Map<string, ChartTypeForm>} */ this.types = new Map();
    /** @type {{name: string, label: string}[]} */ this.groups = [];
    /** @type {Spec|null} the spec on show, with every field it has (those the form cannot show too) */
    this.spec = null;
    /** @type {Column[]} */ this.columns = [];
    /** @type {Map<string, {field: ChartField, control: HTMLInputElement|HTMLSelectElement, box: HTMLElement}>} */
    this.controls = new Map();
    this.picker = /** @type {HTMLSelectElement} */ (el("select", { id: "chart-type", name: "type" }));
    this.message = el("p", { id: "chart-error", class: "field-error", role: "alert", hidden: "" });
    form.addEventListener("submit", (event) => event.preventDefault());
    form.addEventListener("change", (event) => {
      const target = /** @type {HTMLElement} */ (event.target);
      const spec = target === this.picker ? this.forType(this.picker.value) : this.read();
      this.dispatchEvent(new CustomEvent("change", { detail: spec }));
    });
    json.addEventListener("submit", (event) => {
      event.preventDefault();
      const text = /** @type {HTMLTextAreaElement} */ (json.querySelector("textarea")).value;
      let spec;
      try {
        spec = JSON.parse(text);
      } catch (error) {
        this.dispatchEvent(new CustomEvent("invalid", { detail: `The chart is not valid JSON: ${/** @type {Error} */ (error).message}` }));
        return;
      }
      this.dispatchEvent(new CustomEvent("change", { detail: spec }));
    });
  }

  /** Python's description of every chart type (fetched once). @param {ChartFormDescription} description */
  setTypes(description) {
    this.types = new Map(description.types.map((t) => [t.name, t]));
    this.groups = description.groups;
    this.picker.replaceChildren(...description.types.map((t) =>
      el("option", { value: t.name, title: t.description }, t.label)));
  }

  /**
   * Show a spec: the fields of its type, filled from it; the JSON editor shows the same spec.
   * @param {Spec|null} spec @param {Column[]} columns
   * @param {{error?: {field?: string, text: string}|null, timeUnit?: string|null}} [state] the chart's error, and
   *   the grain "auto" picked
   */
  show(spec, columns, state = {}) {
    this.spec = spec;
    this.columns = columns;
    /** @type {HTMLTextAreaElement} */ (this.json.querySelector("textarea")).value = JSON.stringify(spec ?? {}, null, 1);
    if (!this.types.size) return;
    const type = this.types.get(spec?.type ?? "") ?? this.types.get("bar") ?? [...this.types.values()][0];
    this.picker.value = type.name;
    this.controls.clear();
    const groups = new Map(this.groups.map((g) => [g.name, /** @type {HTMLElement[]} */ ([])]));
    for (const field of type.fields) {
      const box = this.fieldBox(field, spec ?? { type: type.name }, state.timeUnit ?? null);
      groups.get(field.group)?.push(box);
    }
    const main = el("div", { class: "chart-fields" }, el("label", {}, "Type ", this.picker), ...(groups.get("data") ?? []));
    const open = /** @type {HTMLDetailsElement|null} */ (this.form.querySelector("details.chart-more"))?.open ?? false;
    const more = /** @type {HTMLDetailsElement} */ (el("details", { class: "chart-more" }, el("summary", {}, "More options"),
      ...this.groups.filter((g) => g.name !== "data" && groups.get(g.name)?.length).map((g) =>
        el("fieldset", { class: "chart-group" }, el("legend", {}, g.label), ...(groups.get(g.name) ?? [])))));
    more.open = open;
    const heading = this.form.querySelector("h2");
    // The form is drawn again after every change: focus stays on the control it was on.
    const focused = this.form.contains(document.activeElement) ? document.activeElement?.id : null;
    this.form.replaceChildren(...(heading ? [heading] : []), main, more, this.message);
    if (focused) document.getElementById(focused)?.focus();
    this.showError(state.error ?? null);
  }

  /**
   * One field's label, control and error line. @param {ChartField} field @param {Spec} spec
   * @param {string|null} timeUnit the grain "auto" picked, shown in its choice
   */
  fieldBox(field, spec, timeUnit) {
    const id = `chart-${field.name.replace(".", "-")}`; // no dot: ids are used as selectors
    const value = field.name === "color" && spec.color === undefined ? spec.series : getPath(spec, field.name);
    /** @type {HTMLInputElement|HTMLSelectElement} */
    let control;
    if (field.kind === "column") {
      const offered = this.columns.filter((c) => !field.types || field.types.includes(c.type)).map((c) => c.name);
      control = choiceSelect(offered.map((name) => ({ value: name, label: name })), value, field.required ? null : field.unset ?? "none");
    } else if (field.kind === "choice") {
      const choices = (field.choices ?? []).map((c) => (c.value === "auto" && field.name === "time_unit" && timeUnit
        ? { value: c.value, label: `auto (${timeUnit})` } : c));
      control = choiceSelect(choices, value ?? field.default, "default" in field ? null : field.unset ?? "none");
    } else if (field.kind === "bool") {
      control = choiceSelect([{ value: "true", label: "yes" }, { value: "false", label: "no" }],
        value === undefined ? undefined : String(value), field.unset ?? "automatic");
    } else if (field.kind === "number") {
      control = /** @type {HTMLInputElement} */ (el("input", { type: "number", step: "any" }));
      control.value = typeof value === "number" ? String(value) : "";
      control.placeholder = field.unset ?? "";
    } else if (field.kind === "integer" || field.kind === "forecast") {
      control = /** @type {HTMLInputElement} */ (el("input", { type: "number", step: "1", inputmode: "numeric" }));
      if (field.minimum !== undefined) control.min = String(field.minimum);
      if (field.maximum !== undefined) control.max = String(field.maximum);
      const shown = field.kind === "forecast" ? /** @type {any} */ (value)?.horizon : value;
      control.value = shown === undefined || shown === null ? "" : String(shown);
      control.placeholder = field.default !== undefined ? String(field.default) : field.unset ?? "";
    } else if (field.kind === "range") {
      control = /** @type {HTMLInputElement} */ (el("input", { type: "text", placeholder: "from..to" }));
      control.value = Array.isArray(value) ? value.map((end) => end ?? "").join("..") : value === undefined ? "" : String(value);
    } else {
      control = /** @type {HTMLInputElement} */ (el("input", { type: "text" }));
      control.value = value === undefined || value === null ? "" : String(value);
      control.placeholder = field.default !== undefined ? String(field.default) : field.unset ?? "";
    }
    control.id = id;
    control.name = field.name;
    control.title = field.help;
    control.setAttribute("aria-describedby", `${id}-error`);
    const box = el("div", { class: "chart-field", "data-field": field.name },
      el("label", { for: id }, field.label), control,
      el("span", { id: `${id}-error`, class: "field-error", hidden: "" }));
    // A field for dates only (a time grain, a forecast) is left out while x holds no dates, unless it is set.
    const xType = this.columns.find((c) => c.name === spec.x)?.type ?? "";
    if (field.when_x && !field.when_x.includes(xType) && value === undefined) box.hidden = true;
    this.controls.set(field.name, { field, control, box });
    return box;
  }

  /** The spec the form describes: the shown spec with the form's fields read back (others kept). */
  read() {
    const spec = /** @type {Spec} */ ({ ...(this.spec ?? {}), type: this.picker.value });
    const before = this.spec ?? {};
    for (const { field, control } of this.controls.values()) {
      const raw = control.value.trim();
      let name = field.name;
      if (name === "color" && "series" in before && !("color" in before)) name = "series"; // the spec's own word
      /** @type {unknown} */
      let value = raw === "" ? undefined : raw;
      if (value !== undefined && field.kind === "bool") value = raw === "true";
      if (value !== undefined && field.kind === "integer") value = Number.isInteger(Number(raw)) ? Number(raw) : raw;
      if (value !== undefined && field.kind === "number") value = Number.isFinite(Number(raw)) ? Number(raw) : raw;
      if (value !== undefined && field.kind === "range" && raw.includes("..")) {
        const at = raw.indexOf("..");
        value = [raw.slice(0, at).trim() || null, raw.slice(at + 2).trim() || null];
      }
      if (field.kind === "forecast") {
        const horizon = Number.isInteger(Number(raw)) ? Number(raw) : raw;
        value = raw === "" ? undefined : { .../** @type {object} */ (before.forecast ?? {}), horizon };
      }
      // A default the spec did not write stays unwritten (the JSON stays as short as the user made it).
      if (value !== undefined && value === field.default && !(name in before)) value = undefined;
      setPath(spec, name, value);
    }
    return spec;
  }

  /**
   * A spec for another chart type: fields both types have keep their values where they fit, columns the new
   * type needs are picked (the preferred types first), fields the form does not know are kept.
   * @param {string} typeName
   */
  forType(typeName) {
    const type = this.types.get(typeName);
    const before = this.read();
    if (!type) return before;
    const known = new Set([...this.types.values()].flatMap((t) => t.fields.map((f) => f.name.split(".")[0])));
    const fields = new Map(type.fields.map((f) => [f.name, f]));
    /** @type {Spec} */
    const spec = { type: typeName };
    for (const [name, value] of Object.entries(before)) {
      if (name !== "type" && !known.has(name) && name !== "series") spec[name] = value; // the form cannot show it
    }
    const typeOf = (/** @type {unknown} */ name) => this.columns.find((c) => c.name === name)?.type;
    const used = () => [...fields.values()].filter((f) => f.kind === "column").map((f) => getPath(spec, f.name));
    const fits = (/** @type {ChartField} */ f, /** @type {unknown} */ name) => {
      const type = typeOf(name);
      return type !== undefined && (!f.types || f.types.includes(type)) && !used().includes(name);
    };
    const old = [before.x, before.y, before.color ?? before.series, before.value, before.size];
    for (const field of type.fields) {
      if (field.kind !== "column") continue;
      const mine = field.name === "color" ? before.color ?? before.series : getPath(before, field.name);
      if (!field.fill) {
        if (fits(field, mine)) setPath(spec, field.name, mine);
        continue;
      }
      // The preferred types in their order (the old spec's columns first within each), then any that fits.
      const names = this.columns.map((c) => c.name);
      const preferred = (field.prefer ?? []).flatMap((type) => [...old, ...names].filter((n) => typeOf(n) === type));
      const candidates = [...preferred, mine, ...old, ...names];
      const pick = candidates.find((name) => fits(field, name));
      if (pick !== undefined) setPath(spec, field.name, pick);
    }
    const xType = typeOf(spec.x);
    for (const [name, value] of Object.entries(before)) {
      const field = fields.get(name);
      // An object the type edits by its keys (a changes chart's compare) keeps what the form does not pick.
      if (!field && type.fields.some((f) => f.name.startsWith(`${name}.`)) && value && typeof value === "object") {
        spec[name] = Array.isArray(value) ? value : { ...value, .../** @type {object} */ (spec[name] ?? {}) };
        continue;
      }
      if (!field || field.kind === "column" || value === undefined) continue;
      if (field.when_x && !field.when_x.includes(xType ?? "")) continue; // e.g. a time grain for names
      if (field.choices && !field.choices.some((c) => c.value === value)) continue;
      spec[name] = value;
    }
    for (const field of type.fields) {
      const applies = !field.when_x || field.when_x.includes(xType ?? "");
      if (field.start !== undefined && spec[field.name] === undefined && applies) spec[field.name] = field.start;
    }
    return spec;
  }

  /** An error Python located at a field shows beside it; any other error under the form. @param {{field?: string, text: string}|null} error */
  showError(error) {
    for (const { control, box } of this.controls.values()) {
      control.removeAttribute("aria-invalid");
      box.classList.remove("invalid");
      const line = /** @type {HTMLElement} */ (box.querySelector(".field-error"));
      line.hidden = true;
      line.textContent = "";
    }
    this.message.hidden = true;
    this.message.textContent = "";
    if (!error) return;
    const name = error.field === "series" ? "color" : error.field;
    // An error at an object field (a compare, an alert rule) shows at its first key's control.
    const at = name ? this.controls.get(name) ?? [...this.controls.entries()].find(([key]) => key.startsWith(`${name}.`))?.[1] : undefined;
    if (!at) {
      this.message.textContent = error.text;
      this.message.hidden = false;
      return;
    }
    at.control.setAttribute("aria-invalid", "true");
    at.box.classList.add("invalid");
    const line = /** @type {HTMLElement} */ (at.box.querySelector(".field-error"));
    line.textContent = error.text;
    line.hidden = false;
    const more = at.box.closest("details");
    if (more) /** @type {HTMLDetailsElement} */ (more).open = true;
  }
}

/**
 * A select of choices; a value not offered is added (a spec the form cannot show is shown as it is).
 * @param {Choice[]} choices @param {unknown} value @param {string|null} unset the words for "left out", or null
 */
function choiceSelect(choices, value, unset) {
  const keep = value === undefined || value === null ? "" : String(value);
  const all = keep && !choices.some((c) => c.value === keep) ? [...choices, { value: keep, label: keep }] : choices;
  const node = /** @type {HTMLSelectElement} */ (el("select", {},
    ...(unset !== null ? [el("option", { value: "" }, unset)] : []),
    ...all.map((c) => el("option", { value: c.value }, c.label))));
  node.value = keep || (unset !== null ? "" : all[0]?.value ?? "");
  return node;
}

/**
 * A field's value; a dotted name ("compare.before") is a key of an object field.
 * @param {Record<string, unknown>} spec @param {string} name
 */
function getPath(spec, name) {
  const [head, key] = name.split(".");
  if (key === undefined) return spec[head];
  const inner = spec[head];
  // A list (several alert rules) is more than the form shows: it reads as unset and is kept as it is.
  return inner && typeof inner === "object" && !Array.isArray(inner) ? /** @type {Record<string, unknown>} */ (inner)[key] : undefined;
}

/**
 * Set (or, with undefined, remove) a field's value; an object field is copied, never changed in place (the
 * document's specs are frozen), and dropped when its last key goes.
 * @param {Record<string, unknown>} spec @param {string} name @param {unknown} value
 */
function setPath(spec, name, value) {
  const [head, key] = name.split(".");
  if (key === undefined) {
    if (value === undefined) delete spec[head];
    else spec[head] = value;
    return;
  }
  if (Array.isArray(spec[head])) return;
  const inner = /** @type {Record<string, unknown>} */ ({ ...(/** @type {object} */ (spec[head]) ?? {}) });
  if (value === undefined) delete inner[key];
  else inner[key] = value;
  if (Object.keys(inner).length) spec[head] = inner;
  else delete spec[head];
}
