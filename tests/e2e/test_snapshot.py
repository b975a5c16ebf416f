"""Start-up snapshots: after a normal first visit the worker saves a memory snapshot of Python with Loupe
imported; the next visit boots from it and the app works the same (sample, steps, charts)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.e2e.conftest import BOOT_TIMEOUT_MS, App, new_context


def test_second_visit_boots_from_a_snapshot_and_works(browser: Any, base_url: str, tmp_path: Path) -> None:
    context = new_context(browser, snapshots=True)
    try:
        app = App(context.new_page(), base_url).open()
        assert app.page.get_attribute("html", "data-loupe-boot") == "normal"
        app.page.wait_for_function(
            "() => document.documentElement.dataset.loupeSnapshot !== undefined", timeout=BOOT_TIMEOUT_MS
        )
        assert app.page.get_attribute("html", "data-loupe-snapshot") == "saved"

        app.page.reload()
        app.wait_ready(timeout=BOOT_TIMEOUT_MS)
        assert app.page.get_attribute("html", "data-loupe-boot") == "snapshot"
        assert app.page.locator("#row-count").inner_text() == "4,631 rows"
        page = app.page
        page.select_option("#filter-column", "region")
        page.fill("#filter-value", "South")
        app.act(lambda: page.click("#filter-form button[type=submit]"))
        assert set(app.column("region")) == {"South"}
        app.act(lambda: page.select_option("#chart-type", "histogram"))
        assert page.locator("#chart svg .mark").count() > 0
        assert "snapshot" in page.locator("#runtime").inner_text()
    finally:
        context.close()
