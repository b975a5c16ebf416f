"""Download the pure-Python wheels pytest needs inside Pyodide (install time only; cached in .cache/)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET = ROOT / ".cache" / "pyodide-wheels"
REQUIREMENTS = ["pytest", "hypothesis"]


def main() -> int:
    TARGET.mkdir(parents=True, exist_ok=True)
    if any(TARGET.glob("pytest-*.whl")) and any(TARGET.glob("hypothesis-*.whl")):
        return 0
    # The platform tag makes pip resolve for Pyodide's Python 3.14 (no backports); all of these are
    # pure-Python wheels, which Pyodide installs by unpacking.
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
         "--only-binary=:all:", "--platform", "pyemscripten_2026_0_wasm32", "--python-version", "3.14",
         "--dest", str(TARGET), *REQUIREMENTS],
        check=True,
    )  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
