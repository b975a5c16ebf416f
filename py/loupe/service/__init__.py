"""The service the worker talks to: a request parsed once (request), sessions and their caches
(session), what a page shows (views), exports, sources, and the entry point (protocol)."""

from loupe.service.protocol import METHODS, handle, handle_json

__all__ = ["METHODS", "handle", "handle_json"]
