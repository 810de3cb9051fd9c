"""Plain data across the grading boundary: encode a participant's values compactly, decode them strictly.

This module is a leaf: it imports only the standard library, numpy and pandas (altair lazily), and
nothing of citybook, because the grader copies it into each submission's sandbox, where the
participant's kernel imports it to export its answers.

What crosses: None, bool, int, float, str, lists, tuples, dicts (plain keys), numpy scalars and
arrays (bool, numbers, text, dates), pandas Series, DataFrames and Index/MultiIndex with such column
types (also nullable, categorical, datetime and timedelta), pandas Timestamps and Timedeltas, and
Altair charts as their `to_dict()` spec. Only exact types pass (never a subclass), so an object whose
comparisons always succeed is not data: it is left out, and the tests see no value at all.

The form is columnar and never pickle: a JSON header describes every value, and the values of
numeric, boolean and date columns and arrays are raw little-endian buffers after it (as numpy's .npy
holds them), read back with `np.frombuffer` for a dtype the header names and the decoder checks. Text
columns travel as their distinct values (JSON text) and integer codes (a buffer).
"""

from __future__ import annotations

import ctypes
import json
import math
import struct
import zlib
from typing import Any

import numpy as np
import pandas as pd

MAX_DEPTH = 40
SCALARS = (type(None), bool, int, float, str)
NUMPY_KINDS = "biufUSmM"  # bool, int, uint, float, text, bytes-as-text (refused below), timedelta, datetime
MAGIC = b"CBPLAIN1"  # the start of an exported-values file: magic, header length (8 bytes), header, buffers
MAX_HEADER_BYTES = 64 * 1024 * 1024


class NotPlainData(ValueError):
    """A value that is not plain data (a function, a module, an arbitrary object...)."""


# --- encoding (in the sandbox) -------------------------------------------------------------------


def encode(value: Any, buffers: list, depth: int = 0) -> Any:
    """Return a JSON-ready form of a plain value (its arrays appended to `buffers`); raise NotPlainData otherwise."""
    if depth > MAX_DEPTH:
        raise NotPlainData("nested too deeply")
    kind = type(value)
    if kind in SCALARS:
        return value
    if kind is list or kind is tuple:
        return {"$": kind.__name__, "v": [encode(item, buffers, depth + 1) for item in value]}
    if kind is dict:
        keys = list(value)
        if not all(type(key) in SCALARS for key in keys):
            raise NotPlainData("a dict key that is not a number, text, bool or None")
        return {"$": "dict", "k": keys, "v": [encode(value[key], buffers, depth + 1) for key in keys]}
    if isinstance(value, np.generic) and kind.__module__ == "numpy":
        return encode_numpy_scalar(value)
    if kind is np.ndarray:
        dtype = numpy_dtype(value.dtype)
        return {"$": "ndarray", "dtype": dtype, "shape": list(value.shape), "b": add_buffer(buffers, value)}
    if kind is pd.Timestamp:
        return {"$": "timestamp", "v": value.isoformat()}
    if kind is pd.Timedelta:
        return {"$": "timedelta", "v": int(value.value)}
    if kind is pd.Series:
        return {
            "$": "series",
            "name": encode(value.name, buffers, depth + 1),
            "index": encode_index(value.index, buffers),
            **column(value, buffers),
        }
    if kind is pd.DataFrame:
        if not value.columns.is_unique:
            raise NotPlainData("a DataFrame with repeated column names")
        columns = [column(value.iloc[:, position], buffers) for position in range(value.shape[1])]
        return {
            "$": "dataframe",
            "columns": encode_index(value.columns, buffers),
            "index": encode_index(value.index, buffers),
            "data": columns,
        }
    if isinstance(value, pd.Index):
        return encode_index(value, buffers)
    if is_altair_chart(value):
        spec = value.to_dict()
        check_json_plain(spec)
        return {"$": "chart", "spec": spec}
    raise NotPlainData(f"a {kind.__module__}.{kind.__qualname__} is not plain data")


def add_buffer(buffers: list, array: np.ndarray) -> int:
    """Append an array's values (C order, little-endian) to the buffers; return its number."""
    if array.dtype.byteorder == ">":
        array = array.astype(array.dtype.newbyteorder("<"))
    buffers.append(np.ascontiguousarray(array).reshape(-1).view(np.uint8).data)
    return len(buffers) - 1


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
    return dtype.newbyteorder("<").str if dtype.byteorder == ">" else dtype.str


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


