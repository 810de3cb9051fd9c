"""Errors an instructor can act on: what went wrong, where (file and line), and what to do."""

from __future__ import annotations

import re
from collections.abc import Iterable


class CourseError(Exception):
    """A problem with the course, its files or a command's options that the instructor can fix."""

    def __init__(self, what: str, *, where: str = "", fix: str = "", details: Iterable[str] = ()) -> None:
        self.what = what
        self.where = where
        self.fix = fix
        self.details = list(details)
        super().__init__(self.message())

    def message(self) -> str:
        """Return the error as the lines the command prints."""
        lines = [f"{self.where}: {self.what}" if self.where else self.what]
        lines += [f"  - {detail}" for detail in self.details]
        if self.fix:
            lines.append(f"What to do: {self.fix}")
        return "\n".join(lines)


def log_tail(log: str, lines: int = 12) -> list[str]:
    """Return the last non-empty lines of an nbgrader log, for an error message."""
    kept = [line for line in log.splitlines() if line.strip()]
    return kept[-lines:]


EXCEPTION_LINE = re.compile(r"^\s*((?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*(?:Error|Exception|Exit|Interrupt|Stopped)): (.*)$")


def failure_reason(log: str) -> str:
    """Return the last 'SomeError: message' line of a log, skipping nbgrader's closing summary."""
    found = [
        m.group(0).strip()
        for m in map(EXCEPTION_LINE.match, log.splitlines())
        if m and not m.group(1).endswith("NbGraderException")
    ]
    return found[-1] if found else ""
