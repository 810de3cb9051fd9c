"""The three real exports go through `citybook city-report`; its figures match an independent pandas calculation."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.yourcity.conftest import REAL_FILES

HOURS = pd.Timedelta(hours=1)


def independent_nyc(folder: Path) -> pd.DataFrame:
    """NYC, read plainly: Closed status, hours from created to closed (May: no daylight-saving change)."""
    raw = pd.read_csv(folder / REAL_FILES["nyc"], dtype=str)
    raw["made"] = pd.to_datetime(raw["created_date"], format="%Y-%m-%dT%H:%M:%S.%f")
    raw["closed_at"] = pd.to_datetime(raw["closed_date"], format="%Y-%m-%dT%H:%M:%S.%f")
    raw["type"], raw["area"] = raw["complaint_type"], raw["community_board"]
    raw["is_closed"] = raw["status"].eq("Closed")
    return raw


def independent_boston(folder: Path) -> pd.DataFrame:
    """Boston, read plainly: elapsed hours in Boston's time zone; deadline from sla_target_dt."""
    raw = pd.read_csv(folder / REAL_FILES["boston"], dtype=str)
    zone = "America/New_York"
    local = {c: pd.to_datetime(raw[c], format="%Y-%m-%d %H:%M:%S") for c in ("open_dt", "closed_dt", "sla_target_dt")}
    raw["made"], raw["closed_at"], raw["due"] = local["open_dt"], local["closed_dt"], local["sla_target_dt"]
    raw["made_utc"] = local["open_dt"].dt.tz_localize(zone, ambiguous="NaT", nonexistent="NaT")
    raw["closed_utc"] = local["closed_dt"].dt.tz_localize(zone, ambiguous="NaT", nonexistent="NaT")
    raw["type"], raw["area"] = raw["type"], raw["neighborhood"]
    raw["is_closed"] = raw["case_status"].eq("Closed")
    return raw


def independent_buenos_aires(folder: Path) -> pd.DataFrame:
    """Buenos Aires, read plainly: ';'-separated, dd/mm/yyyy date plus a time column; a closure before the request is unusable."""
    raw = pd.read_csv(folder / REAL_FILES["buenos_aires"], sep=";", dtype=str, encoding="utf-8")
    raw["made"] = pd.to_datetime(raw["fecha_ingreso"] + " " + raw["hora_ingreso"], format="%d/%m/%Y %H:%M:%S")
    raw["closed_at"] = pd.to_datetime(
        raw["fecha_cierre_contacto"] + " " + raw["hora_cierre_contacto"], format="%d/%m/%Y %H:%M:%S"
    )
    raw["type"], raw["area"] = raw["categoria"], raw["domicilio_comuna"]
    raw["is_closed"] = raw["estado_del_contacto"].eq("Cerrado")
    return raw


INDEPENDENT = {"nyc": independent_nyc, "boston": independent_boston, "buenos_aires": independent_buenos_aires}


def hours(raw: pd.DataFrame) -> pd.Series:
    """Elapsed hours to close; through UTC where the test localised the times."""
    if "made_utc" in raw:
        return (raw["closed_utc"] - raw["made_utc"]) / HOURS
    return (raw["closed_at"] - raw["made"]) / HOURS


@pytest.fixture(scope="module", params=list(REAL_FILES))
def city(request, real_311: Path, city_reports: dict[str, Path]) -> tuple[str, pd.DataFrame, Path]:
    raw = INDEPENDENT[request.param](real_311)
    usable = raw[~(raw["is_closed"] & (raw["closed_at"] < raw["made"]))].copy()
    return request.param, usable.assign(hours=hours(usable), rows_read=len(raw)), city_reports[request.param]


def test_every_row_is_counted(city) -> None:
    name, usable, out = city
    quality = pd.read_csv(out / "data-quality.csv")
    rejected = pd.read_csv(out / "rejected-rows.csv")
    left_out = quality[quality["what happens"].astype(str).str.startswith("left out")]["rows"].sum()
    assert len(rejected) == left_out == usable["rows_read"].iloc[0] - len(usable), (
        f"{name}: rows left out do not add up"
    )
    volume = pd.read_csv(out / "volume-by-type.csv")
    assert volume["requests"].sum() == len(usable)


