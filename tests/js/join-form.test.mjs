// The join preview in words (app/join-form.js): counts of both sides and the result's rows.
import { test } from "node:test";
import assert from "node:assert/strict";

globalThis.navigator ??= /** @type {any} */ ({ language: "en-US" });
const { previewLines, fieldText } = await import("../../app/join-form.js");

test("the preview names both sides' matches and the result", () => {
  const p = { left_rows: 4631, right_rows: 3, left_matched: 1802, left_unmatched: 2829, right_matched: 2,
    right_unmatched: 1, pairs: 1802, rows: 4631, how: "left" };
  assert.deepEqual(previewLines(p, "managers"), [
    "Here: 1,802 of 4,631 rows match, 2,829 unmatched.",
    "managers: 2 of 3 rows match, 1 unmatched.",
    "Result (left join): 4,631 rows.",
  ]);
  assert.equal(previewLines({ ...p, right_rows: 1, rows: 1 }, "one")[2], "Result (left join): 1 row.");
});

test("a refusal reads as its message and hint", () => {
  assert.equal(fieldText({ message: "cannot match", text: "", hint: "cast one side first" }),
    "cannot match. Hint: cast one side first");
  assert.equal(fieldText({ message: "no", text: "" }), "no");
});
