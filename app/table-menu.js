// Menus on the data table, ARIA menus (role="menu", keys in app/menu-keys.js). A cell offers "Filter to
// this value" and "Exclude this value"; each column header gets a menu button (Enter, Space or ArrowDown
// opens it at the first item, ArrowUp at the last; Escape closes it and the keyboard goes back to the
// button) with sort, filters (a value, a range for numbers and dates as one `between` step, a checklist
// of the top values Python's profile found), rename, change type, hide and profile; an item ending in
// "…" opens its small form in the same box. Menus only propose steps: the caller commits them to the
// document, so Undo takes any of them back.

import { menuItems, wireMenuKeys } from "./menu-keys.js";
import { typedValue } from "./typed-value.js";
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
    this.box = el("div", { class: "popover", hidden: "" });
    document.body.append(this.box);
    /** @type {HTMLElement|null} */ this.anchor = null;
    /** @type {() => HTMLElement|null} */ this.restore = () => null;
    this.box.addEventListener("keydown", (event) => {
      if (event.key !== "Escape") return;
      event.preventDefault();
      event.stopPropagation();
      this.close(true);
    });
    document.addEventListener("pointerdown", (event) => {
      const target = /** @type {Node} */ (event.target);
      if (!this.box.hidden && !this.box.contains(target) && !this.anchor?.contains(target)) this.close(false);
    }, true);
  }

  get isOpen() { return !this.box.hidden; }

  /**
   * @param {HTMLElement} anchor @param {Node[]} content (a role="menu" or a panel, labelled by its maker)
   * @param {() => HTMLElement|null} [restore] where the keyboard goes back to (the anchor may be redrawn)
   */
  open(anchor, content, restore = () => anchor) {
    this.close(false);
    this.anchor = anchor;
    this.restore = restore;
    this.box.hidden = false;
    anchor.setAttribute("aria-expanded", "true");
    this.show(content);
    // Placed in the page (it scrolls with the table), below the anchor, or above it when there is no room.
    const where = anchor.getBoundingClientRect();
    const below = where.bottom + 2;
    const top = below + this.box.offsetHeight < innerHeight ? below : Math.max(4, where.top - this.box.offsetHeight - 2);
    this.box.style.left = `${scrollX + Math.max(4, Math.min(where.left, innerWidth - this.box.offsetWidth - 8))}px`;
    this.box.style.top = `${scrollY + top}px`;
  }

  /** Replace what the open box shows (a menu item's panel, or the menu again) and focus its first control. @param {Node[]} content @param {HTMLElement|null} [focus] */
  show(content, focus = null) {
    this.box.replaceChildren(...content);
    const first = /** @type {HTMLElement|null} */ (this.box.querySelector('[role^="menuitem"]:not([disabled]), input, select, button:not([disabled])'));
    // While a menu's items wait for data (disabled), the menu itself holds the keyboard, so Escape works.
    (focus ?? first ?? /** @type {HTMLElement|null} */ (this.box.querySelector('[role="menu"]')))?.focus();
  }

  /** @param {boolean} giveBack return the keyboard to the anchor (or what replaced it) */
  close(giveBack) {
    if (this.box.hidden) return;
    this.box.hidden = true;
    this.box.replaceChildren();
    // The anchor may have been drawn again while open: the one on screen now says closed too.
    const now = this.restore() ?? this.anchor;
    for (const node of new Set([this.anchor, now])) if (node?.hasAttribute("aria-expanded")) node.setAttribute("aria-expanded", "false");
    if (giveBack) now?.focus();
    this.anchor = null;
  }
}

const button = (/** @type {string} */ text, /** @type {() => void} */ onClick, attrs = {}) => {
  const node = el("button", { type: "button", class: "button small", ...attrs }, text);
  node.addEventListener("click", onClick);
  return node;
};

/** A menu item (a button the menu's keys walk, out of the Tab order). */
const menuItem = (/** @type {string} */ text, /** @type {() => void} */ onClick, attrs = {}) => {
  const node = el("button", { type: "button", role: "menuitem", tabindex: "-1", class: "menu-item", ...attrs }, text);
  node.addEventListener("click", onClick);
  return node;
};

