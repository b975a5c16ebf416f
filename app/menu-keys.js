// The keyboard of an ARIA menu (role="menu" holding role="menuitem" elements, each tabindex="-1"):
// ArrowDown/ArrowUp walk the items (wrapping), Home/End go to the first/last, a printable key moves to
// the next item starting with the letters typed, each within half a second of the last (type-ahead),
// Escape closes and gives the keyboard back, Tab closes and lets the keyboard move on. Disabled and
// hidden items are skipped.

const TYPE_AHEAD_MS = 500;

/** The menu's items that can take the keyboard. @param {HTMLElement} menu */
export const menuItems = (menu) => /** @type {HTMLElement[]} */ ([...menu.querySelectorAll('[role^="menuitem"]')])
  .filter((item) => !item.hidden && !item.hasAttribute("disabled") && item.getAttribute("aria-disabled") !== "true");

/**
 * Wire the keys of `menu`. @param {HTMLElement} menu
 * @param {(giveBack: boolean) => void} close close the menu; true: the keyboard goes back to its button
 */
export function wireMenuKeys(menu, close) {
  let typed = "";
  let typedAt = 0;
  menu.addEventListener("keydown", (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    if (!target.matches('[role^="menuitem"]')) return; // a field in the menu keeps its own keys
    const list = menuItems(menu);
    const at = list.indexOf(target);
    const moves = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: list.length - 1 };
    if (event.key in moves) {
      const to = moves[/** @type {keyof typeof moves} */ (event.key)];
      list[(to + list.length) % list.length]?.focus();
    } else if (event.key === "Escape") {
      event.stopPropagation();
      close(true);
    } else if (event.key === "Tab") {
      close(true); // back on the button first, so Tab moves on from there
      return;
    } else if (event.key.length === 1 && event.key !== " " && !event.ctrlKey && !event.metaKey && !event.altKey) {
      const key = event.key.toLowerCase();
      const starts = (/** @type {string} */ text, /** @type {number} */ from) =>
        [...list.slice(from), ...list.slice(0, from)].find((item) => (item.textContent ?? "").trim().toLowerCase().startsWith(text));
      // More letters typed quickly narrow the current item; a letter that matches nothing with them
      // starts again from the next item.
      const more = event.timeStamp - typedAt < TYPE_AHEAD_MS ? starts(typed + key, Math.max(at, 0)) : undefined;
      typed = more ? typed + key : key;
      typedAt = event.timeStamp;
      (more ?? starts(key, at + 1))?.focus();
    } else {
      return;
    }
    event.preventDefault();
  });
}
