"""Exports into pandas with the types the record declares, whatever the format.

Parquet carries its column types; CSV and JSON Lines cannot say that a
column of digits (a division code, an id) is text, and pandas reads one
as a number (110105.0 once a value is missing).  ``read_export`` reads all
three into the same typed frame - the Parquet schema's types - so a script
need not know which columns to protect.  pandas is the caller's, imported
only here.
"""

from __future__ import annotations

import io
import os
import urllib.parse
from typing import Any

from govsearch.search.export import _FORMULA_START, FORMATS, parquet_schema


def column_types() -> dict[str, str]:
    """pandas dtypes per export column, from the Parquet schema: text is
    ``str``, the year a nullable ``Int32``, counts ``Int64``, scores floats."""
    import pyarrow as pa

    def dtype(arrow) -> str:
        if pa.types.is_integer(arrow):
            return "Int64" if arrow.bit_width == 64 else "Int32"
        if pa.types.is_floating(arrow):
            return "float64"
        if pa.types.is_boolean(arrow):
            return "boolean"
        return "str"

    return {field.name: dtype(field.type) for field in parquet_schema()}


def export_format(source: Any) -> str:
    """The format of a path or URL: its ``format=`` parameter, else its suffix."""
    text = os.fspath(source) if isinstance(source, os.PathLike) else str(source)
    asked = urllib.parse.parse_qs(urllib.parse.urlsplit(text).query).get("format")
    if asked:
        return asked[0]
    suffix = urllib.parse.urlsplit(text).path.rsplit(".", 1)[-1].lower()
    if suffix in FORMATS:
        return suffix
    raise ValueError(f"cannot tell the format of {text!r}: pass format= (one of {', '.join(FORMATS)})")


def _sniffed(file) -> str:
    """The format of an open binary file, from its first bytes (it is rewound)."""
    start = file.read(4)
    file.seek(0)
    if start == b"PAR1":
        return "parquet"
    return "jsonl" if start.lstrip()[:1] == b"{" else "csv"


def _unescaped(value: Any) -> Any:
    """A CSV cell as it was before the export quoted a formula start ('=… → =…)."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1] in _FORMULA_START:
        return value[1:]
    return value


def read_export(source: Any, format: str | None = None):
    """An export (a path, a URL, bytes or a binary file) as a pandas
    DataFrame with the declared column types: ``id`` and ``adcode`` text,
    ``report_year`` an integer (missing is <NA>), missing text is <NA>."""
    import pandas as pd

    if isinstance(source, bytes):
        source = io.BytesIO(source)
    fmt = format or (_sniffed(source) if hasattr(source, "read") else export_format(source))
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: one of {', '.join(FORMATS)}")
    types = column_types()
    if fmt == "parquet":
        frame = pd.read_parquet(source)
    elif fmt == "csv":
        text = [name for name, dtype in types.items() if dtype == "str"]
        frame = pd.read_csv(source, dtype={name: "str" for name in text}, encoding="utf-8-sig",
                            keep_default_na=False, na_values=[""])
        frame[text] = frame[text].map(_unescaped)
    else:
        frame = pd.read_json(source, lines=True, dtype=False)
    present = {name: dtype for name, dtype in types.items() if name in frame.columns}
    return frame.astype(present)
