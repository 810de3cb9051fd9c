"""Plain data crosses the grading boundary intact; nothing else crosses at all."""

from __future__ import annotations

import tempfile
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd
import pytest

from citybook.course import plain_data
from citybook.course.test_replay import replay


def round_trip(value: object) -> object:
    """Encode in the sandbox's way, pass through an exported-values file's bytes, decode in the test process's way."""
    buffers: list = []
    header = {"value": plain_data.encode(value, buffers)}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "values.bin"
        plain_data.write_values(str(path), header, buffers)
        header, buffers = plain_data.read_values(path.read_bytes())
    return plain_data.decode(header["value"], buffers)


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "n": [1, 3],
            "x": [2.5, np.nan],
            "text": ["a", None],
            "when": pd.to_datetime(["2024-01-01", None]),
            "utc": pd.to_datetime(["2024-01-01", "2024-02-01"]).tz_localize("UTC"),
            "kind": pd.Categorical(["u", "v"]),
            "count": pd.array([1, None], dtype="Int64"),
            "flag": [True, False],
        }
    )


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        3,
        2.5,
        "text",
        [1, 2.5, "a", None],
        (1, "b"),
        {"a": [1, (2, 3)], 1: None},
        np.float64(0.25),
        np.int64(7),
        np.bool_(False),
        pd.Timestamp("2024-05-01 12:00"),
        pd.Timedelta("3h"),
    ],
)
def test_scalars_and_containers_come_back_equal_and_of_the_same_type(value: object) -> None:
    back = round_trip(value)
    assert back == value and type(back) is type(value)


def test_tables_come_back_with_their_types() -> None:
    df = frame()
    pd.testing.assert_frame_equal(round_trip(df), df)
    pd.testing.assert_frame_equal(round_trip(df.set_index(["n", "text"])), df.set_index(["n", "text"]))
    series = df.groupby("kind", observed=True)["x"].median()
    pd.testing.assert_series_equal(round_trip(series), series)
    array = np.arange(6, dtype="int32").reshape(2, 3)
    back = round_trip(array)
    assert back.dtype == array.dtype and (back == array).all()


def test_a_chart_arrives_as_its_spec() -> None:
    chart = alt.Chart(pd.DataFrame({"a": [1, 2]})).mark_bar().encode(x="a:Q")
    back = round_trip(chart)
    assert back.to_dict() == chart.to_dict()


class Anything:
    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = object.__hash__


class Half(float):
    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = float.__hash__


@pytest.mark.parametrize(
    "value",
    [Anything(), Half(0.5), [1, Anything()], {"a": Anything()}, lambda: 1, pd.Series([Anything()]), np.array([1], "O")],
)
def test_anything_else_is_refused(value: object) -> None:
    with pytest.raises(plain_data.NotPlainData):
        plain_data.encode(value, [])


@pytest.mark.parametrize(
    "forged",
    [
        {"$": "pickle", "v": "gASV"},
        {"$": "ndarray", "dtype": "O", "shape": [1], "b": 0},
        {"$": "ndarray", "dtype": "<f8", "shape": [3], "b": 0},
        {"$": "ndarray", "dtype": "<f8", "shape": [1], "b": 5},
        {"$": "ndarray", "dtype": "i4,O", "shape": [1], "b": 0},
        {
            "$": "series",
            "index": {"$": "index", "length": 1, "dtype": "object", "texts": ["a"], "b": 1},
            "dtype": "<f8",
            "b": 0,
        },
        {"$": "index", "length": 2, "dtype": "str", "texts": ["a"], "b": 0},
        {"$": "list", "v": [{"$": "function", "v": "lambda: 1"}]},
        {
            "$": "dataframe",
            "columns": {"$": "range", "start": 0, "stop": 2, "step": 1, "name": None},
            "index": {},
            "data": [],
        },
    ],
)
def test_forged_encodings_are_refused(forged: dict) -> None:
    buffers = [
        memoryview(np.array([7], dtype="<i4").view(np.uint8)),
        memoryview(np.array([3], dtype="<i4").view(np.uint8)),
    ]
    with pytest.raises((plain_data.NotPlainData, ValueError, TypeError)):
        plain_data.decode(forged, buffers)


@pytest.mark.parametrize(
    "blob",
    [
        b"",
        b"\x80\x04\x95pickle",
        plain_data.MAGIC + (10**9).to_bytes(8, "little") + b"{}",
        plain_data.MAGIC + (2).to_bytes(8, "little") + b"{}",
        plain_data.MAGIC + (15).to_bytes(8, "little") + b'{"buffers":[4]}' + b"abc",
    ],
)
def test_forged_files_are_refused(blob: bytes) -> None:
    with pytest.raises(plain_data.NotPlainData):
        plain_data.read_values(blob)