def column(series: pd.Series | pd.Index, buffers: list) -> dict:
    """Encode the values of one column or index level, with its dtype (numbers, dates and codes as buffers)."""
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        codes = np.asarray(series.cat.codes if isinstance(series, pd.Series) else series.codes)
        return {
            "dtype": "category",
            "ordered": bool(dtype.ordered),
            "categories": object_values(list(dtype.categories)),
            "codes": numpy_dtype(codes.dtype),
            "b": add_buffer(buffers, codes),
        }
    if isinstance(dtype, pd.DatetimeTZDtype):
        naive = pd.DatetimeIndex(series).tz_convert("UTC").tz_localize(None).to_numpy()
        return {"dtype": "tz:" + str(dtype.tz), "unit": numpy_dtype(naive.dtype), "b": add_buffer(buffers, naive)}
    if isinstance(dtype, np.dtype):
        if dtype.kind == "O":
            values = list(series)
            if values and set(map(type, values)) == {str}:
                return {"dtype": "object", **text_codes(series, buffers)}
            return {"dtype": "object", "v": object_values(values)}
        return {"dtype": numpy_dtype(dtype), "b": add_buffer(buffers, np.asarray(series))}
    if isinstance(dtype, pd.api.extensions.ExtensionDtype) and str(dtype) in EXTENSION_DTYPES:
        if str(dtype) == "str":  # text or NaN, nothing else
            return {"dtype": "str", **text_codes(series, buffers)}
        return {"dtype": str(dtype), "v": object_values(list(series.astype(object)))}
    raise NotPlainData(f"a column of type {dtype}")


def text_codes(series: pd.Series | pd.Index, buffers: list) -> dict:
    """Encode a text column as its distinct values and one int32 code per row (-1: missing)."""
    codes, uniques = pd.factorize(np.asarray(series, dtype=object), use_na_sentinel=True)
    texts = list(uniques)
    if not all(type(text) is str for text in texts):
        raise NotPlainData("a text column holding something that is not text")
    return {"texts": texts, "b": add_buffer(buffers, codes.astype("<i4"))}


EXTENSION_DTYPES = {
    "Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64",
    "Float32", "Float64", "boolean", "string", "str",
}  # fmt: skip


def encode_index(index: pd.Index, buffers: list) -> dict:
    """Encode an Index, RangeIndex or MultiIndex."""
    if type(index) is pd.RangeIndex:
        name = encode(index.name, buffers)
        return {"$": "range", "start": index.start, "stop": index.stop, "step": index.step, "name": name}
    if type(index) is pd.MultiIndex:
        levels = [column(index.get_level_values(level), buffers) for level in range(index.nlevels)]
        names = [encode(name, buffers) for name in index.names]
        return {"$": "multiindex", "names": names, "length": len(index), "levels": levels}
    if type(index) in (pd.Index, pd.DatetimeIndex, pd.TimedeltaIndex, pd.CategoricalIndex):
        return {"$": "index", "name": encode(index.name, buffers), "length": len(index), **column(index, buffers)}
    raise NotPlainData(f"an index of type {type(index).__qualname__}")


PANDAS_TYPES = (pd.DataFrame, pd.Series, pd.Index, pd.RangeIndex, pd.MultiIndex, pd.DatetimeIndex, pd.TimedeltaIndex, pd.CategoricalIndex)  # fmt: skip


class Checksum:
    """Two running checksums (CRC-32 and Adler-32) over everything given: fast on large columns.

    A fingerprint only decides whether a value is exported again; a collision could only keep a
    submission's earlier value, so it needs speed, not a cryptographic hash.
    """

    def __init__(self, start: bytes = b"") -> None:
        self.crc, self.adler = zlib.crc32(start), zlib.adler32(start)

    def update(self, data: Any) -> None:
        """Add bytes (or any contiguous buffer)."""
        self.crc, self.adler = zlib.crc32(data, self.crc), zlib.adler32(data, self.adler)

    def hexdigest(self) -> str:
        """Return both checksums as hex text."""
        return f"{self.crc:08x}{self.adler:08x}"


