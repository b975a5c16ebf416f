"""A file over the reader's limit is refused from its size alone: nothing of it is read or copied; a file
under it is read by the worker in slices, never copied by the page."""

from __future__ import annotations

import base64
import hashlib
import json
import zlib
from pathlib import Path
from typing import Any

COUNT_READS = """() => {
    window.__reads = 0;
    for (const name of ["arrayBuffer", "slice", "stream", "text", "bytes"]) {
        const original = Blob.prototype[name];
        if (!original) continue;
        // Only the user's files (File objects) count: the page packs its document link through a Blob.
        Blob.prototype[name] = function (...args) {
            if (this instanceof File) window.__reads++;
            return original.apply(this, args);
        };
    }
}"""


def test_a_3_gb_file_is_refused_before_any_read(app: Any, tmp_path: Path) -> None:
    # RELIABILITY 38: a 3 GB file (sparse on disk) gets the size and the limit, no read, no copy.
    app.show_sample()
    big = tmp_path / "huge.csv"
    with big.open("wb") as handle:
        handle.truncate(3 * 2**30)
    app.page.evaluate(COUNT_READS)
    app.act(lambda: app.page.set_input_files("#file-input", str(big)))
    status = app.status()
    assert "huge.csv is 3,221 MB, over the 1,074 MB limit" in status
    assert "Hint: open a smaller extract" in status
    assert app.page.evaluate("() => window.__reads") == 0
    assert app.page.locator("#row-count").inner_text() == "4,631 rows"  # the sample stays
    assert app.page.get_attribute("html", "data-loupe-state") == "ready"


def document_in_address_bar(app: Any) -> dict[str, Any]:
    """The document app/share.js keeps in the fragment: base64url of deflate-raw JSON after 'loupe=1.'."""
    fragment = app.page.evaluate("() => location.hash").split("loupe=1.", 1)[1]
    packed = base64.urlsafe_b64decode(fragment + "=" * (-len(fragment) % 4))
    return dict(json.loads(zlib.decompress(packed, wbits=-15)))


def test_an_opened_file_is_read_by_the_worker_in_slices_not_copied_by_the_page(
    app: Any, tmp_path: Path
) -> None:
    # RELIABILITY 38: the page posts the File itself; nothing in the page reads it (no arrayBuffer, slice
    # or stream), yet the document records its SHA-256, which the worker hashed from the slices it read.
    app.show_sample()
    path = tmp_path / "many.csv"
    rows = "".join(f"{i},{i % 7},région {i % 5}\n" for i in range(60_000))  # past the 50,000-row prefix
    path.write_text("id,n,region\n" + rows, encoding="utf-8")
    app.page.evaluate(COUNT_READS)
    app.act(lambda: app.page.set_input_files("#file-input", str(path)))
    assert app.page.locator("#row-count").inner_text() == "60,000 rows"
    assert app.page.evaluate("() => window.__reads") == 0
    app.page.wait_for_function("() => location.hash.includes('loupe=1.')")
    sources = document_in_address_bar(app)["sources"]
    mine = [s for s in sources if s["name"] == "many.csv"]
    assert mine and mine[0]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
