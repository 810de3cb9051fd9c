"""Plain data across the grading boundary: encode a participant's values to JSON, decode them strictly.

This module is a leaf: it imports only the standard library, numpy and pandas (altair lazily), and
nothing of citybook, because the grader copies it into each submission's sandbox, where the
participant's kernel imports it to export its answers.

What crosses: None, bool, int, float, str, lists, tuples, dicts (plain keys), numpy scalars and
arrays (bool, numbers, text, dates), pandas Series, DataFrames and Index/MultiIndex with such column
types (also nullable, categorical, datetime and timedelta), pandas Timestamps and Timedeltas, and
Altair charts as their `to_dict()` spec. Only exact types pass (never a subclass), so an object whose
comparisons always succeed is not data: it is left out, and the tests see no value at all.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import math
from typing import Any

import numpy as np
import pandas as pd

MAX_DEPTH = 40
SCALARS = (type(None), bool, int, float, str)
NUMPY_KINDS = "biufUSmM"  # bool, int, uint, float, text, bytes-as-text (refused below), timedelta, datetime


class NotPlainData(ValueError):
    """A value that is not plain data (a function, a module, an arbitrary object...)."""


# --- encoding (in the sandbox) -------------------------------------------------------------------


def encode(value: Any, depth: int = 0) -> Any:
    """Return a JSON-ready form of a plain value; raise NotPlainData for anything else."""
    if depth > MAX_DEPTH:
        raise NotPlainData("nested too deeply")
    kind = type(value)
    if kind in SCALARS:
        return value
    if kind is list or kind is tuple:
        return {"$": kind.__name__, "v": [encode(item, depth + 1) for item in value]}
    if kind is dict:
        keys = list(value)
        if not all(type(key) in SCALARS for key in keys):
            raise NotPlainData("a dict key that is not a number, text, bool or None")
        return {"$": "dict", "k": keys, "v": [encode(value[key], depth + 1) for key in keys]}
    if isinstance(value, np.generic) and kind.__module__ == "numpy":
        return encode_numpy_scalar(value)
    if kind is np.ndarray:
        return {"$": "ndarray", "dtype": numpy_dtype(value.dtype), "shape": list(value.shape), "v": array_values(value)}
    if kind is pd.Timestamp:
        return {"$": "timestamp", "v": value.isoformat()}
    if kind is pd.Timedelta:
        return {"$": "timedelta", "v": int(value.value)}
    if kind is pd.Series:
        return {
            "$": "series",
            "name": encode(value.name, depth + 1),
            "index": encode_index(value.index),
            **column(value),
        }
    if kind is pd.DataFrame:
        if not value.columns.is_unique:
            raise NotPlainData("a DataFrame with repeated column names")
        columns = [column(value.iloc[:, position]) for position in range(value.shape[1])]
        return {
            "$": "dataframe",
            "columns": encode_index(value.columns),
            "index": encode_index(value.index),
            "data": columns,
        }
    if isinstance(value, pd.Index):
        return encode_index(value)
    if is_altair_chart(value):
        spec = value.to_dict()
        check_json_plain(spec)
        return {"$": "chart", "spec": spec}
    raise NotPlainData(f"a {kind.__module__}.{kind.__qualname__} is not plain data")


def is_altair_chart(value: Any) -> bool:
    """Say whether a value is an Altair top-level chart (by its class, never by calling it)."""
    for klass in type(value).__mro__:
        if klass.__module__.startswith("altair.") and klass.__name__ == "TopLevelMixin":
            return True
    return False


def check_json_plain(value: Any, depth: int = 0) -> None:
    """Refuse anything in a chart spec but dicts with text keys, lists and scalars."""
    if depth > MAX_DEPTH:
        raise NotPlainData("a chart spec nested too deeply")
    if type(value) is dict:
        for key, item in value.items():
            if type(key) is not str:
                raise NotPlainData("a chart spec with a key that is not text")
            check_json_plain(item, depth + 1)
    elif type(value) is list:
        for item in value:
            check_json_plain(item, depth + 1)
    elif type(value) not in SCALARS:
        raise NotPlainData("a chart spec holding something that is not JSON")


def numpy_dtype(dtype: np.dtype) -> str:
    """Return a dtype's name if it is plain (bool, numbers, text, dates), else raise NotPlainData."""
    if dtype.kind not in NUMPY_KINDS or dtype.kind == "S" or dtype.names is not None:
        raise NotPlainData(f"an array of {dtype}")
    return dtype.str


def encode_numpy_scalar(value: np.generic) -> dict:
    """Encode a numpy scalar (np.float64, np.int64, np.bool_, np.datetime64...)."""
    dtype = numpy_dtype(value.dtype)
    return {"$": "npscalar", "dtype": dtype, "v": array_values(np.asarray(value).reshape(1))[0]}


