"""One error type for the hub's set-up: what went wrong and what to do about it."""

from __future__ import annotations


class HubError(Exception):
    """A set-up step that cannot go on, with the fix in plain words."""

    def __init__(self, problem: str, fix: str = "") -> None:
        super().__init__(problem)
        self.problem = problem
        self.fix = fix

    def __str__(self) -> str:
        return f"{self.problem}\n  What to do: {self.fix}" if self.fix else self.problem
