"""Street segments and their Pavement Condition Index (ASTM D6433) survey by year, with treatments."""

from __future__ import annotations

import numpy as np
import pandas as pd

from citybook.city import truth
from citybook.city.draws import lognormal
from citybook.city.schema import Field, ForeignKey, Table

SURVEY_YEARS = (2020, 2021, 2022, 2023, 2024)
CLASSES = ("arterial", "collector", "local")
SEGMENTS_PER_STREET = {"arterial": 3, "collector": 6, "local": 7}
LENGTH_MILES = {"arterial": (0.30, 0.60), "collector": (0.20, 0.45), "local": (0.12, 0.30)}
LANES = {"arterial": ((4, 6), (0.8, 0.2)), "collector": ((2, 3, 4), (0.6, 0.2, 0.2)), "local": ((2,), (1.0,))}
INITIAL_PCI = {"arterial": 64, "collector": 67, "local": 71}
INITIAL_PCI_SD = 15
INITIAL_PCI_PER_INCOME_SD = 4.0  # lower-income neighbourhoods start with worse streets
WEAR = {"arterial": 1.25, "collector": 1.05, "local": 0.9}  # heavier traffic wears faster
TREATMENT_CHANCE = {"good": 0.10, "fair": 0.10, "poor": 0.10, "failed": 0.12}  # share treated each year
PREVENTIVE_SLOWDOWN = 0.5  # a preventive seal halves next year's wear
TREATMENTS = ("none",) + tuple(t for t, _ in truth.TREATMENT_BY_BAND.values())

SEGMENTS = Table(
    name="pavement_segments",
    title="Street segments",
    description=(
        "The fictional city's paved street network, one row per segment managed as a unit. "
        "lane_miles = length_miles x lanes; the network PCI is the lane-mile-weighted mean."
    ),
    convention="Pavement management inventory as in FHWA/APWA practice: functional class (arterial, collector, local), length and lanes per segment.",
    fields=(
        Field("segment_id", "string", "Segment identifier.", required=True),
        Field("street_name", "string", "Street the segment is on.", required=True),
        Field("functional_class", "string", "Role in the network.", required=True, enum=CLASSES),
        Field(
            "neighborhood_id", "string", "Neighbourhood the segment lies in (or borders, for arterials).", required=True
        ),
        Field("district", "integer", "Service district.", required=True, minimum=1, maximum=10),
        Field("length_miles", "number", "Centreline length.", unit="miles", required=True, minimum=0, decimals=2),
        Field("lanes", "integer", "Travel lanes.", required=True, minimum=1),
        Field("lane_miles", "number", "length_miles x lanes.", unit="lane-miles", required=True, minimum=0, decimals=2),
    ),
    primary_key=("segment_id",),
    foreign_keys=(
        ForeignKey(("neighborhood_id",), "neighborhoods", ("neighborhood_id",)),
        ForeignKey(("district",), "districts", ("district",)),
    ),
)

CONDITION = Table(
    name="pavement_condition",
    title="Pavement condition by year",
    description=(
        "Each segment's Pavement Condition Index from the spring survey of each year 2020-2024, "
        "its condition band (good 60-100, fair 40-59, poor 20-39, failed 0-19) and the treatment "
        "applied that summer with its cost. A treatment shows in the next year's PCI. Typical "
        "treatment and cost per lane-mile by band: good - preventive seal, USD 20,000; fair - "
        "surface treatment, USD 75,000; poor - mill and overlay, USD 250,000; failed - "
        "reconstruction, USD 750,000: deferring maintenance multiplies the bill."
    ),
    convention="Pavement Condition Index per ASTM D6433 (0-100); condition bands as used by the City of Spokane.",
    fields=(
        Field("segment_id", "string", "Segment (see pavement_segments).", required=True),
        Field(
            "survey_year", "integer", "Year of the spring condition survey.", required=True, minimum=2020, maximum=2024
        ),
        Field(
            "pci",
            "integer",
            "Pavement Condition Index.",
            unit="PCI points (0-100)",
            required=True,
            minimum=0,
            maximum=100,
        ),
        Field(
            "condition_band", "string", "Band of the PCI.", required=True, enum=tuple(b for b, _, _ in truth.PCI_BANDS)
        ),
        Field(
            "treatment", "string", "Treatment applied in the summer after the survey.", required=True, enum=TREATMENTS
        ),
        Field(
            "treatment_cost",
            "number",
            "Cost of the treatment (0 if none).",
            unit="USD",
            required=True,
            minimum=0,
            decimals=2,
        ),
    ),
    primary_key=("segment_id", "survey_year"),
    foreign_keys=(ForeignKey(("segment_id",), "pavement_segments", ("segment_id",)),),
)


