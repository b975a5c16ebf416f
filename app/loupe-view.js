// One script tag puts Loupe on any page: <script type="module" src=".../app/loupe-view.js"></script>
// Defining is explicit and idempotent, so loading this module twice (two embeds, two versions) is safe.

import { LoupeViewElement } from "./loupe-view-element.js";

export { LoupeViewElement };

LoupeViewElement.define();
