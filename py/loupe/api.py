"""The one entry point the worker, the widget and the tests call: handle(method, params) -> JSON-able
dict. It lives in loupe.service (request, session, views, exports, sources, protocol); this module is
its stable name for the worker bridge, the command line and the benchmark."""

from loupe.service import METHODS, handle, handle_json

__all__ = ["METHODS", "handle", "handle_json"]
