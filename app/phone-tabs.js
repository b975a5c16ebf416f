// The phone layout's two tabs: "Chart & table" (what a small screen shows first) and "Steps & data"
// (the columns, the steps and their forms). The CSS hides the panel not chosen only on narrow
// screens, so on a wide one both panels stay and these buttons are not shown at all.

/**
 * @param {HTMLElement} tabs the tablist @param {HTMLElement} layout the element whose data-tab the CSS reads
 * @param {(tab: "view"|"steps") => void} [chosen] told when the user picks a tab (to remember it)
 */
export function wirePhoneTabs(tabs, layout, chosen = () => {}) {
  const buttons = /** @type {HTMLButtonElement[]} */ ([...tabs.querySelectorAll("[role=tab]")]);
  /** @param {HTMLButtonElement} chosen @param {boolean} [focus] */
  const choose = (chosen, focus = false) => {
    for (const button of buttons) {
      const on = button === chosen;
      button.setAttribute("aria-selected", String(on));
      button.tabIndex = on ? 0 : -1;
    }
    layout.dataset.tab = chosen.id === "tab-steps" ? "steps" : "view";
    if (focus) chosen.focus();
  };
  tabs.addEventListener("click", (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest("[role=tab]");
    if (!button) return;
    choose(/** @type {HTMLButtonElement} */ (button));
    chosen(/** @type {"view"|"steps"} */ (layout.dataset.tab));
  });
  // Arrow keys move between the tabs, as a tablist's keyboard users expect.
  tabs.addEventListener("keydown", (event) => {
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
    const at = buttons.findIndex((b) => b.getAttribute("aria-selected") === "true");
    choose(buttons[(at + (event.key === "ArrowRight" ? 1 : buttons.length - 1)) % buttons.length], true);
    chosen(/** @type {"view"|"steps"} */ (layout.dataset.tab));
    event.preventDefault();
  });
  choose(buttons[0]);
  return { show: (/** @type {"view"|"steps"} */ tab) => choose(buttons[tab === "steps" ? 1 : 0]) };
}
