"""Retake docs/screenshot.png: the built app with its sample open, as a newcomer first sees it.

python docs/screenshot.py        (after python build.py; needs playwright and a Chromium, as the tests do)
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "py")]

import build  # noqa: E402
from tests.e2e.browser import launch  # noqa: E402

READY = """() => document.documentElement.dataset.loupeState === 'ready'
    && Number(document.documentElement.dataset.loupeRenders || 0) > 0"""


def main() -> int:
    from playwright.sync_api import sync_playwright

    server = build.serve_in_background(ROOT / "dist")
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1280, "height": 860})
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
        page.wait_for_function(READY, timeout=120_000)
        page.screenshot(path=str(ROOT / "docs" / "screenshot.png"))
        browser.close()
    server.shutdown()
    print("wrote docs/screenshot.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
