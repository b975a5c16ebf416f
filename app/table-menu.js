// Menus on the data table. A cell offers "Filter to this value" and "Exclude this value"; each column
// header gets a menu button (Enter, Space or ArrowDown opens it, Escape closes it and the keyboard goes
// back to the button) with sort, filters (a value, a range for numbers and dates, a checklist of the top
// values Python's profile found), rename, change type, hide and profile. Menus only propose steps: the
// caller commits them to the document, so Undo takes any of them back.

import { el } from "./tree.js";

/** @typedef {{verb: string, [key: string]: unknown}} Step */
/**
 * @typedef {object} MenuContext
 * @property {() => Step[]} pipeline the steps shown now
 * @property {(steps: Step[], label: string) => void} commit make these the steps (one undoable change)
 * @property {(row: number, column: string) => Promise<{value: unknown}>} cell a cell's stored value
 * @property {(column: string) => Promise<{profile: any}>} profile a column's profile of the result
 * @property {(column: string) => void} showProfile show the column's profile where the page shows profiles
 */

const NUMERIC = new Set(["integer", "float"]);
const TYPES = ["integer", "float", "boolean", "date", "datetime", "text"];

/** A value typed in a field, as the column's type wants it. @param {string} raw @param {string} type */
export function typedValue(raw, type) {
  if (NUMERIC.has(type) && raw.trim() !== "" && Number.isFinite(Number(raw))) return Number(raw);
  if (type === "boolean") return raw.trim().toLowerCase() === "true";
  return raw;
}

/** The filter step keeping (or excluding) one value; empty cells are matched with is_null / not_null. */
export function valueFilter(/** @type {string} */ column, /** @type {unknown} */ value, exclude = false) {
  if (value === null || value === undefined) return { verb: "filter", column, op: exclude ? "not_null" : "is_null" };
  return { verb: "filter", column, op: exclude ? "!=" : "==", value };
}

/** The steps with a sort by one column: a trailing sort is replaced, not stacked. @param {Step[]} steps */
export function withSort(steps, /** @type {string} */ column, desc = false) {
  const keep = steps.at(-1)?.verb === "sort" ? steps.slice(0, -1) : steps;
  return [...keep, { verb: "sort", by: [{ column, desc }] }];
}

/** A box beside an element. Escape or a click elsewhere closes it; Escape gives the keyboard back. */
export class Popover {
  constructor() {
    this.box = el("div", { class: "popover", role: "dialog", hidden: "" });
    document.body.append(this.box);
    /** @type {HTMLElement|null} */ this.anchor = null;
    /** @type {() => HTMLElement|null} */ this.restore = () => null;
    this.box.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        this.close(true);
      } else if ((event.key === "ArrowDown" || event.key === "ArrowUp") && /** @type {HTMLElement} */ (event.target).matches("button")) {
        // Arrows walk the menu's buttons (fields keep their own arrow keys).
        const buttons = /** @type {HTMLElement[]} */ ([...this.box.querySelectorAll("button:not([disabled])")]);
        const at = buttons.indexOf(/** @type {HTMLElement} */ (event.target));
        buttons[(at + (event.key === "ArrowDown" ? 1 : buttons.length - 1)) % buttons.length]?.focus();
        event.preventDefault();
      }
    });
    document.addEventListener("pointerdown", (event) => {
      const target = /** @type {Node} */ (event.target);
      if (!this.box.hidden && !this.box.contains(target) && !this.anchor?.contains(target)) this.close(false);
    }, true);
  }

  get isOpen() { return !this.box.hidden; }

  /**
   * @param {HTMLElement} anchor @param {string} label @param {Node[]} content
   * @param {() => HTMLElement|null} [restore] where the keyboard goes back to (the anchor may be redrawn)
   */
  open(anchor, label, content, restore = () => anchor) {
    this.close(false);
    this.anchor = anchor;
    this.restore = restore;
    this.box.setAttribute("aria-label", label);
    this.box.replaceChildren(...content);
    this.box.hidden = false;
    anchor.setAttribute("aria-expanded", "true");
    // Placed in the page (it scrolls with the table), below the anchor, or above it when there is no room.
    const where = anchor.getBoundingClientRect();
    const below = where.bottom + 2;
    const top = below + this.box.offsetHeight < innerHeight ? below : Math.max(4, where.top - this.box.offsetHeight - 2);
    this.box.style.left = `${scrollX + Math.max(4, Math.min(where.left, innerWidth - this.box.offsetWidth - 8))}px`;
    this.box.style.top = `${scrollY + top}px`;
    /** @type {HTMLElement|null} */ (this.box.querySelector("button:not([disabled]), input, select"))?.focus();
  }

  /** @param {boolean} giveBack return the keyboard to the anchor (or what replaced it) */
  close(giveBack) {
    if (this.box.hidden) return;
    this.box.hidden = true;
    this.box.replaceChildren();
    this.anchor?.setAttribute("aria-expanded", "false");
    if (giveBack) (this.restore() ?? this.anchor)?.focus();
    this.anchor = null;
  }
}

