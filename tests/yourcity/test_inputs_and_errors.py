"""Exports in other shapes (encodings, delimiters, Excel, Open311 JSON), and clear errors for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

from citybook.yourcity import analyse
from citybook.yourcity.cli import main
from citybook.yourcity.mapping import mapping_from_dict
from citybook.yourcity.presets import detect_preset, load_preset, preset_names
from citybook.yourcity.schema import city_schema
from tests.yourcity.conftest import REAL_FILES

SMALL = [
    {
        "id": "A1",
        "made": "2024-03-01 08:00",
        "closed": "2024-03-01 20:00",
        "kind": "Pothole",
        "state": "Closed",
        "ward": "1",
    },
    {
        "id": "A2",
        "made": "2024-03-02 09:30",
        "closed": "2024-03-05 09:30",
        "kind": "Pothole",
        "state": "Closed",
        "ward": "2",
    },
    {"id": "A3", "made": "2024-03-03 10:00", "closed": "", "kind": "Graffiti", "state": "Open", "ward": "2"},
    {"id": "A3", "made": "2024-03-03 10:00", "closed": "", "kind": "Graffiti", "state": "Open", "ward": "2"},
    {"id": "A4", "made": "not a date", "closed": "", "kind": "Graffiti", "state": "Open", "ward": "1"},
    {
        "id": "A5",
        "made": "2024-03-04 11:00",
        "closed": "2024-03-04 10:00",
        "kind": "Graffiti",
        "state": "Closed",
        "ward": "1",
    },
    {"id": "A6", "made": "2024-03-04 12:00", "closed": "", "kind": "", "state": "Open", "ward": ""},
]
SMALL_MAPPING = {
    "name": "Testville",
    "timezone": "America/Chicago",
    "columns": {
        "id": "id",
        "requested": "made",
        "closed": "closed",
        "type": "kind",
        "status": "state",
        "district": "ward",
    },
    "closed_values": ["closed"],
}


def write(
    tmp_path: Path, rows: list[dict], mapping: dict, name: str = "export.csv", **csv: object
) -> tuple[Path, Path]:
    export, mapping_file = tmp_path / name, tmp_path / "mapping.yaml"
    pd.DataFrame(rows).to_csv(export, index=False, **csv)
    mapping_file.write_text(yaml.safe_dump(mapping, allow_unicode=True), encoding="utf-8")
    return export, mapping_file


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["city-report", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_every_unusable_row_is_counted_by_reason(tmp_path: Path) -> None:
    good = [{**SMALL[0], "id": f"G{i}"} for i in range(30)]  # enough rows that the bad date is a minority
    export, mapping = write(tmp_path, SMALL + good, SMALL_MAPPING)
    analysis = analyse(export, mapping)
    counts = analysis.quality.set_index("key")["rows"]
    assert counts["duplicate_id"] == 1
    assert counts["unparseable_requested"] == 1
    assert counts["closed_before_opened"] == 1
    assert counts["missing_type"] == 1
    assert analysis.loaded.usable == 3 + 30
    assert list(analysis.rejected["reason"]) == [
        "Request id repeats an earlier row", "Date made cannot be read", "Closed before it was made", "Service type is empty"
    ]  # fmt: skip
    assert analysis.rejected.loc[analysis.rejected["row"].eq(5), "value"].item() == "not a date"


def test_a_mapping_naming_a_missing_column_gives_a_clear_message(tmp_path: Path, capsys) -> None:
    broken = {**SMALL_MAPPING, "columns": {**SMALL_MAPPING["columns"], "requested": "created_dt"}}
    export, mapping = write(tmp_path, SMALL, broken)
    code, _, err = run(capsys, str(export), "--mapping", str(mapping), "--out", str(tmp_path / "out"))
    assert code == 2
    assert "column 'created_dt'" in err and str(export) in err and "example value" in err and "What to do" in err
    assert "Traceback" not in err


def test_a_file_of_unreadable_dates_gives_a_clear_message(tmp_path: Path, capsys) -> None:
    rows = [{**row, "made": f"{day}.III.2024 at noon"} for day, row in enumerate(SMALL, start=1)]
    export, mapping = write(tmp_path, rows, SMALL_MAPPING)
    code, _, err = run(capsys, str(export), "--mapping", str(mapping), "--out", str(tmp_path / "out"))
    assert code == 2
    assert "column 'made'" in err and "cannot be read as dates" in err and "'1.III.2024 at noon'" in err
    assert "date_format" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("name: [unclosed\n", "not valid YAML"),
        ("timezone: Mars/Olympus\ncolumns: {requested: made, type: kind}\n", "time zone"),
        ("timezone: UTC\ncolumns: {requested: made}\n", "does not say which column holds: type"),
        ("timezone: UTC\ncolums: {requested: made, type: kind}\n", "unknown keys: colums"),
        (
            "timezone: UTC\ncolumns: {requested: made, type: kind, shut: x, area: y, open: z}\n",
            "unknown fields: area, open, shut",
        ),
    ],
)
def test_mapping_mistakes_are_explained(tmp_path: Path, capsys, content: str, expected: str) -> None:
    export, _ = write(tmp_path, SMALL, SMALL_MAPPING)
    (tmp_path / "bad.yaml").write_text(content)
    code, _, err = run(capsys, str(export), "--mapping", str(tmp_path / "bad.yaml"), "--out", str(tmp_path / "out"))
    assert code == 2 and expected in err and "What to do" in err and "Traceback" not in err


def test_ambiguous_day_month_dates_ask_for_day_first(tmp_path: Path, capsys) -> None:
    rows = [{**row, "made": "03/04/2024 08:00", "closed": ""} for row in SMALL[:3]]
    export, mapping = write(tmp_path, rows, SMALL_MAPPING)
    code, _, err = run(capsys, str(export), "--mapping", str(mapping), "--out", str(tmp_path / "out"))
    assert code == 2 and "day_first" in err


def test_an_unknown_export_without_mapping_points_to_suggest(tmp_path: Path, capsys) -> None:
    export, _ = write(tmp_path, SMALL, SMALL_MAPPING)
    code, _, err = run(capsys, str(export), "--out", str(tmp_path / "out"))
    assert code == 2 and "--suggest" in err


def test_latin1_semicolon_day_first_with_separate_time_column(tmp_path: Path) -> None:
    rows = [
        {
            "nro": "1",
            "fecha": "13/05/2023",
            "hora": "08:00",
            "cierre": "14/05/2023",
            "hora_cierre": "08:00",
            "tipo": "Alumbrado público",
            "estado": "Cerrado",
        },
        {
            "nro": "2",
            "fecha": "14/05/2023",
            "hora": "09:00",
            "cierre": "",
            "hora_cierre": "",
            "tipo": "Baches",
            "estado": "Abierto",
        },
    ]
    mapping = {
        "timezone": "America/Bogota",
        "columns": {
            "id": "nro",
            "requested": ["fecha", "hora"],
            "closed": ["cierre", "hora_cierre"],
            "type": "tipo",
            "status": "estado",
        },
        "closed_values": ["cerrado"],
    }
    export, mapping_file = write(tmp_path, rows, mapping, sep=";", encoding="latin-1")
    analysis = analyse(export, mapping_file)
    assert analysis.export.encoding == "latin-1" and analysis.export.delimiter == ";"
    frame = analysis.requests()
    assert list(frame["service_name"]) == ["Alumbrado público", "Baches"]
    assert analysis.citywide["median_hours"] == pytest.approx(24.0)


def test_excel_export(tmp_path: Path) -> None:
    export = tmp_path / "export.xlsx"
    pd.DataFrame(SMALL[:3]).to_excel(export, index=False)
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(yaml.safe_dump(SMALL_MAPPING))
    analysis = analyse(export, mapping)
    assert analysis.loaded.usable == 3 and analysis.citywide["median_hours"] == pytest.approx(42.0)


def test_open311_json_with_offsets_becomes_local_time(tmp_path: Path) -> None:
    requests = [
        {"service_request_id": "1", "status": "closed", "service_code": "PH", "service_name": "Pothole",
         "requested_datetime": "2024-06-01T12:00:00Z", "updated_datetime": "2024-06-01T18:30:00-04:00",
         "expected_datetime": "2024-06-03T12:00:00Z"},
        {"service_request_id": "2", "status": "open", "service_code": "GR", "service_name": "Graffiti",
         "requested_datetime": "2024-06-02T09:00:00-04:00", "updated_datetime": "2024-06-02T10:00:00-04:00",
         "expected_datetime": None},
    ]  # fmt: skip
    export = tmp_path / "requests.json"
    export.write_text(json.dumps(requests))
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(load_preset_text_with_zone("open311-georeport-v2", "America/New_York", set(requests[0])))
    analysis = analyse(export, mapping)
    frame = analysis.requests().set_index("service_request_id")
    assert frame.loc["1", "requested_datetime"] == pd.Timestamp("2024-06-01 08:00")  # 12:00 UTC is 08:00 in New York
    assert pd.isna(frame.loc["2", "closed_datetime"])  # open: its last update is not a closing time
    assert analysis.citywide["median_hours"] == pytest.approx(10.5)
    assert analysis.quality.set_index("key")["rows"].get("open_with_close_date", 0) == 0
    assert analysis.tables["on_time_by_type"]["on_time_share"].tolist() == [1.0]


def load_preset_text_with_zone(name: str, zone: str, has: set[str]) -> str:
    """A user's mapping copied from a preset: its own time zone, only the columns its export has."""
    from citybook.yourcity.presets import preset_text

    data = yaml.safe_load(preset_text(name))
    data["timezone"] = zone
    data["columns"] = {k: v for k, v in data["columns"].items() if v in has}
    data.pop("detect")
    return yaml.safe_dump(data)


