"""The benchmark's data: a deterministic CSV of orders, the same bytes for the same row count.

    python3 bench/make_data.py 100000            # writes bench/data/orders-100000.csv
    python3 bench/make_data.py 1000000 --force

Columns: id (integer), value (float, 2 decimals), quantity (integer), category (50 values), region
(8 values), date (ISO), note (free text with commas and quotes, so a naive split would go wrong).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import random
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
SEED = 20261123
REGIONS = ("North", "South", "East", "West", "Central", "Coast", "Mountain", "Islands")
CATEGORIES = tuple(f"cat-{i:02d}" for i in range(50))
WORDS = ("red", "blue", "fast", "slow", "big", "small", "fragile", "bulk", "gift", "return")
START = dt.date(2020, 1, 1)
HEADER = ("id", "value", "quantity", "category", "region", "date", "note")


def note(rng: random.Random, i: int) -> str:
    """Free text: every 3rd note has a comma, every 7th a quoted word, every 50th is empty."""
    if i % 50 == 0:
        return ""
    words = [rng.choice(WORDS) for _ in range(1 + i % 3)]
    if i % 3 == 0:
        words.insert(1, "order,")
    if i % 7 == 0:
        words.append('"rush"')
    return " ".join(words)


def rows(count: int) -> list[tuple[object, ...]]:
    rng = random.Random(SEED)
    out: list[tuple[object, ...]] = []
    for i in range(1, count + 1):
        out.append(
            (
                i,
                f"{rng.uniform(0, 1000):.2f}",
                rng.randint(1, 20),
                CATEGORIES[rng.randrange(len(CATEGORIES))],
                REGIONS[rng.randrange(len(REGIONS))],
                (START + dt.timedelta(days=rng.randrange(1500))).isoformat(),
                note(rng, i),
            )
        )
    return out


def write(count: int, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    with partial.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows(count))
    partial.replace(path)
    return path


def path_for(count: int) -> Path:
    return DATA / f"orders-{count}.csv"


def ensure(count: int, *, force: bool = False) -> Path:
    """The CSV for `count` rows, generated on first use."""
    path = path_for(count)
    if force or not path.exists():
        write(count, path)
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the benchmark's CSV.")
    parser.add_argument("rows", type=int, nargs="+")
    parser.add_argument("--force", action="store_true", help="rewrite even if the file exists")
    args = parser.parse_args(argv)
    for count in args.rows:
        path = ensure(count, force=args.force)
        print(f"{path} {path.stat().st_size / 1e6:.1f} MB sha256:{digest(path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