const button = (/** @type {string} */ text, /** @type {() => void} */ onClick, attrs = {}) => {
  const node = el("button", { type: "button", class: "button small", ...attrs }, text);
  node.addEventListener("click", onClick);
  return node;
};

/** @param {HTMLElement} container @param {string} name */
const headerOf = (container, name) =>
  /** @type {HTMLElement|undefined} */ ([...container.querySelectorAll("thead th[data-column]")].find((th) => th.getAttribute("data-column") === name)) ?? null;

/**
 * Wire the cell and header menus of the table in `container` (redrawn by `table` on every window).
 * @param {HTMLElement} container @param {EventTarget} table the VirtualTable (its "window" event) @param {MenuContext} ctx
 */
export function wireTableMenus(container, table, ctx) {
  const popover = new Popover();
  /** @type {string|null} */ let openColumn = null;
  const add = (/** @type {Step[]} */ steps, /** @type {string} */ label) => {
    popover.close(true);
    ctx.commit([...ctx.pipeline(), ...steps], label);
  };
  const menuButton = (/** @type {string} */ name) => headerOf(container, name)?.querySelector(".col-menu") ?? headerOf(container, name);

  // Every redraw of the rows draws the headers again: give each its menu button.
  table.addEventListener("window", () => {
    for (const th of container.querySelectorAll("thead th[data-column]")) {
      if (th.querySelector(".col-menu")) continue;
      const name = /** @type {string} */ (th.getAttribute("data-column"));
      th.append(el("button", { type: "button", class: "col-menu", "aria-haspopup": "dialog",
        "aria-expanded": String(popover.isOpen && openColumn === name), "aria-label": `Column ${name}: menu`, title: "Filter, sort, rename…" }, "▾"));
    }
  });

  container.addEventListener("click", (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    const menu = target.closest(".col-menu");
    if (menu) {
      event.stopPropagation(); // not a sort
      openColumnMenu(/** @type {HTMLElement} */ (menu));
      return;
    }
    const td = /** @type {HTMLElement|null} */ (target.closest("tbody td"));
    if (td) openCellMenu(td);
  });
  container.addEventListener("keydown", (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    if (event.key !== "ArrowDown" || !target.closest("thead th[data-column]")) return;
    event.preventDefault();
    openColumnMenu(/** @type {HTMLElement} */ (target.closest("th")?.querySelector(".col-menu") ?? target));
  });

  /** @param {HTMLElement} td */
  function openCellMenu(td) {
    const row = Number(td.closest("tr")?.getAttribute("data-row"));
    const index = [...(td.parentElement?.children ?? [])].indexOf(td);
    const th = container.querySelectorAll("thead tr > *")[index];
    const column = th?.getAttribute("data-column");
    if (!column || !Number.isInteger(row)) return;
    const shown = td.getAttribute("title") ?? td.textContent ?? "";
    /** @type {{value: unknown}|null} */ let cell = null;
    const keep = button("Filter to this value", () => cell && add([valueFilter(column, cell.value)], "filter to a value"), { disabled: "", "data-act": "keep" });
    const drop = button("Exclude this value", () => cell && add([valueFilter(column, cell.value, true)], "exclude a value"), { disabled: "", "data-act": "exclude" });
    const note = el("p", { class: "small", role: "status" });
    // Escape gives the keyboard back to the cell, also when its window was drawn again meanwhile.
    const again = () => /** @type {HTMLElement|null} */ (container.querySelector(`tbody tr[data-row="${row}"]`)?.children[index] ?? null);
    popover.open(td, `${column}: ${shown}`, [el("p", { class: "popover-title" }, el("b", {}, column), " = ", shown), keep, drop, note], again);
    ctx.cell(row, column).then((found) => {
      cell = found;
      keep.removeAttribute("disabled");
      drop.removeAttribute("disabled");
      if (popover.box.contains(keep)) keep.focus();
    }, (error) => { note.textContent = String(error?.message ?? error); });
  }

  /** @param {HTMLElement} anchor the header's menu button */
  function openColumnMenu(anchor) {
    const th = anchor.closest("th[data-column]");
    const name = /** @type {string} */ (th?.getAttribute("data-column"));
    const type = th?.getAttribute("data-type") ?? "text";
    if (!name) return;
    if (popover.isOpen && openColumn === name) {
      popover.close(true);
      return;
    }
    openColumn = name;
    popover.open(anchor, `Column ${name}`, columnMenu(name, type), () => /** @type {HTMLElement|null} */ (menuButton(name)));
  }

  /** The header menu's content for one column. @param {string} name @param {string} type */
  function columnMenu(name, type) {
    const sort = (/** @type {boolean} */ desc) => {
      popover.close(true);
      ctx.commit(withSort(ctx.pipeline(), name, desc), `sort by ${name}`);
    };
    const input = (/** @type {string} */ label, attrs = {}) => el("input", { "aria-label": label, ...attrs });
    const value = input(`Value of ${name}`, { placeholder: "value" });
    const typed = () => typedValue(/** @type {HTMLInputElement} */ (value).value, type);
    const parts = [
      el("p", { class: "popover-title" }, el("b", {}, name), " ", el("span", { class: `type t-${type}` }, type)),
      el("div", { class: "popover-row" },
        button("Sort ascending", () => sort(false), { "data-act": "asc" }),
        button("Sort descending", () => sort(true), { "data-act": "desc" })),
      el("div", { class: "popover-row" }, value,
        button("Keep", () => add([valueFilter(name, typed())], `filter ${name}`), { "data-act": "keep-value" }),
        button("Exclude", () => add([valueFilter(name, typed(), true)], `exclude from ${name}`), { "data-act": "exclude-value" })),
    ];
    if (NUMERIC.has(type) || type === "date" || type === "datetime") parts.push(rangeFilter(name, type));
    else parts.push(checklist(name));
    const rename = input(`New name for ${name}`, { value: name });
    const cast = el("select", { "aria-label": `New type for ${name}` }, ...TYPES.map((t) => el("option", { value: t }, t)));
    /** @type {HTMLSelectElement} */ (cast).value = type;
    parts.push(
      el("div", { class: "popover-row" }, rename, button("Rename", () => {
        const to = /** @type {HTMLInputElement} */ (rename).value.trim();
        if (to && to !== name) add([{ verb: "rename", columns: { [name]: to } }], `rename ${name}`);
      }, { "data-act": "rename" })),
      el("div", { class: "popover-row" }, cast, button("Change type", () => {
        const to = /** @type {HTMLSelectElement} */ (cast).value;
        if (to !== type) add([{ verb: "cast", column: name, to }], `change the type of ${name}`);
      }, { "data-act": "cast" })),
      el("div", { class: "popover-row" },
        button("Hide column", () => add([{ verb: "drop", columns: [name] }], `hide ${name}`), { "data-act": "hide" }),
        button("Profile", () => { popover.close(true); ctx.showProfile(name); }, { "data-act": "profile" })),
    );
    return parts;
  }

  /** From / to fields for a number or date column. @param {string} name @param {string} type */
  function rangeFilter(name, type) {
    const kind = NUMERIC.has(type) ? { type: "number", step: "any" } : type === "date" ? { type: "date" } : {};
    const low = el("input", { "aria-label": `Lowest ${name}`, placeholder: "from", ...kind });
    const high = el("input", { "aria-label": `Highest ${name}`, placeholder: "to", ...kind });
    ctx.profile(name).then(({ profile }) => {
      if (profile.min != null) low.setAttribute("placeholder", `from ${profile.min}`);
      if (profile.max != null) high.setAttribute("placeholder", `to ${profile.max}`);
    }, () => {});
    const keep = () => {
      const [from, to] = [/** @type {HTMLInputElement} */ (low).value, /** @type {HTMLInputElement} */ (high).value];
      /** @type {Step[]} */ const steps = [];
      if (from.trim()) steps.push({ verb: "filter", column: name, op: ">=", value: typedValue(from, type) });
      if (to.trim()) steps.push({ verb: "filter", column: name, op: "<=", value: typedValue(to, type) });
      if (steps.length) add(steps, `filter ${name} to a range`);
    };
    return el("div", { class: "popover-row", role: "group", "aria-label": `Range of ${name}` }, low, high,
      button("Keep range", keep, { "data-act": "range" }));
  }

  /** A checklist of the column's most frequent values (from Python's profile). @param {string} name */
  function checklist(name) {
    const list = el("div", { class: "popover-checks", role: "group", "aria-label": `Top values of ${name}` }, el("span", { class: "small" }, "Finding the top values…"));
    /** @type {unknown[]} */ let values = [];
    const chosen = () => values.filter((_, i) => /** @type {HTMLInputElement|null} */ (list.querySelector(`input[data-i="${i}"]`))?.checked);
    ctx.profile(name).then(({ profile }) => {
      values = (profile.top ?? []).map((/** @type {any} */ t) => t.value);
      list.replaceChildren(...(profile.top ?? []).map((/** @type {any} */ t, /** @type {number} */ i) =>
        el("label", { class: "popover-check" }, el("input", { type: "checkbox", "data-i": String(i) }),
          ` ${t.value ?? "(empty)"} `, el("span", { class: "small" }, `(${Number(t.count).toLocaleString(navigator.language)})`))));
    }, (error) => list.replaceChildren(String(error?.message ?? error)));
    const apply = (/** @type {boolean} */ exclude) => {
      const picked = chosen();
      if (picked.length) add([{ verb: "filter", column: name, op: exclude ? "not_in" : "in", value: picked }], `filter ${name} to chosen values`);
    };
    return el("div", {}, list, el("div", { class: "popover-row" },
      button("Keep checked", () => apply(false), { "data-act": "keep-checked" }),
      button("Exclude checked", () => apply(true), { "data-act": "exclude-checked" })));
  }
}
