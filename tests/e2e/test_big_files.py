"""A file over the reader's limit is refused from its size alone: nothing of it is read or copied."""

from __future__ import annotations

from pathlib import Path
from typing import Any

COUNT_READS = """() => {
    window.__reads = 0;
    for (const name of ["arrayBuffer", "slice", "stream", "text", "bytes"]) {
        const original = Blob.prototype[name];
        if (!original) continue;
        Blob.prototype[name] = function (...args) { window.__reads++; return original.apply(this, args); };
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
