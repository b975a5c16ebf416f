// A value typed in a form field (app/typed-value.js): the step forms, the Filter form and the header
// menu read it by one rule, and anything that is not clearly a number or a boolean stays text.
import { test } from "node:test";
import assert from "node:assert/strict";

import { typedValue } from "../../app/typed-value.js";

const CASES = [
  // raw, column type, value sent in the step
  ["42", "integer", 42],
  [" 3.5 ", "float", 3.5],
  ["-1e3", "float", -1000],
  ["", "integer", ""],
  ["12 kg", "integer", "12 kg"],
  ["Infinity", "float", "Infinity"],
  ["true", "boolean", true],
  [" FALSE ", "boolean", false],
  ["yes", "boolean", "yes"], // not guessed to be false: Python converts it (it reads "yes" as true)
  ["042", "text", "042"],
  [" North ", "text", " North "],
  ["2024-01-31", "date", "2024-01-31"],
  ["7", undefined, "7"],
];

for (const [raw, type, expected] of CASES) {
  test(`${JSON.stringify(raw)} for a ${type ?? "column of no known"} type is ${JSON.stringify(expected)}`, () => {
    assert.deepEqual(typedValue(raw, type), expected);
  });
}
