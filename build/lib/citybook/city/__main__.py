"""`python -m citybook.city [--out DIR] [--seed N]`: regenerate the sample city's files."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from citybook.city import build, truth
from citybook.paths import DATASETS


def main(argv: list[str] | None = None) -> int:
    """Generate every table and write it, printing progress per table."""
    parser = argparse.ArgumentParser(prog="python -m citybook.city", description=__doc__)
    parser.add_argument("--out", type=Path, default=DATASETS, help="folder to write (default: datasets/)")
    parser.add_argument("--seed", type=int, default=truth.SEED, help=f"random seed (default: {truth.SEED})")
    parser.add_argument("--quiet", action="store_true", help="print nothing")
    args = parser.parse_args(argv)

    def progress(name: str, note: str) -> None:
        if not args.quiet:
            print(f"  {name:<32} {note}", flush=True)

    start = time.perf_counter()
    if not args.quiet:
        print(f"Generating the sample city (seed {args.seed})")
    city = build.generate(args.seed, progress)
    if not args.quiet:
        print(f"Writing to {args.out}")
    written = build.write(city, args.out, progress)
    if not args.quiet:
        size = sum(p.stat().st_size for p in written) / 1e6
        print(f"Done: {len(written)} files, {size:.1f} MB, {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