def array_values(array: np.ndarray) -> list:
    """Return an array's values as a flat list (dates and durations as integer ticks)."""
    if array.dtype.kind in "mM":
        return array.reshape(-1).view("i8").tolist()
    return array.reshape(-1).tolist()


def object_values(values: list) -> list:
    """Check that every element of an object column is a plain scalar (or a missing value)."""
    if set(map(type, values)) <= set(SCALARS):
        return values
    for item in values:
        if type(item) not in SCALARS and item is not pd.NA and item is not pd.NaT:
            raise NotPlainData(f"a column holding a {type(item).__qualname__}")
    return [None if item is pd.NA or item is pd.NaT else item for item in values]


def column(series: pd.Series | pd.Index) -> dict:
    """Encode the values of one column or index level, with its dtype."""
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        categories = object_values(list(dtype.categories))
        return {
            "dtype": "category",
            "ordered": bool(dtype.ordered),
            "categories": categories,
            "v": object_values(list(series.astype(object).where(series.notna(), None))),
        }
    if isinstance(dtype, pd.DatetimeTZDtype):
        naive = pd.DatetimeIndex(series).tz_convert("UTC").tz_localize(None).to_numpy()
        return {"dtype": "tz:" + str(dtype.tz), "unit": str(naive.dtype), "v": array_values(naive)}
    if isinstance(dtype, np.dtype):
        if dtype.kind == "O":
            return {"dtype": "object", "v": object_values(list(series))}
        return {"dtype": numpy_dtype(dtype), "v": array_values(np.asarray(series))}
    if isinstance(dtype, pd.api.extensions.ExtensionDtype) and str(dtype) in EXTENSION_DTYPES:
        if str(dtype) == "str":  # text or NaN, nothing else
            return {"dtype": "str", "v": series.tolist()}
        return {"dtype": str(dtype), "v": object_values(list(series.astype(object)))}
    raise NotPlainData(f"a column of type {dtype}")


EXTENSION_DTYPES = {
    "Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64",
    "Float32", "Float64", "boolean", "string", "str",
}  # fmt: skip


def encode_index(index: pd.Index) -> dict:
    """Encode an Index, RangeIndex or MultiIndex."""
    if type(index) is pd.RangeIndex:
        return {"$": "range", "start": index.start, "stop": index.stop, "step": index.step, "name": encode(index.name)}
    if type(index) is pd.MultiIndex:
        levels = [column(index.get_level_values(level)) for level in range(index.nlevels)]
        return {"$": "multiindex", "names": [encode(name) for name in index.names], "levels": levels}
    if type(index) in (pd.Index, pd.DatetimeIndex, pd.TimedeltaIndex, pd.CategoricalIndex):
        return {"$": "index", "name": encode(index.name), **column(index)}
    raise NotPlainData(f"an index of type {type(index).__qualname__}")


PANDAS_TYPES = (pd.DataFrame, pd.Series, pd.Index, pd.RangeIndex, pd.MultiIndex, pd.DatetimeIndex, pd.TimedeltaIndex, pd.CategoricalIndex)  # fmt: skip


def values_digest(values: Any) -> bytes:
    """Return bytes that change whenever a column's (or an array's) values change.

    Numbers are hashed by value; other values by the identity of each element (text is immutable,
    so the same objects in the same places mean the same values), which is much faster.
    """
    array = np.asarray(values)
    if array.dtype.kind in "biufmM":
        return array.dtype.str.encode() + np.ascontiguousarray(array).tobytes()
    array = np.ascontiguousarray(array, dtype=object)  # an array of pointers to the elements
    return ctypes.string_at(array.__array_interface__["data"][0], array.nbytes) if array.size else b""


def fingerprint(value: Any) -> str | None:
    """Return a digest of a value that changes when it does, or None if it cannot be plain data."""
    kind = type(value)
    digest = hashlib.sha256(kind.__name__.encode())
    try:
        if kind is pd.DataFrame:
            digest.update(repr((list(value.columns), [str(t) for t in value.dtypes])).encode())
            digest.update(values_digest(value.index))
            for position in range(value.shape[1]):
                digest.update(values_digest(value.iloc[:, position]))
        elif kind in PANDAS_TYPES:
            digest.update(repr((getattr(value, "name", None), str(value.dtype), len(value))).encode())
            digest.update(values_digest(value))
            if kind is pd.Series:
                digest.update(values_digest(value.index))
        elif kind is np.ndarray:
            digest.update(repr(value.shape).encode() + values_digest(value))
        elif kind in SCALARS or kind in (list, tuple, dict) or isinstance(value, np.generic) or is_altair_chart(value):
            digest.update(json.dumps(encode(value), allow_nan=True, separators=(",", ":"), default=repr).encode())
        else:
            return None
    except (NotPlainData, TypeError, ValueError, OverflowError, RecursionError):
        return None
    return digest.hexdigest()