def values_digest(values: Any, digest: Checksum) -> None:
    """Add to a digest what changes whenever a column's (or an array's) values change.

    Numbers are taken by value; other values by the identity of each element (text is immutable,
    so the same objects in the same places mean the same values), which is much faster.
    """
    array = np.asarray(values)
    if array.dtype.kind in "biufmM":
        digest.update(array.dtype.str.encode())
        digest.update(np.ascontiguousarray(array).reshape(-1).view(np.uint8).data)
        return
    array = np.ascontiguousarray(array, dtype=object)  # an array of pointers to the elements
    if array.size:
        digest.update(ctypes.string_at(array.__array_interface__["data"][0], array.nbytes))


def fingerprint(value: Any) -> str | None:
    """Return a digest of a value that changes when it does, or None if it cannot be plain data."""
    kind = type(value)
    digest = Checksum(kind.__name__.encode())
    try:
        if kind is pd.DataFrame:
            digest.update(repr((list(value.columns), [str(t) for t in value.dtypes])).encode())
            values_digest(value.index, digest)
            for position in range(value.shape[1]):
                values_digest(value.iloc[:, position], digest)
        elif kind in PANDAS_TYPES:
            digest.update(repr((getattr(value, "name", None), str(value.dtype), len(value))).encode())
            values_digest(value, digest)
            if kind is pd.Series:
                values_digest(value.index, digest)
        elif kind is np.ndarray:
            digest.update(repr(value.shape).encode())
            values_digest(value, digest)
        elif kind in SCALARS or kind in (list, tuple, dict) or isinstance(value, np.generic) or is_altair_chart(value):
            buffers: list = []
            header = encode(value, buffers)
            digest.update(json.dumps(header, allow_nan=True, separators=(",", ":"), default=repr).encode())
            for buffer in buffers:
                digest.update(buffer)
        else:
            return None
    except (NotPlainData, TypeError, ValueError, OverflowError, RecursionError):
        return None
    return digest.hexdigest()


# --- decoding (in the grader's test process) -------------------------------------------------------


def decode(data: Any, buffers: list | None = None, depth: int = 0) -> Any:
    """Rebuild a value from its encoded form and buffers, trusting nothing: every field's type is checked."""
    buffers = [] if buffers is None else buffers
    if depth > MAX_DEPTH:
        raise NotPlainData("nested too deeply")
    if type(data) in SCALARS:
        return data
    if type(data) is not dict or type(data.get("$")) is not str:
        raise NotPlainData("not an encoded value")
    tag = data["$"]
    if tag in ("list", "tuple"):
        items = [decode(item, buffers, depth + 1) for item in expect(data, "v", list)]
        return items if tag == "list" else tuple(items)
    if tag == "dict":
        keys, values = expect(data, "k", list), expect(data, "v", list)
        if len(keys) != len(values) or not all(type(key) in SCALARS for key in keys):
            raise NotPlainData("a malformed dict")
        return {key: decode(value, buffers, depth + 1) for key, value in zip(keys, values, strict=True)}
    if tag == "npscalar":
        return scalar_array(data["dtype"], expect(data, "v", (int, float, bool, str)))[0]
    if tag == "ndarray":
        shape = expect(data, "shape", list)
        if not all(type(size) is int and size >= 0 for size in shape):
            raise NotPlainData("a malformed array shape")
        return buffer_array(expect(data, "dtype", str), math.prod(shape), data, buffers).reshape(shape)
    if tag == "timestamp":
        return pd.Timestamp(expect(data, "v", str))
    if tag == "timedelta":
        return pd.Timedelta(expect(data, "v", int))
    if tag == "series":
        index = decode_index(expect(data, "index", dict), buffers)
        values = decode_column(data, len(index), buffers)
        return pd.Series(values, index=index, name=decode(data.get("name"), buffers, depth + 1))
    if tag == "dataframe":
        columns = decode_index(expect(data, "columns", dict), buffers)
        index = decode_index(expect(data, "index", dict), buffers)
        encoded = expect(data, "data", list)
        if len(encoded) != len(columns):
            raise NotPlainData("a DataFrame whose columns and data differ in number")
        arrays = [decode_column(expect_dict(item), len(index), buffers) for item in encoded]
        frame = pd.DataFrame({position: values for position, values in enumerate(arrays)}, index=index)
        frame.columns = columns
        return frame
    if tag in ("range", "index", "multiindex"):
        return decode_index(data, buffers)
    if tag == "chart":
        return chart_from_spec(expect(data, "spec", dict))
    raise NotPlainData(f"an unknown kind of value {tag!r}")


