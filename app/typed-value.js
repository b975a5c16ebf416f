// A value typed in a form field, as its column's type wants it: one rule for the step forms, the Filter
// form and the header menu, so a value typed anywhere means the same. Text that is not a number or a
// boolean stays text, so Python's conversion names the problem instead of the page guessing a value.

const NUMERIC = new Set(["integer", "float"]);

/** @param {string} raw what was typed @param {string|undefined} type the column's type */
export function typedValue(raw, type) {
  const text = raw.trim();
  if (type && NUMERIC.has(type) && text !== "" && Number.isFinite(Number(text))) return Number(text);
  if (type === "boolean" && /^(true|false)$/i.test(text)) return text.toLowerCase() === "true";
  return raw;
}
