"""A file read in slices: its head for detection, its bytes front to back for a streaming reader, and
the SHA-256 of what was read, so a big file is never held whole just to be read or fingerprinted.

In the browser the path is a File mounted read-only (Pyodide's WORKERFS): each slice read is one
FileReaderSync read of that part of the file, and nothing else of it is in memory.

>>> file = SlicedFile(b"a,b\\n1,2\\n", fingerprint=True)
>>> b"".join(file.slices(4)), file.sha256()[:12]
(b'a,b\\n1,2\\n', '492d5ea49605')
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from typing import BinaryIO

from loupe.errors import ReadError
from loupe.progress import report

SLICE_BYTES = 1 << 20  # one read of the mounted file; the decoder and parser take it from there
HEAD_BYTES = 1 << 16  # enough for every format check (magic bytes, JSON Lines, UTF-16 without BOM)


class SlicedFile:
    """A file at a path (or bytes already in memory), read in slices; `fingerprint` hashes what is read."""

    def __init__(self, source: str | bytes, *, fingerprint: bool = False) -> None:
        self.path = source if isinstance(source, str) else None
        self.data = source if isinstance(source, bytes) else None
        self.fingerprint = fingerprint
        self._digest: str | None = None
        try:
            self.size = os.path.getsize(source) if isinstance(source, str) else len(source)
        except OSError as exc:  # missing, no permission...
            raise _cannot_open(source, exc) from None

    def head(self, count: int = HEAD_BYTES) -> bytes:
        """The first `count` bytes (not hashed: the whole file is, when it is read)."""
        if self.data is not None:
            return self.data[:count]
        with self._open() as handle:
            return handle.read(count)

    def slices(self, size: int | None = None) -> Iterator[bytes]:
        """The bytes front to back, reporting progress; read to the end, they give the SHA-256."""
        size = size or SLICE_BYTES
        hasher = hashlib.sha256() if self.fingerprint and self._digest is None else None
        done = 0
        if self.data is not None:
            view = memoryview(self.data)
            pieces: Iterator[bytes] = (bytes(view[at : at + size]) for at in range(0, self.size, size))
        else:
            pieces = self._read(size)
        for piece in pieces:
            if hasher is not None:
                hasher.update(piece)
            done += len(piece)
            report("reading", done / self.size if self.size else 1.0)
            yield piece
        if hasher is not None:
            self._digest = hasher.hexdigest()

    def read_all(self) -> bytes:
        """The whole file at once, for the readers that need it (SQLite, Excel, JSON, an odd CSV)."""
        if self.data is not None:
            data = self.data
        else:
            with self._open() as handle:
                data = handle.read()
        if self.fingerprint and self._digest is None:
            self._digest = hashlib.sha256(data).hexdigest()
        return data

    def sha256(self) -> str:
        """The file's SHA-256 as hex; one more pass over it only if no reader read it to the end."""
        if self._digest is None:
            hasher = hashlib.sha256()
            for piece in self._read(SLICE_BYTES) if self.data is None else [self.data]:
                hasher.update(piece)
            self._digest = hasher.hexdigest()
        return self._digest

    def _read(self, size: int) -> Iterator[bytes]:
        with self._open() as handle:
            while piece := handle.read(size):
                yield piece

    def _open(self) -> BinaryIO:
        assert self.path is not None
        try:
            return open(self.path, "rb")
        except OSError as exc:
            raise _cannot_open(self.path, exc) from None


def _cannot_open(source: str | bytes, exc: OSError) -> ReadError:
    return ReadError(f"cannot open {source!r}: {exc.strerror}", hint="check the path")