def expect(data: dict, key: str, kind: type | tuple) -> Any:
    """Return data[key] if it has the expected type, else raise NotPlainData."""
    value = data.get(key)
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if type(value) not in kinds:
        raise NotPlainData(f"a malformed field {key!r}")
    return value


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


def plain_dtype(dtype_text: str) -> np.dtype:
    """Return the dtype a header names if it is plain (bool, numbers, text, dates), else raise NotPlainData."""
    if len(dtype_text) > 32:
        raise NotPlainData("a malformed dtype")
    try:
        dtype = np.dtype(dtype_text)
    except TypeError as error:
        raise NotPlainData(f"an unknown dtype {dtype_text[:32]!r}") from error
    if dtype.kind not in NUMPY_KINDS or dtype.kind == "S" or dtype.names is not None or dtype.hasobject:
        raise NotPlainData(f"an array of {dtype}")
    return dtype


def scalar_array(dtype_text: str, value: Any) -> np.ndarray:
    """Rebuild a one-element array from a numpy scalar's dtype and value (dates as integer ticks)."""
    dtype = plain_dtype(dtype_text)
    if dtype.kind in "mM":
        return np.array([value], dtype="i8").view(dtype)
    return np.array([value], dtype=dtype)


def buffer_array(dtype_text: str, length: int, data: dict, buffers: list) -> np.ndarray:
    """Return a flat, writable array of `length` values of a plain dtype from the buffer the field "b" names."""
    dtype = plain_dtype(dtype_text)
    number = expect(data, "b", int)
    if not 0 <= number < len(buffers):
        raise NotPlainData("a value pointing at a buffer that is not there")
    buffer = buffers[number]
    if len(buffer) != length * dtype.itemsize:
        raise NotPlainData("an array whose length and buffer differ")
    return np.frombuffer(buffer, dtype=dtype).copy()


def decode_texts(data: dict, length: int, buffers: list, missing: Any) -> np.ndarray:
    """Rebuild a text column from its distinct values and codes (-1: missing)."""
    texts = expect(data, "texts", list)
    if not all(type(text) is str for text in texts):
        raise NotPlainData("a text column holding something that is not text")
    codes = buffer_array("<i4", length, data, buffers).astype(np.intp)
    if length and (codes.min() < -1 or codes.max() >= len(texts)):
        raise NotPlainData("a text column whose codes point outside its values")
    table = np.empty(len(texts) + 1, dtype=object)
    table[:-1] = texts
    table[-1] = missing
    return table[codes]  # code -1 picks the last entry: the missing value


def decode_column(data: dict, length: int, buffers: list) -> Any:
    """Rebuild `length` values of a column (an array or a pandas array) from its dtype and buffers."""
    dtype = expect(data, "dtype", str)
    if dtype in ("object", "str") and "texts" in data:
        values = decode_texts(data, length, buffers, np.nan)
        return values if dtype == "object" else pd.array(values, dtype="str")
    if dtype == "category":
        categories = check_plain_list(expect(data, "categories", list))
        codes = buffer_array(expect(data, "codes", str), length, data, buffers)
        if codes.dtype.kind not in "iu" or (length and (codes.min() < -1 or codes.max() >= len(categories))):
            raise NotPlainData("a categorical column whose codes point outside its categories")
        return pd.Categorical.from_codes(codes, categories=categories, ordered=expect(data, "ordered", bool))
    if dtype.startswith("tz:"):
        naive = buffer_array(expect(data, "unit", str), length, data, buffers)
        if naive.dtype.kind != "M":
            raise NotPlainData("a time-zone column that does not hold dates")
        return pd.DatetimeIndex(naive).tz_localize("UTC").tz_convert(dtype[3:]).array
    if dtype == "object" or dtype in EXTENSION_DTYPES:
        values = check_plain_list(expect(data, "v", list))
        if len(values) != length:
            raise NotPlainData("a column whose length differs from its index")
        if dtype == "object":
            array = np.empty(len(values), dtype=object)
            array[:] = values
            return array
        missing = np.nan if dtype == "str" else pd.NA
        return pd.array([missing if item is None else item for item in values], dtype=dtype)
    return buffer_array(dtype, length, data, buffers)