@pytest.mark.parametrize(
    ("headers", "preset"),
    [
        (
            [
                "Unique Key",
                "Created Date",
                "Closed Date",
                "Agency",
                "Complaint Type",
                "Descriptor",
                "Status",
                "Borough",
            ],
            "nyc-socrata",
        ),
        (["SR_NUMBER", "SR_TYPE", "OWNER_DEPARTMENT", "STATUS", "CREATED_DATE", "CLOSED_DATE", "WARD"], "chicago"),
        (
            [
                "service_request_id",
                "requested_datetime",
                "closed_date",
                "updated_datetime",
                "status_description",
                "service_name",
                "service_subtype",
            ],
            "san-francisco",
        ),
        (
            ["SRNumber", "CreatedDate", "UpdatedDate", "RequestType", "Status", "ClosedDate", "CD", "NCName"],
            "los-angeles-myla311",
        ),
        (
            ["service_request_id", "status", "service_code", "service_name", "requested_datetime", "updated_datetime"],
            "open311-georeport-v2",
        ),
        (["service_request_id", "requested_datetime", "closed_date", "service_name", "status"], "socrata-open311"),
    ],
)
def test_presets_are_recognised_from_headers(headers: list[str], preset: str) -> None:
    assert detect_preset(headers) == preset


def test_every_preset_is_a_valid_mapping_and_the_template_too() -> None:
    assert len(preset_names()) >= 8
    for name in preset_names():
        assert load_preset(name).detect, f"{name} has no headers to detect it by"
    from importlib import resources

    template = (resources.files("citybook.yourcity") / "templates" / "mapping-template.yaml").read_text()
    mapping = mapping_from_dict(yaml.safe_load(template), "template")
    assert mapping.times["requested"] == ("created_date",) and mapping.type_levels == ("category", "subcategory")


