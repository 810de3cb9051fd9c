"""Generate the whole city, table by table, and write it to a folder."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from citybook.city import (
    budget,
    calendar,
    contracts,
    docs,
    ems,
    geography,
    inventory,
    kpis,
    package,
    pavement,
    permits,
    profile,
    raw_export,
    service_requests,
    services,
    streets,
    survey,
    trial,
    writer,
)
from citybook.city.draws import rng_for
from citybook.city.model import City
from citybook.city.schema import GeoResource, Table

NEIGHBORHOOD_SHAPES = GeoResource(
    "neighborhoods_geo",
    "Neighbourhood boundaries",
    "Polygons of the 48 neighbourhoods of the fictional city (WGS 84; clockwise rings, the d3/Vega-Lite winding). "
    "Join on neighborhood_id.",
    "GeoJSON (RFC 7946) FeatureCollection",
    "neighborhoods.geojson",
    profile.GEO_PROPERTIES,
)
DISTRICT_SHAPES = GeoResource(
    "districts_geo",
    "Service district boundaries",
    "Polygons of the 10 service districts, each the union of its neighbourhoods (WGS 84; clockwise rings). "
    "Join on district.",
    "GeoJSON (RFC 7946) FeatureCollection",
    "districts.geojson",
    profile.DISTRICT_GEO_PROPERTIES,
)
GEO_RESOURCES = (NEIGHBORHOOD_SHAPES, DISTRICT_SHAPES)

TABLES: tuple[Table, ...] = (
    profile.NEIGHBORHOODS,
    profile.DISTRICTS,
    calendar.TABLE,
    services.TABLE,
    service_requests.TABLE,
    raw_export.TABLE,
    ems.TABLE,
    pavement.SEGMENTS,
    pavement.CONDITION,
    permits.TABLE,
    budget.TABLE,
    contracts.CONTRACTS,
    contracts.PERFORMANCE,
    trial.TABLE,
    survey.TABLE,
    survey.TARGETS,
    kpis.TABLE,
    inventory.TABLE,
)

Progress = Callable[[str, str], None]


def generate(seed: int, progress: Progress = lambda name, note: None) -> City:
    """Build every table in memory, in dependency order."""
    city = City(seed)
    t = city.tables

    def step(name: str, make: Callable[[], pd.DataFrame]) -> None:
        start = time.perf_counter()
        t[name] = make()
        progress(name, f"{len(t[name]):>7,} rows  {time.perf_counter() - start:5.1f} s")

    grid = geography.build_grid(rng_for(seed, "geography"))
    step("neighborhoods", lambda: profile.neighborhoods(grid, rng_for(seed, "profile")))
    hoods = t["neighborhoods"]
    street_net = streets.network(grid, rng_for(seed, "streets"))
    step("holidays", calendar.holidays)
    step("service_catalog", services.catalog)
    place = service_requests.Place(hoods, grid, street_net)

    def requests() -> pd.DataFrame:
        everything, city.pilot = service_requests.generate(place, rng_for(seed, "service_requests"))
        raw, published = raw_export.make_raw(everything, rng_for(seed, "raw_export"))
        t["service_requests_raw"] = raw
        return published

    step("service_requests", requests)
    progress("service_requests_raw", f"{len(t['service_requests_raw']):>7,} rows")
    step("districts", lambda: profile.districts(grid, hoods, city.pilot))
    city.geojson["neighborhoods_geo"] = profile.neighborhood_geojson(grid, hoods)
    city.geojson["districts_geo"] = profile.district_geojson(grid, t["districts"])
    step("ems_incidents", lambda: ems.generate(hoods, profile.district_rings(grid), rng_for(seed, "ems")))
    step("pavement_segments", lambda: pavement.segments(street_net, hoods, rng_for(seed, "pavement_segments")))
    step(
        "pavement_condition",
        lambda: pavement.condition(t["pavement_segments"], hoods, rng_for(seed, "pavement_condition")),
    )
    step("permits", lambda: permits.generate(hoods, rng_for(seed, "permits")))
    step("contracts", lambda: contracts.contracts(rng_for(seed, "contracts")))
    step("vendor_performance", lambda: contracts.performance(t["contracts"], rng_for(seed, "vendor_performance")))
    step("payment_reminder_trial", lambda: trial.generate(hoods, rng_for(seed, "trial")))
    step("resident_survey", lambda: survey.generate(hoods, rng_for(seed, "survey")))
    step("survey_weighting_targets", lambda: survey.targets(hoods))
    step(
        "kpi_monthly",
        lambda: kpis.generate(t["service_requests"], t["ems_incidents"], t["permits"], rng_for(seed, "kpis")),
    )
    step("budget", lambda: budget.generate(t, rng_for(seed, "budget")))
    step("data_inventory", inventory.generate)
    return city


def write(city: City, out_dir: Path, progress: Progress = lambda name, note: None) -> list[Path]:
    """Write every table, the GeoJSON, datapackage.json and the two documentation files."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for table in TABLES:
        start = time.perf_counter()
        written.append(writer.write_table(city.tables[table.name], table, out_dir))
        progress(table.path, f"{written[-1].stat().st_size / 1e6:6.2f} MB  {time.perf_counter() - start:5.1f} s")
    for geo in GEO_RESOURCES:
        written.append(writer.write_json(city.geojson[geo.name], out_dir / geo.path))
    descriptor = package.descriptor(list(TABLES), list(GEO_RESOURCES), city.seed)
    written.append(writer.write_json(descriptor, out_dir / "datapackage.json"))
    written.append(writer.write_text(docs.readme(city, list(TABLES)), out_dir / "README.md"))
    written.append(writer.write_text(docs.planted_effects(city), out_dir / "PLANTED_EFFECTS.md"))
    for extra in package.EXTRA_RESOURCES:
        if not (out_dir / extra["path"]).exists():
            progress(extra["path"], "listed in EXTRA_RESOURCES but missing")
    return written