# --- decoding (in the grader's test process) -------------------------------------------------------


def decode(data: Any, depth: int = 0) -> Any:
    """Rebuild a value from its encoded form, trusting nothing: every field's type is checked."""
    if depth > MAX_DEPTH:
        raise NotPlainData("nested too deeply")
    if type(data) in SCALARS:
        return data
    if type(data) is not dict or type(data.get("$")) is not str:
        raise NotPlainData("not an encoded value")
    tag = data["$"]
    if tag in ("list", "tuple"):
        items = [decode(item, depth + 1) for item in expect(data, "v", list)]
        return items if tag == "list" else tuple(items)
    if tag == "dict":
        keys, values = expect(data, "k", list), expect(data, "v", list)
        if len(keys) != len(values) or not all(type(key) in SCALARS for key in keys):
            raise NotPlainData("a malformed dict")
        return {key: decode(value, depth + 1) for key, value in zip(keys, values, strict=True)}
    if tag == "npscalar":
        return decode_array(data["dtype"], [1], expect(data, "v", (int, float, bool, str), wrap=True))[0]
    if tag == "ndarray":
        shape = expect(data, "shape", list)
        if not all(type(size) is int and size >= 0 for size in shape):
            raise NotPlainData("a malformed array shape")
        return decode_array(expect(data, "dtype", str), shape, expect(data, "v", list))
    if tag == "timestamp":
        return pd.Timestamp(expect(data, "v", str))
    if tag == "timedelta":
        return pd.Timedelta(expect(data, "v", int))
    if tag == "series":
        index = decode_index(expect(data, "index", dict))
        values = decode_column(data)
        if len(values) != len(index):
            raise NotPlainData("a Series whose index and values differ in length")
        return pd.Series(values, index=index, name=decode(data.get("name"), depth + 1))
    if tag == "dataframe":
        columns = decode_index(expect(data, "columns", dict))
        index = decode_index(expect(data, "index", dict))
        encoded = expect(data, "data", list)
        if len(encoded) != len(columns):
            raise NotPlainData("a DataFrame whose columns and data differ in number")
        arrays = [decode_column(expect_dict(item)) for item in encoded]
        if any(len(values) != len(index) for values in arrays):
            raise NotPlainData("a DataFrame whose columns differ in length")
        frame = pd.DataFrame({position: values for position, values in enumerate(arrays)}, index=index)
        frame.columns = columns
        return frame
    if tag in ("range", "index", "multiindex"):
        return decode_index(data)
    if tag == "chart":
        return chart_from_spec(expect(data, "spec", dict))
    raise NotPlainData(f"an unknown kind of value {tag!r}")


def expect(data: dict, key: str, kind: type | tuple, wrap: bool = False) -> Any:
    """Return data[key] if it has the expected type, else raise NotPlainData."""
    value = data.get(key)
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if type(value) not in kinds:
        raise NotPlainData(f"a malformed field {key!r}")
    return [value] if wrap else value


def expect_dict(value: Any) -> dict:
    """Return value if it is a dict."""
    if type(value) is not dict:
        raise NotPlainData("a malformed column")
    return value


def check_plain_list(values: list) -> list:
    """Refuse a list of values holding anything but scalars."""
    if not set(map(type, values)) <= set(SCALARS):
        raise NotPlainData("a column holding something that is not a scalar")
    return values


def decode_array(dtype_text: str, shape: list, values: list) -> np.ndarray:
    """Rebuild a numpy array from its dtype, shape and flat values."""
    check_plain_list(values)
    dtype = np.dtype(dtype_text)
    if dtype.kind not in NUMPY_KINDS or dtype.kind == "S" or dtype.names is not None:
        raise NotPlainData(f"an array of {dtype}")
    if math.prod(shape) != len(values):
        raise NotPlainData("an array whose shape and values differ")
    if dtype.kind in "mM":
        array = np.array(values, dtype="i8").view(dtype)
    else:
        array = np.array(values, dtype=dtype)
    return array.reshape(shape)


