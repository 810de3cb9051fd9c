"""Reference tables kept by hand beside the generated city (real facts, cited; not synthetic)."""

from __future__ import annotations

from citybook.city.schema import Field, Table

PRACTICE_AREAS = (
    "Data Management",
    "Leadership and Capacity",
    "Open Data",
    "Performance and Analytics",
    "Data-Driven Budget and Finance",
    "Results-Driven Contracting",
    "Community Impact",
    "Evaluations",
)
CAPACITIES = (
    "Performance management",
    "Results-driven contracting",
    "Evaluation",
    "Data as a service",
    "Leadership",
)

WWC_CRITERIA = Table(
    name="wwc_criteria",
    title="What Works Cities Certification criteria (version 3)",
    description=(
        "The 43 criteria of the What Works Cities Certification standard, version 3 (announced August "
        "2022), in eight practice areas, transcribed with their codes and short names. This table is "
        "real reference material, not synthetic. The `capacity` column is this curriculum's own "
        "grouping of criteria by the data capacity they build; it is not part of the standard."
    ),
    convention="What Works Cities Certification standard, version 3 (Bloomberg Philanthropies).",
    fields=(
        Field("code", "string", "Criterion code as the standard numbers it (e.g. PA1).", required=True),
        Field("practice_area", "string", "The standard's practice area.", required=True, enum=PRACTICE_AREAS),
        Field("criterion", "string", "Short name of the criterion.", required=True),
        Field(
            "capacity",
            "string",
            "The curriculum's grouping by capacity (not part of the standard).",
            required=True,
            enum=CAPACITIES,
        ),
    ),
    primary_key=("code",),
)