/** A menu of `items`, labelled, with the menu keys (app/menu-keys.js). @param {string} label @param {HTMLElement[]} items @param {Popover} popover */
const menuOf = (label, items, popover) => {
  const menu = el("div", { role: "menu", "aria-label": label, class: "popover-menu", tabindex: "-1" }, ...items);
  wireMenuKeys(menu, (giveBack) => popover.close(giveBack));
  return menu;
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
      th.append(el("button", { type: "button", class: "col-menu", "aria-haspopup": "menu",
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
    if ((event.key !== "ArrowDown" && event.key !== "ArrowUp") || !target.closest("thead th[data-column]")) return;
    event.preventDefault();
    // ArrowDown opens at the first item, ArrowUp at the last (the menu button pattern).
    openColumnMenu(/** @type {HTMLElement} */ (target.closest("th")?.querySelector(".col-menu") ?? target), event.key === "ArrowUp");
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
    const keep = menuItem("Filter to this value", () => cell && add([valueFilter(column, cell.value)], "filter to a value"), { disabled: "", "data-act": "keep" });
    const drop = menuItem("Exclude this value", () => cell && add([valueFilter(column, cell.value, true)], "exclude a value"), { disabled: "", "data-act": "exclude" });
    const note = el("p", { class: "small", role: "status" });
    // Escape gives the keyboard back to the cell, also when its window was drawn again meanwhile.
    const again = () => /** @type {HTMLElement|null} */ (container.querySelector(`tbody tr[data-row="${row}"]`)?.children[index] ?? null);
    popover.open(td, [el("p", { class: "popover-title", "aria-hidden": "true" }, el("b", {}, column), " = ", shown),
      menuOf(`${column}: ${shown}`, [keep, drop], popover), note], again);
    ctx.cell(row, column).then((found) => {
      cell = found;
      keep.removeAttribute("disabled");
      drop.removeAttribute("disabled");
      if (popover.box.contains(keep)) keep.focus();
    }, (error) => { note.textContent = String(error?.message ?? error); });
  }

  /** @param {HTMLElement} anchor the header's menu button @param {boolean} [atLast] focus the last item */
  function openColumnMenu(anchor, atLast = false) {
    const th = anchor.closest("th[data-column]");
    const name = /** @type {string} */ (th?.getAttribute("data-column"));
    const type = th?.getAttribute("data-type") ?? "text";
    if (!name) return;
    if (popover.isOpen && openColumn === name) {
      popover.close(true);
      return;
    }
    openColumn = name;
    popover.open(anchor, columnMenu(name, type), () => /** @type {HTMLElement|null} */ (menuButton(name)));
    if (atLast) /** @type {HTMLElement|undefined} */ (menuItems(/** @type {HTMLElement} */ (popover.box.querySelector('[role="menu"]'))).at(-1))?.focus();
  }

  /**
   * The header menu for one column: sort, hide and profile act at once; the items ending in "…" open
   * a small form in the same box (Back returns to the menu, at that item).
   * @param {string} name @param {string} type
   */
  function columnMenu(name, type) {
    const sort = (/** @type {boolean} */ desc) => {
      popover.close(true);
      ctx.commit(withSort(ctx.pipeline(), name, desc), `sort by ${name}`);
    };
    const title = el("p", { class: "popover-title", "aria-hidden": "true" }, el("b", {}, name), " ", el("span", { class: `type t-${type}` }, type));
    /** @type {HTMLElement} */ let menu;
    const panel = (/** @type {string} */ text, /** @type {string} */ act, /** @type {() => Panel} */ make) =>
      menuItem(text, () => {
        const { label, fields, actions } = make();
        const back = button("Back", () => popover.show([title, menu], /** @type {HTMLElement} */ (menu.querySelector(`[data-act="${act}"]`))), { "data-act": "back" });
        const form = el("form", { class: "popover-panel", role: "dialog", "aria-label": label },
          el("p", { class: "popover-title" }, label), ...fields, el("div", { class: "popover-row" }, ...actions, back));
        // Enter in a field runs the form's first action (a form of two fields has no implicit submit).
        form.addEventListener("submit", (event) => event.preventDefault());
        form.addEventListener("keydown", (event) => {
          const field = /** @type {HTMLElement} */ (event.target);
          if (event.key !== "Enter" || !field.matches("input:not([type=checkbox])")) return;
          event.preventDefault();
          /** @type {HTMLElement} */ (actions[0]).click();
        });
        popover.show([form]);
      }, { "data-act": act, "aria-haspopup": "dialog" });
    const ranged = NUMERIC.has(type) || type === "date" || type === "datetime";
    menu = menuOf(`Column ${name}`, [
      menuItem("Sort ascending", () => sort(false), { "data-act": "asc" }),
      menuItem("Sort descending", () => sort(true), { "data-act": "desc" }),
      panel("Filter to a value…", "value-form", () => valuePanel(name, type)),
      ranged ? panel("Filter to a range…", "range-form", () => rangePanel(name, type))
        : panel("Filter to top values…", "checks-form", () => checklistPanel(name)),
      panel("Rename…", "rename-form", () => renamePanel(name)),
      panel("Change type…", "cast-form", () => castPanel(name, type)),
      menuItem("Hide column", () => add([{ verb: "drop", columns: [name] }], `hide ${name}`), { "data-act": "hide" }),
      menuItem("Profile", () => { popover.close(true); ctx.showProfile(name); }, { "data-act": "profile" }),
    ], popover);
    return [title, menu];
  }

  /** @typedef {{label: string, fields: Node[], actions: Node[]}} Panel a menu item's form: its first action runs on Enter */

  /** Keep or exclude one typed value. @param {string} name @param {string} type @returns {Panel} */
  function valuePanel(name, type) {
    const value = el("input", { "aria-label": `Value of ${name}`, placeholder: "value" });
    const typed = () => typedValue(/** @type {HTMLInputElement} */ (value).value, type);
    return { label: `Filter ${name} to a value`, fields: [el("div", { class: "popover-row" }, value)], actions: [
      button("Keep", () => add([valueFilter(name, typed())], `filter ${name}`), { "data-act": "keep-value" }),
      button("Exclude", () => add([valueFilter(name, typed(), true)], `exclude from ${name}`), { "data-act": "exclude-value" }),
    ] };
  }

  /** From / to fields for a number or date column: one `between` step. @param {string} name @param {string} type @returns {Panel} */
  function rangePanel(name, type) {
    const kind = NUMERIC.has(type) ? { type: "number", step: "any" } : type === "date" ? { type: "date" } : {};
    const low = el("input", { "aria-label": `Lowest ${name}`, placeholder: "from", ...kind });
    const high = el("input", { "aria-label": `Highest ${name}`, placeholder: "to", ...kind });
    ctx.profile(name).then(({ profile }) => {
      if (profile.min != null) low.setAttribute("placeholder", `from ${profile.min}`);
      if (profile.max != null) high.setAttribute("placeholder", `to ${profile.max}`);
    }, () => {});
    const keep = () => {
      const [from, to] = [/** @type {HTMLInputElement} */ (low).value, /** @type {HTMLInputElement} */ (high).value]
        .map((raw) => (raw.trim() ? typedValue(raw, type) : null));
      if (from !== null || to !== null) add([{ verb: "filter", column: name, op: "between", value: [from, to] }], `filter ${name} to a range`);
    };
    return { label: `Filter ${name} to a range`, fields: [el("div", { class: "popover-row", role: "group", "aria-label": `Range of ${name}` }, low, high)],
      actions: [button("Keep range", keep, { "data-act": "range" })] };
  }

  /** A checklist of the column's most frequent values (from Python's profile). @param {string} name @returns {Panel} */
  function checklistPanel(name) {
    const list = el("div", { class: "popover-checks", role: "group", "aria-label": `Top values of ${name}` }, el("span", { class: "small" }, "Finding the top values…"));
    /** @type {unknown[]} */ let values = [];
    const chosen = () => values.filter((_, i) => /** @type {HTMLInputElement|null} */ (list.querySelector(`input[data-i="${i}"]`))?.checked);
    ctx.profile(name).then(({ profile }) => {
      values = (profile.top ?? []).map((/** @type {any} */ t) => t.value);
      const waiting = document.activeElement === keep; // the panel opened on it: the first box takes the keyboard
      list.replaceChildren(...(profile.top ?? []).map((/** @type {any} */ t, /** @type {number} */ i) =>
        el("label", { class: "popover-check" }, el("input", { type: "checkbox", "data-i": String(i) }),
          ` ${t.value ?? "(empty)"} `, el("span", { class: "small" }, `(${Number(t.count).toLocaleString(navigator.language)})`))));
      if (waiting) /** @type {HTMLElement|null} */ (list.querySelector("input"))?.focus();
    }, (error) => list.replaceChildren(String(error?.message ?? error)));
    const apply = (/** @type {boolean} */ exclude) => {
      const picked = chosen();
      if (picked.length) add([{ verb: "filter", column: name, op: exclude ? "not_in" : "in", value: picked }], `filter ${name} to chosen values`);
    };
    const keep = button("Keep checked", () => apply(false), { "data-act": "keep-checked" });
    return { label: `Filter ${name} to top values`, fields: [list], actions: [
      keep,
      button("Exclude checked", () => apply(true), { "data-act": "exclude-checked" }),
    ] };
  }

  /** @param {string} name @returns {Panel} */
  function renamePanel(name) {
    const rename = el("input", { "aria-label": `New name for ${name}`, value: name });
    return { label: `Rename ${name}`, fields: [el("div", { class: "popover-row" }, rename)], actions: [button("Rename", () => {
      const to = /** @type {HTMLInputElement} */ (rename).value.trim();
      if (to && to !== name) add([{ verb: "rename", columns: { [name]: to } }], `rename ${name}`);
    }, { "data-act": "rename" })] };
  }

  /** @param {string} name @param {string} type @returns {Panel} */
  function castPanel(name, type) {
    const cast = el("select", { "aria-label": `New type for ${name}` }, ...TYPES.map((t) => el("option", { value: t }, t)));
    /** @type {HTMLSelectElement} */ (cast).value = type;
    return { label: `Change the type of ${name}`, fields: [el("div", { class: "popover-row" }, cast)], actions: [button("Change type", () => {
      const to = /** @type {HTMLSelectElement} */ (cast).value;
      if (to !== type) add([{ verb: "cast", column: name, to }], `change the type of ${name}`);
    }, { "data-act": "cast" })] };
  }
}
