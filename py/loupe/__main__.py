"""`python -m loupe ...` and the `loupe` console script."""

from __future__ import annotations

import sys

from loupe.cli import main as _main


def main() -> int:
    """Entry point for [project.scripts]; exits with the command's code."""
    return _main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
