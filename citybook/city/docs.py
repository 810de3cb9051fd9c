"""The two documents written next to the data, README.md and the instructors' PLANTED_EFFECTS.md, from templates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from citybook.city import (
    budget,
    contracts,
    ems,
    package,
    pavement,
    profile,
    raw_export,
    service_requests,
    survey,
    trial,
    truth,
)
from citybook.city.calendar import long_date
from citybook.city.findings import seed_findings
from citybook.city.schema import Table
from citybook.templates import render

if TYPE_CHECKING:  # pragma: no cover
    from citybook.city.model import City


def readme(city: City, tables: list[Table]) -> str:
    """datasets/README.md: what the city is, every table in a line, how to load and regenerate."""
    t = city.tables
    hoods = t["neighborhoods"]
    return render(
        "citybook.city",
        "README.md.j2",
        city=profile.CITY,
        river=profile.RIVER,
        population=hoods["population"].sum(),
        districts=len(t["districts"]),
        neighbourhoods=len(hoods),
        start=long_date(truth.START),
        end=long_date(truth.END),
        as_of=truth.AS_OF,
        tables=[
            {"path": tb.path, "title": tb.title, "rows": len(t[tb.name]), "convention": tb.convention} for tb in tables
        ],
        by_hand=[{"path": r["path"], "title": r.get("title", r["name"])} for r in package.EXTRA_RESOURCES],
        rules=raw_export.__doc__.split("exactly. The rules, in order:")[1].strip(),
        source=package.source_note(city.seed),
    )


def planted_effects(city: City) -> str:
    """datasets/PLANTED_EFFECTS.md: each planted effect, its true value, and what this seed's data show."""
    return render(
        "citybook.city",
        "PLANTED_EFFECTS.md.j2",
        seed=city.seed,
        long_date=long_date,
        nan=float("nan"),
        # The design's true values live in these modules; the template names them as the code does.
        truth=truth,
        profile=profile,
        budget=budget,
        contracts=contracts,
        ems=ems,
        pavement=pavement,
        service_requests=service_requests,
        survey=survey,
        trial=trial,
        **seed_findings(city),
    )
