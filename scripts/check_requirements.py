"""Refuse requirement lines that name a file, a local path or a URL: every pin must come from the index.

Usage: python scripts/check_requirements.py FILE [FILE ...]   (exit 1 and one line per problem)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

# A pin as the index serves it: `name==version`, optional extras and environment marker, then hashes.
PIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9,._-]+\])?==[A-Za-z0-9.+!_-]+(\s*;[^@]*)?(\s*\\)?$")
HASH = re.compile(r"^--hash=sha256:[0-9a-f]{64}(\s*\\)?$")
# Options that point pip somewhere other than the package index, or pull in another file.
FORBIDDEN_OPTIONS = (
    "-e",
    "--editable",
    "-f",
    "--find-links",
    "-i",
    "--index-url",
    "--extra-index-url",
    "-r",
    "--requirement",
    "-c",
    "--constraint",
)


def problems(path: Path) -> list[str]:
    """Every line of one requirements file that is not an index pin, a hash, a comment or blank."""
    found = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split(" #", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        if not line or HASH.match(line) or PIN.match(line):
            continue
        if line.split("=", 1)[0].split()[0] in FORBIDDEN_OPTIONS:
            why = "points pip away from the package index or at another file"
        elif "@" in line or "://" in line or line.startswith((".", "/", "~")):
            why = "names a file, a local path or a URL"
        else:
            why = "is not an exact pin (name==version)"
        found.append(f"{path}:{number}: {raw.strip()!r} {why}; pin it as name==version from the package index")
    return found


def main(argv: list[str]) -> int:
    """Check each file named; print every problem; exit 1 if there was one."""
    if not argv:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    found = [p for name in argv for p in problems(Path(name))]
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