def test_volume_by_type_and_month(city) -> None:
    name, usable, out = city
    ours = pd.read_csv(out / "volume-by-type.csv").set_index("service_name")["requests"].sort_index()
    theirs = usable.groupby("type").size().sort_index()
    pd.testing.assert_series_equal(ours, theirs, check_names=False)
    by_month = pd.read_csv(out / "volume-by-type-month.csv", parse_dates=["month"])
    expected = usable.groupby([usable["made"].dt.to_period("M").dt.to_timestamp(), "type"]).size()
    assert (
        by_month.set_index(["month", "service_name"])["requests"].sort_index().tolist()
        == expected.sort_index().tolist()
    )


def test_median_and_p90_time_to_close(city) -> None:
    name, usable, out = city
    closed = usable[usable["is_closed"] & usable["closed_at"].notna()].dropna(subset=["hours"])
    theirs = closed.groupby("type")["hours"].agg(median="median", p90=lambda h: h.quantile(0.9))
    ours = pd.read_csv(out / "time-to-close-by-type.csv").set_index("service_name").sort_index()
    assert set(ours.index) == set(theirs.index)
    # The CSV keeps 4 decimals of an hour; Boston's few times in a daylight-saving change are left out above.
    np.testing.assert_allclose(ours["median_hours"], theirs.loc[ours.index, "median"], atol=1e-3, err_msg=name)
    np.testing.assert_allclose(ours["p90_hours"], theirs.loc[ours.index, "p90"], atol=1e-3, err_msg=name)


def test_spread_by_area(city) -> None:
    name, usable, out = city
    ours = pd.read_csv(out / "by-area.csv", dtype={"area": str}).set_index("area").sort_index()
    area = usable["area"].str.strip().replace("", None)  # a blank area is no area
    theirs = usable.assign(area=area).dropna(subset=["area"]).groupby("area").size()
    assert ours["requests"].to_dict() == theirs.to_dict(), name


def test_boston_on_time_share_uses_its_deadline(real_311: Path, city_reports: dict[str, Path]) -> None:
    raw = independent_boston(real_311)
    closed = raw[raw["is_closed"] & raw["due"].notna()]
    theirs = (closed["closed_at"] <= closed["due"]).groupby(closed["type"]).mean()
    ours = pd.read_csv(city_reports["boston"] / "on-time-by-type.csv").set_index("service_name")["on_time_share"]
    assert len(ours) >= 3, f"the report has on-time shares for {len(ours)} types"  # an empty file would pass below
    np.testing.assert_allclose(ours.sort_index(), theirs.loc[ours.index].sort_index(), atol=1e-4)


def test_buenos_aires_closures_before_the_request_are_counted_not_dropped(
    real_311: Path, city_reports: dict[str, Path]
) -> None:
    raw = independent_buenos_aires(real_311)
    expected = int((raw["is_closed"] & (raw["closed_at"] < raw["made"])).sum())
    quality = pd.read_csv(city_reports["buenos_aires"] / "data-quality.csv").set_index("check")
    assert expected > 0 and quality.loc["Closed before it was made", "rows"] == expected


def test_report_page_is_self_contained_and_accessible_by_construction(city) -> None:
    name, _, out = city
    page = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page and page.count("<h1>") == 1
    assert not re.search(r"(src|href)=[\"']?https?:", page), "the page links to another host"
    assert "<script src=" not in page and "<link" not in page, "the report loads files: it must be one page"
    assert page.index('id="quality"') < page.index('id="volume"'), "the data-quality table must come first"
    assert page.count('class="citybook-chart"') >= 4
    assert 'scope="col"' in page and "Chart in words" in page


def test_the_same_export_gives_the_same_bytes(real_311: Path, tmp_path: Path, city_reports: dict[str, Path]) -> None:
    from citybook.yourcity.cli import main

    assert main(["city-report", str(real_311 / REAL_FILES["buenos_aires"]), "--out", str(tmp_path)]) == 0
    for produced in sorted(city_reports["buenos_aires"].iterdir()):
        assert (tmp_path / produced.name).read_bytes() == produced.read_bytes(), f"{produced.name} differs between runs"
