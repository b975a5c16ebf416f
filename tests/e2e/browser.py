"""Which Chromium the end-to-end tests drive: Playwright's own where installed, else a system Chromium.

python tests/e2e/browser.py --check     exit 0 when a browser can be launched (tests/run uses it)
"""

from __future__ import annotations

import os
import shutil
import sys
from typing import Any

# Flags for a sandboxed, closed-network machine: no background traffic that would fail or add noise.
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SYSTEM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def system_chromium() -> str | None:
    """LOUPE_CHROMIUM, or the first Chromium-like executable on PATH."""
    if os.environ.get("LOUPE_CHROMIUM"):
        return os.environ["LOUPE_CHROMIUM"]
    for name in SYSTEM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def launch(playwright: Any, **options: Any) -> Any:
    """Launch headless Chromium: Playwright's bundled build if present, the system one otherwise."""
    options = {"args": FLAGS, **options}
    if not os.environ.get("LOUPE_CHROMIUM"):
        try:
            return playwright.chromium.launch(**options)
        except Exception:
            pass  # no bundled browser (playwright install cannot download here): fall back
    executable = system_chromium()
    if executable is None:
        raise RuntimeError("no Chromium found: apt-get install chromium, or playwright install chromium")
    return playwright.chromium.launch(executable_path=executable, **options)


def main() -> int:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        print(f"browser: {browser.browser_type.name} {browser.version}")
        browser.close()
    return 0


if __name__ == "__main__" and "--check" in sys.argv:
    sys.exit(main())