def test_text_columns_keep_their_missing_values() -> None:
    df = pd.DataFrame({"s": pd.array(["a", None, "a", "b"], dtype="str"), "o": np.array(["x", "y", "x", "x"], object)})
    back = round_trip(df.set_index("o"))
    pd.testing.assert_frame_equal(back, df.set_index("o"))
    assert back["s"].isna().tolist() == [False, True, False, False]


def test_only_the_names_the_tests_read_are_exported() -> None:
    plain_data.SNAPSHOT.clear()
    plain_data.want(["answer"])
    try:
        exported = exported_after({"answer": 1.5, "scratch": frame(), "fn": len})
    finally:
        plain_data.want(None)
    assert exported == {"values": {"answer": 1.5}, "removed": [], "refused": {}, "buffers": []}


def test_snapshot_exports_only_what_a_cell_changed() -> None:
    plain_data.SNAPSHOT.clear()
    namespace = {"data": frame(), "kept": 1, "helper": len}
    plain_data.snapshot(namespace)  # after the instructor's cell: nothing exported
    namespace["kept"] = 1
    namespace["answer"] = 0.5
    namespace["data"].loc[0, "n"] = 99  # changed in place
    namespace["fn"] = lambda: 0
    exported = exported_after(namespace)
    assert set(exported["values"]) == {"answer", "data"}
    assert set(exported["refused"]) == {"fn"}


def exported_after(namespace: dict) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.bin"
        plain_data.snapshot(namespace, str(path))
        return plain_data.read_values(path.read_bytes())[0]


def test_tests_see_values_only_and_record_failures() -> None:
    steps = [
        {"kind": "instructor", "index": 0, "source": "import math\nlimit = 10"},
        {
            "kind": "values",
            "index": 1,
            "exported": {"values": {"answer": 4.0}, "removed": [], "refused": {"helper": "builtins.function"}},
        },
        {"kind": "test", "index": 2, "source": "assert math.isclose(answer, 4.0)\nanswer * 0 + 1"},
        {"kind": "test", "index": 3, "source": "assert helper() == 1"},
        {"kind": "test", "index": 4, "source": "import sys\nprint('careful', file=sys.stderr)"},
    ]
    result = replay({"cell_timeout": 10, "steps": steps})
    passed, missing, noisy = (result["tests"][str(i)] for i in (2, 3, 4))
    assert passed == [
        {"output_type": "execute_result", "execution_count": None, "metadata": {}, "data": {"text/plain": "1.0"}}
    ]
    assert missing[-1]["output_type"] == "error" and missing[-1]["ename"] == "NameError"
    assert noisy == [{"output_type": "stream", "name": "stderr", "text": "careful\n"}]
    assert any("`helper` is a builtins.function, not plain data" in note for note in result["notes"])


def test_files_a_submission_wrote_reach_the_tests_but_never_replace_the_instructors(tmp_path: Path) -> None:
    import base64

    from citybook.course.sandbox import put_written_files

    (tmp_path / "data.csv").write_text("instructor's")
    encoded = base64.b64encode(b"participant's").decode()
    names = ["out.csv", "data.csv", "data.csv/inner.csv", "../escape.csv", "/etc/evil", "sub/ok.csv", ".hidden"]
    put_written_files(dict.fromkeys(names, encoded), tmp_path)
    assert (tmp_path / "out.csv").read_bytes() == b"participant's"
    assert (tmp_path / "sub" / "ok.csv").read_bytes() == b"participant's"
    assert (tmp_path / "data.csv").read_text() == "instructor's"
    assert not (tmp_path.parent / "escape.csv").exists() and not (tmp_path / ".hidden").exists()
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()) == [
        "data.csv",
        "out.csv",
        "sub/ok.csv",
    ]


def test_the_sandbox_is_told_only_names_it_already_holds() -> None:
    from citybook.course.sandbox import names_read

    steps = [
        {"kind": "instructor", "source": "import pandas as pd\ndata = pd.DataFrame()"},
        {"kind": "participant", "source": "answer = len(data)\nscratch = 1"},
        {"kind": "test", "source": "assert answer == len(data)\nassert secret_helper(answer)\n_ref = 1"},
    ]
    assert names_read(steps) == ["answer", "data", "len", "pd"]
    steps[2]["source"] = "assert globals()['answer'] == 1"
    assert names_read(steps) is None
