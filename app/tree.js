// Turns the element trees Python renders into DOM nodes, with createElement(NS) and textContent only:
// nothing built from data is ever parsed as HTML or SVG. The allow-lists mirror loupe.render.tree
// (a unit test keeps them in sync) so a bad tree fails loudly instead of reaching the page.

/** @typedef {[string, Record<string, string|number>, ...(Tree|string)[]]} Tree */

const SVG_NS = "http://www.w3.org/2000/svg";

export const HTML_TAGS = new Set([
  "abbr", "b", "br", "button", "caption", "code", "col", "colgroup", "dd", "details", "div", "dl", "dt",
  "em", "figcaption", "figure", "footer", "header", "hr", "i", "label", "li", "mark", "ol", "p", "pre",
  "section", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
  "thead", "tr", "ul",
]);

export const SVG_TAGS = new Set([
  "circle", "clipPath", "defs", "desc", "ellipse", "g", "line", "linearGradient", "mask", "path",
  "pattern", "polygon", "polyline", "rect", "stop", "svg", "text", "title", "tspan",
]);

// Attribute names allowed as they are; "data-" and "aria-" prefixes are allowed too. No event
// handlers, no href/src, no style: presentation comes from classes and SVG presentation attributes.
export const ATTRIBUTES = new Set([
  "abbr", "alignment-baseline", "class", "clip-path", "clipPathUnits", "colspan", "cx", "cy", "d",
  "dir", "disabled", "dominant-baseline", "dx", "dy", "fill", "fill-opacity", "fill-rule", "focusable",
  "font-family", "font-size", "font-style", "font-weight", "gradientUnits", "headers", "height",
  "hidden", "id", "lang", "lengthAdjust", "mask", "offset", "opacity", "paint-order", "patternUnits",
  "pointer-events", "points", "preserveAspectRatio", "r", "role", "rowspan", "rx", "ry", "scope",
  "shape-rendering", "stop-color", "stop-opacity", "stroke", "stroke-dasharray", "stroke-linecap",
  "stroke-linejoin", "stroke-opacity", "stroke-width", "tabindex", "text-anchor", "textLength", "title",
  "transform", "type", "vector-effect", "viewBox", "visibility", "width", "x", "x1", "x2", "y", "y1",
  "y2",
]);

/** @param {string} name */
export function allowedAttribute(name) {
  return ATTRIBUTES.has(name) || /^(aria|data)-[a-z][a-z0-9-]*$/.test(name);
}

/**
 * Build a DOM node from a tree. SVG tags (and everything inside an <svg>) use the SVG namespace.
 * @param {Tree|string} tree
 * @param {boolean} [inSvg]
 * @returns {Node}
 */
export function buildNode(tree, inSvg = false) {
  if (typeof tree === "string") return document.createTextNode(tree);
  if (!Array.isArray(tree) || typeof tree[0] !== "string") throw new TypeError("not an element tree");
  const [tag, attrs, ...children] = tree;
  const svg = inSvg || tag === "svg";
  if (svg ? !SVG_TAGS.has(tag) : !HTML_TAGS.has(tag)) throw new TypeError(`tag not allowed: ${tag}`);
  const element = svg ? document.createElementNS(SVG_NS, tag) : document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (!allowedAttribute(name)) throw new TypeError(`attribute not allowed: ${name}`);
    element.setAttribute(name, String(value));
  }
  for (const child of children) element.append(buildNode(child, svg && tag !== "foreignObject"));
  return element;
}

/**
 * Replace a container's content with the tree (or nothing).
 * @param {Element} container
 * @param {Tree|null|undefined} tree
 */
export function renderInto(container, tree) {
  container.replaceChildren(...(tree ? [buildNode(tree)] : []));
}

/**
 * Create an element with attributes and children (text stays text: never innerHTML).
 * @param {string} tag @param {Record<string, string>} [attrs] @param {...(Node|string)} children
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/**
 * Replace a select's options with these values ("" shows as a dash), keeping the choice when it is still one.
 * @param {HTMLSelectElement} select @param {string[]} values @param {string} [keep]
 */
export function fillSelect(select, values, keep = select.value) {
  select.replaceChildren(...values.map((value) => el("option", { value }, value || "—")));
  if (values.includes(keep)) select.value = keep;
}
