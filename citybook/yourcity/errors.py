"""The one error the city-report path raises: what is wrong, where, an example value and what to do."""

from __future__ import annotations


class CityDataError(Exception):
    """A problem with an export or its mapping that the user can fix (never shown as a traceback)."""

    def __init__(self, what: str, *, file: str = "", column: str = "", example: str = "", fix: str = "") -> None:
        self.what = what
        self.file = file
        self.column = column
        self.example = example
        self.fix = fix
        super().__init__(self.message())

    def message(self) -> str:
        """Return the error as the lines the command prints."""
        where = ", ".join(part for part in (self.file, f"column '{self.column}'" if self.column else "") if part)
        lines = [f"{where}: {self.what}" if where else self.what]
        if self.example:
            lines.append(f"  example value: {self.example!r}")
        if self.fix:
            lines.append(f"What to do: {self.fix}")
        return "\n".join(lines)