def test_suggest_drafts_a_mapping_that_works(real_311: Path, tmp_path: Path, capsys) -> None:
    source = real_311 / REAL_FILES["buenos_aires"]
    code, draft, _ = run(capsys, str(source), "--suggest")
    assert code == 0
    data = yaml.safe_load(draft)
    assert data["columns"]["requested"] == ["fecha_ingreso", "hora_ingreso"]
    assert data["columns"]["closed"] == ["fecha_cierre_contacto", "hora_cierre_contacto"]
    assert data["day_first"] is True and "categoria" in data["columns"]["type"]
    data.update(timezone="America/Argentina/Buenos_Aires", closed_values=["Cerrado"])
    (tmp_path / "mapping.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    drafted = analyse(source, tmp_path / "mapping.yaml")
    preset = analyse(source)
    assert drafted.loaded.usable == preset.loaded.usable
    assert drafted.citywide == pytest.approx(preset.citywide)


def test_loaded_table_has_the_sample_citys_shape_and_validates(real_311: Path) -> None:
    analysis = analyse(real_311 / REAL_FILES["nyc"])
    columns = [f["name"] for f in city_schema()["fields"]]
    assert list(analysis.requests().columns) == columns
    assert analysis.validated_rows == 1000 and analysis.schema_errors == []


def test_template_and_preset_list_are_printed(capsys) -> None:
    code, template, _ = run(capsys, "--template")
    assert code == 0 and "timezone:" in template and "closed_values:" in template
    code, listing, _ = run(capsys, "--list-presets")
    assert code == 0 and all(name in listing for name in preset_names())


def test_a_missing_export_file_is_explained(tmp_path: Path, capsys) -> None:
    code, _, err = run(capsys, str(tmp_path / "nowhere.csv"), "--out", str(tmp_path / "out"))
    assert code == 2 and "does not exist" in err and "Traceback" not in err