def band(pci: np.ndarray) -> np.ndarray:
    """Condition band of each PCI value."""
    out = np.empty(len(pci), dtype=object)
    for name, low, high in truth.PCI_BANDS:
        out[(pci >= low) & (pci <= high)] = name
    return out


def wear(pci: np.ndarray, functional_class: np.ndarray) -> np.ndarray:
    """Expected PCI points lost in a year: fastest in the middle of the scale, faster on busy streets."""
    factor = np.vectorize(WEAR.get)(functional_class)
    return factor * (1.0 + 3.5 * np.exp(-(((pci - 50) / 28) ** 2)))


def segments(streets: pd.DataFrame, hoods: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Cut every street into segments with a length and lane count."""
    rows = []
    for street in streets.itertuples():
        cls = street.functional_class
        lanes_options, lanes_p = LANES[cls]
        lanes = int(rng.choice(lanes_options, p=lanes_p))
        for _ in range(SEGMENTS_PER_STREET[cls]):
            rows.append((street.street_name, cls, street.cell, round(float(rng.uniform(*LENGTH_MILES[cls])), 2), lanes))
    frame = pd.DataFrame(rows, columns=["street_name", "functional_class", "cell", "length_miles", "lanes"])
    frame.insert(0, "segment_id", [f"PS-{i + 1:05d}" for i in range(len(frame))])
    frame["neighborhood_id"] = hoods["neighborhood_id"].to_numpy()[frame["cell"]]
    frame["district"] = hoods["district"].to_numpy()[frame["cell"]]
    frame["lane_miles"] = (frame["length_miles"] * frame["lanes"]).round(2)
    return frame[SEGMENTS.columns]


def condition(segs: pd.DataFrame, hoods: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Survey PCI year by year: wear without treatment, reset or slow-down with one."""
    log_income = np.log(hoods.set_index("neighborhood_id")["median_household_income"].astype(float))
    income_z = ((log_income - log_income.mean()) / log_income.std()).reindex(segs["neighborhood_id"]).to_numpy()
    cls = segs["functional_class"].to_numpy()
    pci = (
        np.vectorize(INITIAL_PCI.get)(cls)
        + INITIAL_PCI_PER_INCOME_SD * income_z
        + rng.normal(0, INITIAL_PCI_SD, len(segs))
    )
    pci = np.clip(pci, 3, 100)
    slow = np.ones(len(segs))
    out = []
    for year in SURVEY_YEARS:
        observed = np.clip(np.round(pci), 0, 100).astype(int)
        bands = band(observed)
        treated = rng.random(len(segs)) < np.vectorize(TREATMENT_CHANCE.get)(bands)
        treatment = np.where(treated, [truth.TREATMENT_BY_BAND[b][0] for b in bands], "none")
        unit_cost = np.array([truth.TREATMENT_BY_BAND[b][1] for b in bands], dtype=float)
        cost = np.where(treated, segs["lane_miles"].to_numpy() * lognormal(rng, unit_cost, 1.2), 0.0)
        out.append(
            pd.DataFrame(
                {
                    "segment_id": segs["segment_id"],
                    "survey_year": year,
                    "pci": observed,
                    "condition_band": bands,
                    "treatment": treatment,
                    "treatment_cost": np.round(cost, 2),
                }
            )
        )
        after = pci.copy()
        after = np.where(treated & (bands == "good"), np.minimum(100, pci + 6), after)
        after = np.where(treated & (bands == "fair"), rng.normal(82, 4, len(pci)), after)
        after = np.where(treated & (bands == "poor"), rng.normal(94, 3, len(pci)), after)
        after = np.where(treated & (bands == "failed"), 100.0, after)
        loss = wear(after, cls) * slow * np.where(treated & (bands == "good"), PREVENTIVE_SLOWDOWN, 1.0)
        pci = np.clip(after - loss + rng.normal(0, 1.0, len(pci)), 0, 100)
    return pd.concat(out, ignore_index=True).sort_values(["segment_id", "survey_year"], ignore_index=True)
