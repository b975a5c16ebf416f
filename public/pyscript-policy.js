// The PyScript page's Trusted Types "default" policy. PyScript 0.7 builds its hook functions with the
// Function constructor from two templates of its own; under `require-trusted-types-for 'script'` those
// strings must pass a policy, and this one admits exactly those templates and nothing else: no HTML
// (innerHTML stays refused), no script URL, no other string run as code (docs/security.md).

// The Function constructor hands the policy the whole source, "(function anonymous(\n) {\nBODY\n})".
const PYSCRIPT_TEMPLATES = [/^\(function anonymous\(\n\) \{\nreturn\(w,x\)=>\(/, /^\(function anonymous\(\n\) \{\n'use strict';return \(/];

const factory = /** @type {any} */ (globalThis).trustedTypes;
if (factory && !factory.defaultPolicy) {
  factory.createPolicy("default", {
    /** @param {string} input */
    createScript(input) {
      if (PYSCRIPT_TEMPLATES.some((template) => template.test(input))) return input;
      throw new TypeError("the PyScript page's Trusted Types policy admits only PyScript's own hook functions");
    },
  });
}