def decode_index(data: dict, buffers: list) -> pd.Index:
    """Rebuild an Index, RangeIndex or MultiIndex."""
    tag = data.get("$")
    if tag == "range":
        start, stop, step = (expect(data, key, int) for key in ("start", "stop", "step"))
        if step == 0:
            raise NotPlainData("a malformed range")
        return pd.RangeIndex(start, stop, step, name=decode(data.get("name"), buffers))
    if tag == "multiindex":
        names = [decode(name, buffers) for name in expect(data, "names", list)]
        length = expect(data, "length", int)
        levels = [decode_column(expect_dict(level), length, buffers) for level in expect(data, "levels", list)]
        if len(names) != len(levels) or not levels:
            raise NotPlainData("a malformed MultiIndex")
        return pd.MultiIndex.from_arrays(levels, names=names)
    if tag == "index":
        length = expect(data, "length", int)
        return pd.Index(
            decode_column(data, length, buffers), name=decode(data.get("name"), buffers), tupleize_cols=False
        )
    raise NotPlainData("a malformed index")


# --- the exported-values file: header and buffers ---------------------------------------------------


def write_values(path: str, header: dict, buffers: list) -> None:
    """Write a header (JSON) and its buffers to a file: MAGIC, header length, header, each buffer in turn."""
    header = {**header, "buffers": [len(buffer) for buffer in buffers]}
    text = json.dumps(header, allow_nan=True, separators=(",", ":")).encode("utf-8")
    with open(path, "wb") as out:
        out.write(MAGIC + struct.pack("<Q", len(text)) + text)
        for buffer in buffers:
            out.write(buffer)


def read_values(blob: bytes) -> tuple[dict, list[memoryview]]:
    """Split an exported-values file into its header and buffers, checking every length (raise NotPlainData)."""
    view = memoryview(blob)
    start = len(MAGIC) + 8
    if len(view) < start or bytes(view[: len(MAGIC)]) != MAGIC:
        raise NotPlainData("not an exported-values file")
    (size,) = struct.unpack("<Q", view[len(MAGIC) : start])
    if size > min(MAX_HEADER_BYTES, len(view) - start):
        raise NotPlainData("an exported-values header longer than its file")
    try:
        header = json.loads(bytes(view[start : start + size]).decode("utf-8"))
    except (ValueError, RecursionError) as error:
        raise NotPlainData("an exported-values header that is not JSON") from error
    lengths = header.get("buffers") if type(header) is dict else None
    if type(lengths) is not list or not all(type(n) is int and n >= 0 for n in lengths):
        raise NotPlainData("an exported-values header without its buffers' lengths")
    if start + size + sum(lengths) != len(view):
        raise NotPlainData("an exported-values file whose buffers and length differ")
    buffers, offset = [], start + size
    for length in lengths:
        buffers.append(view[offset : offset + length])
        offset += length
    return header, buffers


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
WANTED: set[str] | None = None  # the names the tests and the instructor's cells read (None: every name)


def want(names: list[str] | None) -> None:
    """Export only these names from now on (the grader sends the names its tests read; None: all)."""
    global WANTED
    WANTED = None if names is None else set(names)


def exportable(namespace: dict) -> dict[str, Any]:
    """Return the names a cell may have set that the tests read: public, not modules, not IPython's own."""
    return {
        name: value
        for name, value in list(namespace.items())
        if not name.startswith("_")
        and name not in HIDDEN_NAMES
        and (WANTED is None or name in WANTED)
        and type(value).__name__ != "module"
    }


def snapshot(namespace: dict, export_path: str | None = None) -> None:
    """Note each name's fingerprint; with a path (after a participant's cell), write the plain names that changed.

    After an instructor's cell (no path) only new objects are fingerprinted: the grader replays
    those cells itself, so what they change needs no export.
    """
    names = exportable(namespace)
    changed: dict[str, Any] = {}
    refused: dict[str, str] = {}
    buffers: list = []
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
            mark = len(buffers)
            try:
                changed[name] = encode(value, buffers)
            except (NotPlainData, TypeError, ValueError, OverflowError, RecursionError):
                del buffers[mark:]
                refused[name] = f"{type(value).__module__}.{type(value).__qualname__}"
    removed = [name for name in list(SNAPSHOT) if name not in names]
    for name in removed:
        del SNAPSHOT[name]
    if export_path is not None:
        write_values(export_path, {"values": changed, "removed": removed, "refused": refused}, buffers)
