"""The benchmark's web server: dist/ at the root, the bench pages and the peer engines beside it, and a
count of the bytes it sends so every measurement can say what it transferred.

    /                 bench/.dist/ (the app built by build.build(), served as `build.py serve` does)
    /bench/           bench/pages/ (floor, PyScript and engine pages)
    /node_modules/    the npm dev dependencies (PyScript, DuckDB-WASM, Arquero, Arrow), served locally
    /data/            bench/data/ (generated CSV files)

Headers are build.Handler's (Cache-Control: no-cache, so a warm visit revalidates and gets cheap 304s).
"""

from __future__ import annotations

import threading
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import build

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "bench" / ".dist"  # the benchmark's own build, so it never races the team's dist/
MOUNTS = (
    ("/bench/", ROOT / "bench" / "pages"),
    ("/node_modules/", ROOT / "node_modules"),
    ("/data/", ROOT / "bench" / "data"),
)


class Counter:
    """Bytes and requests sent since the last reset(); shared by all handler threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.bytes = 0
        self.requests = 0
        self.not_modified = 0
        self.paths: list[tuple[str, int, int]] = []

    def add(self, size: int, status: int, path: str = "") -> None:
        with self.lock:
            self.paths.append((path, status, size))
            self.bytes += size
            self.requests += 1
            self.not_modified += status == 304

    def reset(self) -> None:
        with self.lock:
            self.bytes = self.requests = self.not_modified = 0
            self.paths = []

    def snapshot(self) -> dict[str, int]:
        with self.lock:
            return {"bytes": self.bytes, "requests": self.requests, "not_modified": self.not_modified}


class CountingWriter:
    """Wraps the socket file so every byte of headers and body is counted."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.written = 0

    def write(self, data: bytes) -> int:
        self.written += len(data)
        return int(self.inner.write(data))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def make_handler(counter: Counter, dist: Path) -> type[build.Handler]:
    class Handler(build.Handler):
        # No CSP: the comparison pages (PyScript, DuckDB-WASM, the bare floor) are not built for Loupe's
        # Trusted Types policy, and Loupe's numbers stay comparable with the earlier reports.
        policy = ""
        extensions_map = {  # type: ignore[misc]  # noqa: RUF012 - a plain class attribute in the stdlib
            **build.Handler.extensions_map,
            ".csv": "text/csv",
            ".map": "application/json",
        }

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(dist), **kwargs)

        def setup(self) -> None:
            super().setup()
            self.wfile = CountingWriter(self.wfile)  # type: ignore[assignment]

        def translate_path(self, path: str) -> str:
            clean = unquote(urlsplit(path).path)
            for prefix, directory in MOUNTS:
                if clean.startswith(prefix):
                    relative = Path(clean[len(prefix) :])
                    if ".." in relative.parts:
                        return str(directory / "__forbidden__")
                    return str(directory / relative)
            return super().translate_path(path)

        def send_response(self, code: int, message: str | None = None) -> None:
            self._status = code
            super().send_response(code, message)

        def finish(self) -> None:
            writer = self.wfile
            if isinstance(writer, CountingWriter) and writer.written:
                counter.add(writer.written, getattr(self, "_status", 0), getattr(self, "path", ""))
                writer.written = 0
            super().finish()

        def handle_one_request(self) -> None:
            super().handle_one_request()
            writer = self.wfile
            if isinstance(writer, CountingWriter) and writer.written:
                counter.add(writer.written, getattr(self, "_status", 0), getattr(self, "path", ""))
                writer.written = 0

    return Handler


class BenchServer:
    """A threaded localhost server on a free port; `url(path)` builds absolute URLs."""

    def __init__(self, dist: Path = DIST) -> None:
        self.counter = Counter()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(self.counter, dist))
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> BenchServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.origin + "/" + path.lstrip("/")


if __name__ == "__main__":
    import sys

    with BenchServer() as server:
        print(f"bench server on {server.origin}/ (Ctrl+C stops)", flush=True)
        try:
            server.thread.join()
        except KeyboardInterrupt:
            sys.exit(0)
