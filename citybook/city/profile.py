"""Who lives where: the city's name, its neighbourhoods and its service districts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from citybook.city import geography
from citybook.city.draws import logistic
from citybook.city.schema import Field, ForeignKey, Table

CITY = "Corvella"
RIVER = "Ambrel River"
POPULATION = 452_000
ADULT_SHARE = 0.78

NEIGHBORHOOD_NAMES = (
    "Alder Point",
    "Ambrel Flats",
    "Ashgrove",
    "Bellfield",
    "Birch Hollow",
    "Brickyard",
    "Calloway",
    "Cedar Terrace",
    "Copper Hill",
    "Cordova Heights",
    "Crane Landing",
    "Dover Commons",
    "Eastbank",
    "Elmstead",
    "Fairmeadow",
    "Ferry Row",
    "Foundry",
    "Glenmoor",
    "Granary Square",
    "Hawthorne",
    "Highmarket",
    "Ironwood",
    "Juniper Park",
    "Kestrel Ridge",
    "Lamplight",
    "Las Palmas",
    "Linden Grove",
    "Lockhart",
    "Maple Crossing",
    "Marisol",
    "Millrace",
    "Mirador",
    "North Quarry",
    "Oakhaven",
    "Old Town",
    "Orchard Hill",
    "Pinecrest",
    "Riverside",
    "Rosales",
    "Saltmarsh",
    "Sauce Grove",
    "Southgate",
    "Stonebridge",
    "Sycamore",
    "Tanners Row",
    "Union Yards",
    "Valle Verde",
    "Westbank",
)
COUNCIL_MEMBERS = (
    "Ana Beltrán",
    "Marcus Odell",
    "Priya Raman",
    "Tomás Aguilar",
    "Grace Whitfield",
    "Daniel Okafor",
    "Lucía Ferreira",
    "Henry Castellanos",
    "Mei Lin Tan",
    "Rosa Delgado",
)
INCOME_GROUPS = ("low", "middle", "high")

NEIGHBORHOODS = Table(
    name="neighborhoods",
    title="Neighbourhoods",
    description=(
        "The 48 neighbourhoods of the fictional city of Corvella with their population and "
        "household profile (2024 estimates). Shares are proportions between 0 and 1. `income_group` "
        "splits the neighbourhoods into thirds by median household income. Shapes are in "
        "neighborhoods.geojson."
    ),
    convention="Profile fields as in US Census ACS 5-year neighbourhood profiles (median household income, poverty, tenure, limited English, age 65+).",
    fields=(
        Field("neighborhood_id", "string", "Neighbourhood code (N01-N48).", required=True),
        Field("neighborhood_name", "string", "Neighbourhood name.", required=True),
        Field(
            "district", "integer", "Service district the neighbourhood lies in.", required=True, minimum=1, maximum=10
        ),
        Field("population", "integer", "Residents (2024 estimate).", unit="people", required=True, minimum=0),
        Field("households", "integer", "Households (2024 estimate).", unit="households", required=True, minimum=0),
        Field(
            "median_household_income",
            "integer",
            "Median household income.",
            unit="USD per year",
            required=True,
            minimum=0,
        ),
        Field(
            "income_group",
            "string",
            "Third of neighbourhoods by median household income.",
            required=True,
            enum=INCOME_GROUPS,
        ),
        Field(
            "share_poverty",
            "number",
            "Share of residents below the poverty line.",
            unit="proportion",
            required=True,
            minimum=0,
            maximum=1,
            decimals=3,
        ),
        Field(
            "share_renting",
            "number",
            "Share of households that rent their home.",
            unit="proportion",
            required=True,
            minimum=0,
            maximum=1,
            decimals=3,
        ),
        Field(
            "share_limited_english",
            "number",
            "Share of residents aged 5+ who speak English less than very well.",
            unit="proportion",
            required=True,
            minimum=0,
            maximum=1,
            decimals=3,
        ),
        Field(
            "share_age_65_plus",
            "number",
            "Share of residents aged 65 or over.",
            unit="proportion",
            required=True,
            minimum=0,
            maximum=1,
            decimals=3,
        ),
        Field("area_sq_km", "number", "Land area.", unit="km2", required=True, minimum=0, decimals=2),
        Field(
            "centroid_lat",
            "number",
            "Latitude of the neighbourhood's centroid.",
            unit="degrees",
            required=True,
            decimals=5,
        ),
        Field(
            "centroid_long",
            "number",
            "Longitude of the neighbourhood's centroid.",
            unit="degrees",
            required=True,
            decimals=5,
        ),
    ),
    primary_key=("neighborhood_id",),
    foreign_keys=(ForeignKey(("district",), "districts", ("district",)),),
)

DISTRICTS = Table(
    name="districts",
    title="Service districts",
    description=(
        "The 10 service districts of the fictional city of Corvella, each a union of whole "
        "neighbourhoods, with the pothole-crew pilot flag and start date. Shapes are in districts.geojson."
    ),
    convention="One row per service district, as on city district portals.",
    fields=(
        Field("district", "integer", "Service district number.", required=True, minimum=1, maximum=10),
        Field("district_name", "string", "Display name.", required=True),
        Field("council_member", "string", "Council member (fictional).", required=True),
        Field(
            "population", "integer", "Residents (sum of its neighbourhoods).", unit="people", required=True, minimum=0
        ),
        Field(
            "households",
            "integer",
            "Households (sum of its neighbourhoods).",
            unit="households",
            required=True,
            minimum=0,
        ),
        Field("neighborhoods", "integer", "Number of neighbourhoods in the district.", required=True, minimum=1),
        Field(
            "median_household_income",
            "integer",
            "Population-weighted mean of its neighbourhoods' median household incomes.",
            unit="USD per year",
            required=True,
            minimum=0,
        ),
        Field("area_sq_km", "number", "Land area.", unit="km2", required=True, minimum=0, decimals=2),
        Field(
            "pothole_pilot",
            "boolean",
            "True if the district's pothole crews moved to the new crew model.",
            required=True,
        ),
        Field("pothole_pilot_start", "date", "Date the new pothole-crew model started (empty if never)."),
    ),
    primary_key=("district",),
)

GEO_PROPERTIES = (
    Field("neighborhood_id", "string", "Neighbourhood code (joins neighborhoods.csv)."),
    Field("neighborhood_name", "string", "Neighbourhood name."),
    Field("district", "integer", "Service district."),
)
DISTRICT_GEO_PROPERTIES = (
    Field("district", "integer", "Service district (joins districts.csv)."),
    Field("district_name", "string", "Display name."),
)


def _z(x: np.ndarray) -> np.ndarray:
    return (x - x.mean()) / x.std()


def neighborhoods(grid: geography.Grid, rng: np.random.Generator) -> pd.DataFrame:
    """Neighbourhood profiles: population and correlated social indicators laid out over the map."""
    n = len(grid.cells)
    x = np.array([(c + 0.5) / geography.COLS for c, _ in grid.cells])
    y = np.array([(r + 0.5) / geography.ROWS for _, r in grid.cells])
    centrality = _z(-np.hypot(x - 0.5, (y - 0.5) * 0.75))
    # one latent "disadvantage" factor: south-east and the old centre are poorer
    disadvantage = _z(1.1 * (x - 0.5) - 0.9 * (y - 0.5) + 0.25 * centrality + rng.normal(0, 0.35, n))
    population = 9_400 * np.exp(0.30 * centrality + rng.normal(0, 0.25, n))
    population = np.round(population / population.sum() * POPULATION, -1).astype(int)
    income = np.round(62_000 * np.exp(-0.36 * disadvantage + rng.normal(0, 0.07, n)), -2).astype(int)
    rings = [geography.cell_ring(grid, cell) for cell in grid.cells]
    centroids = np.array([geography.centroid(r) for r in rings])
    names = rng.permutation(NEIGHBORHOOD_NAMES)
    frame = pd.DataFrame(
        {
            "neighborhood_id": [f"N{i + 1:02d}" for i in range(n)],
            "neighborhood_name": names,
            "district": np.array(grid.district_of_cell),
            "population": population,
            "households": np.round(population / (2.35 + 0.18 * disadvantage - 0.12 * centrality), 0).astype(int),
            "median_household_income": income,
            "income_group": pd.qcut(income, 3, labels=list(INCOME_GROUPS)).astype(str),
            "share_poverty": logistic(-1.8 + 0.75 * disadvantage + rng.normal(0, 0.12, n)),
            "share_renting": logistic(-0.1 + 0.55 * disadvantage + 0.6 * centrality + rng.normal(0, 0.15, n)),
            "share_limited_english": logistic(-2.6 + 0.75 * disadvantage + rng.normal(0, 0.25, n)),
            "share_age_65_plus": logistic(-1.75 - 0.25 * disadvantage - 0.25 * centrality + rng.normal(0, 0.12, n)),
            "area_sq_km": [geography.area_km2(r) for r in rings],
            "centroid_lat": centroids[:, 1],
            "centroid_long": centroids[:, 0],
        }
    )
    for col in ("share_poverty", "share_renting", "share_limited_english", "share_age_65_plus"):
        frame[col] = frame[col].round(3)
    frame["area_sq_km"] = frame["area_sq_km"].round(2)
    return frame


def districts(grid: geography.Grid, hoods: pd.DataFrame, pilot: dict[int, object]) -> pd.DataFrame:
    """District totals from their neighbourhoods, with the pilot flag (pilot maps district to start date)."""
    grouped = hoods.assign(weighted_income=hoods["median_household_income"] * hoods["population"]).groupby("district")
    frame = grouped.agg(
        population=("population", "sum"),
        households=("households", "sum"),
        neighborhoods=("neighborhood_id", "count"),
        weighted_income=("weighted_income", "sum"),
    )
    frame = frame.reset_index()
    frame["median_household_income"] = np.round(frame["weighted_income"] / frame["population"], -2).astype(int)
    frame["area_sq_km"] = [round(geography.area_km2(r), 2) for r in district_rings(grid)]
    frame["district_name"] = [f"District {d}" for d in frame["district"]]
    frame["council_member"] = [COUNCIL_MEMBERS[d - 1] for d in frame["district"]]
    frame["pothole_pilot"] = frame["district"].isin(list(pilot))
    frame["pothole_pilot_start"] = pd.to_datetime(frame["district"].map(pilot))
    return frame[DISTRICTS.columns]


def district_rings(grid: geography.Grid) -> list[list[geography.Point]]:
    """Outline of each district, in district order."""
    out = []
    for d in sorted(set(grid.district_of_cell)):
        rings = [geography.cell_ring(grid, c) for c, dc in zip(grid.cells, grid.district_of_cell) if dc == d]
        out.append(geography.union_ring(rings))
    return out


def neighborhood_geojson(grid: geography.Grid, hoods: pd.DataFrame) -> dict:
    """GeoJSON of the neighbourhoods."""
    rings = [geography.cell_ring(grid, cell) for cell in grid.cells]
    props = hoods[["neighborhood_id", "neighborhood_name", "district"]].to_dict("records")
    props = [{k: (int(v) if k == "district" else str(v)) for k, v in p.items()} for p in props]
    return geography.feature_collection(rings, props)


def district_geojson(grid: geography.Grid, dist: pd.DataFrame) -> dict:
    """GeoJSON of the districts."""
    props = [{"district": int(d), "district_name": n} for d, n in zip(dist["district"], dist["district_name"])]
    return geography.feature_collection(district_rings(grid), props)