def decode_column(data: dict) -> Any:
    """Rebuild a column's values (an array or a pandas array) from its dtype and values."""
    dtype = expect(data, "dtype", str)
    values = check_plain_list(expect(data, "v", list))
    if dtype == "object":
        array = np.empty(len(values), dtype=object)
        array[:] = values
        return array
    if dtype == "category":
        categories = check_plain_list(expect(data, "categories", list))
        ordered = expect(data, "ordered", bool)
        return pd.Categorical(values, categories=categories, ordered=ordered)
    if dtype.startswith("tz:"):
        naive = decode_array(expect(data, "unit", str), [len(values)], values)
        return pd.DatetimeIndex(naive).tz_localize("UTC").tz_convert(dtype[3:]).array
    if dtype in EXTENSION_DTYPES:
        missing = np.nan if dtype == "str" else pd.NA
        return pd.array([missing if item is None else item for item in values], dtype=dtype)
    return decode_array(dtype, [len(values)], values)


def decode_index(data: dict) -> pd.Index:
    """Rebuild an Index, RangeIndex or MultiIndex."""
    tag = data.get("$")
    if tag == "range":
        start, stop, step = (expect(data, key, int) for key in ("start", "stop", "step"))
        return pd.RangeIndex(start, stop, step, name=decode(data.get("name")))
    if tag == "multiindex":
        names = [decode(name) for name in expect(data, "names", list)]
        levels = [decode_column(expect_dict(level)) for level in expect(data, "levels", list)]
        if len(names) != len(levels) or not levels:
            raise NotPlainData("a malformed MultiIndex")
        return pd.MultiIndex.from_arrays(levels, names=names)
    if tag == "index":
        return pd.Index(decode_column(data), name=decode(data.get("name")), tupleize_cols=False)
    raise NotPlainData("a malformed index")


class ChartSpec:
    """A chart as its Vega-Lite spec: tests examine it only through `.to_dict()`."""

    def __init__(self, spec: dict) -> None:
        self._spec = spec

    def to_dict(self, *args: Any, **kwargs: Any) -> dict:
        """Return a copy of the chart's spec."""
        return json.loads(json.dumps(self._spec))

    def __repr__(self) -> str:
        return f"ChartSpec(mark={self._spec.get('mark')!r})"


def chart_from_spec(spec: dict) -> Any:
    """Return an Altair chart built from a spec if Altair accepts it, else a ChartSpec."""
    check_json_plain(spec)
    try:
        import altair as alt

        for kind, marker in (
            (alt.LayerChart, "layer"),
            (alt.HConcatChart, "hconcat"),
            (alt.VConcatChart, "vconcat"),
            (alt.ConcatChart, "concat"),
            (alt.FacetChart, "facet"),
            (alt.RepeatChart, "repeat"),
        ):
            if marker in spec:
                return kind.from_dict(json.loads(json.dumps(spec)))
        return alt.Chart.from_dict(json.loads(json.dumps(spec)))
    except Exception:  # not a spec Altair accepts: the plain form still answers `.to_dict()`
        return ChartSpec(spec)


# --- the participant's namespace (in the sandbox's kernel) -----------------------------------------

HIDDEN_NAMES = frozenset({"In", "Out", "exit", "quit", "get_ipython"})
SNAPSHOT: dict[str, tuple[tuple[int, str], str | None]] = {}


def exportable(namespace: dict) -> dict[str, Any]:
    """Return the names a cell may have set: public names that are not modules or IPython's own."""
    return {
        name: value
        for name, value in list(namespace.items())
        if not name.startswith("_") and name not in HIDDEN_NAMES and type(value).__name__ != "module"
    }


def snapshot(namespace: dict, export_path: str | None = None) -> None:
    """Note each name's fingerprint; with a path (after a participant's cell), write the plain names that changed.

    After an instructor's cell (no path) only new objects are fingerprinted: the grader replays
    those cells itself, so what they change needs no export.
    """
    names = exportable(namespace)
    changed, refused = {}, {}
    for name, value in names.items():
        key = (id(value), type(value).__qualname__)
        previous = SNAPSHOT.get(name)
        if export_path is None and previous is not None and previous[0] == key:
            continue
        digest = fingerprint(value)
        SNAPSHOT[name] = (key, digest)
        if export_path is None:
            continue
        if digest is None:
            if previous is None or previous[0] != key:
                refused[name] = f"{type(value).__module__}.{type(value).__qualname__}"
        elif previous is None or previous[1] != digest:
            try:
                changed[name] = encode(value)
            except (NotPlainData, TypeError, ValueError, OverflowError, RecursionError):
                refused[name] = f"{type(value).__module__}.{type(value).__qualname__}"
    removed = [name for name in list(SNAPSHOT) if name not in names]
    for name in removed:
        del SNAPSHOT[name]
    if export_path is not None:
        with open(export_path, "w", encoding="utf-8") as out:
            json.dump({"values": changed, "removed": removed, "refused": refused}, out, allow_nan=True)
