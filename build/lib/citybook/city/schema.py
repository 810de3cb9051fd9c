"""Table descriptions shared by the writer, the data package and the catalogue."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Frictionless types this project uses, and how the writer formats each.
TYPES = ("string", "integer", "number", "boolean", "datetime", "date", "yearmonth")
DATETIME_FORMAT = "%Y-%m-%dT%H:%M:%S"
DATE_FORMAT = "%Y-%m-%d"


@dataclass(frozen=True)
class Field:
    """One column: its Frictionless type, meaning, unit and constraints."""

    name: str
    type: str
    description: str
    unit: str | None = None
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None
    enum: tuple[Any, ...] | None = None
    decimals: int | None = None  # digits after the point when a number is written

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"{self.name}: unknown type {self.type!r}")
        if self.type == "number" and self.decimals is None:
            raise ValueError(f"{self.name}: a number needs `decimals` for stable output")

    def descriptor(self) -> dict[str, Any]:
        """The Frictionless field descriptor (with a custom `unit` property)."""
        out: dict[str, Any] = {"name": self.name, "type": self.type, "description": self.description}
        if self.type == "datetime":
            out["format"] = DATETIME_FORMAT
        elif self.type == "date":
            out["format"] = DATE_FORMAT
        if self.unit:
            out["unit"] = self.unit
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.minimum is not None:
            constraints["minimum"] = self.minimum
        if self.maximum is not None:
            constraints["maximum"] = self.maximum
        if self.enum is not None:
            constraints["enum"] = list(self.enum)
        if constraints:
            out["constraints"] = constraints
        return out


@dataclass(frozen=True)
class ForeignKey:
    """A column (or columns) that must match a key of another table."""

    fields: tuple[str, ...]
    resource: str
    reference: tuple[str, ...]

    def descriptor(self) -> dict[str, Any]:
        """The Frictionless foreign-key descriptor."""
        return {"fields": list(self.fields), "reference": {"resource": self.resource, "fields": list(self.reference)}}


@dataclass(frozen=True)
class Table:
    """A tabular resource of the data package: a CSV file and its schema."""

    name: str
    title: str
    description: str
    convention: str  # the real-world convention the table follows
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    compressed: bool = False

    @property
    def path(self) -> str:
        """File name inside `datasets/`."""
        return f"{self.name}.csv.gz" if self.compressed else f"{self.name}.csv"

    @property
    def columns(self) -> list[str]:
        """Column names in file order."""
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        """The field called `name`."""
        return next(f for f in self.fields if f.name == name)

    def descriptor(self) -> dict[str, Any]:
        """The Frictionless resource descriptor."""
        schema: dict[str, Any] = {"fields": [f.descriptor() for f in self.fields], "missingValues": [""]}
        if self.primary_key:
            schema["primaryKey"] = list(self.primary_key)
        if self.foreign_keys:
            schema["foreignKeys"] = [fk.descriptor() for fk in self.foreign_keys]
        out: dict[str, Any] = {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "convention": self.convention,
            "path": self.path,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": {"delimiter": ",", "lineTerminator": "\n", "header": True},
            "schema": schema,
        }
        if self.compressed:
            out["compression"] = "gz"
        return out


@dataclass(frozen=True)
class GeoResource:
    """A non-tabular GeoJSON resource of the data package."""

    name: str
    title: str
    description: str
    convention: str
    path: str  # file name inside `datasets/`
    properties: tuple[Field, ...] = field(default=())

    def descriptor(self) -> dict[str, Any]:
        """The Frictionless resource descriptor (a plain file, not a table)."""
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "convention": self.convention,
            "path": self.path,
            "format": "geojson",
            "mediatype": "application/geo+json",
            "encoding": "utf-8",
            "featureProperties": [p.descriptor() for p in self.properties],
        }
