// Starts the Python worker as soon as the page is read, before the explorer's own modules have loaded:
// a small-file visit waits for Python, and the explorer's module graph (its forms, menus, dashboard)
// would otherwise delay the worker's downloads and boot by as long as it takes to fetch. The explorer
// asks for the same client (sharedClient returns one per page) and listens to it from then on.
import { sharedClient } from "./client.js";

sharedClient();
