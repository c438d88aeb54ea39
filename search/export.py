"""Export every hit - not one page - as CSV (UTF-8 with BOM, for Excel),
JSON Lines or Parquet (typed columns, for pandas and R).

CSV and JSON Lines are generators: rows leave as they are read, so an export
of the whole index never holds it in memory; Parquet is written a row group
at a time.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from govsearch.search.records import HIT_FIELDS, public

FORMATS = ("csv", "jsonl", "parquet")
PARQUET_TYPE = "application/vnd.apache.parquet"
PARQUET_ROWS = 2000  # rows per row group
# The hit schema's fields (a row says what a search hit says), then what the query adds.
EXPORT_EXTRA = (("score", "float64"), ("occurrences", "int64"))
COLUMNS = (*HIT_FIELDS, *(name for name, _ in EXPORT_EXTRA))
BOM = "\ufeff"


# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value  # shown as text, never evaluated (CSV injection)
    return value


def _row(record: dict[str, Any], columns: Iterable[str]) -> list[Any]:
    return [_cell(record.get(c)) for c in columns]


def csv_rows(rows: Iterable[dict[str, Any]], columns: tuple[str, ...] = COLUMNS) -> Iterator[str]:
    """CSV text chunks: the BOM and header first, then one line per row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    yield BOM + buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(_row(row, columns))
        yield buffer.getvalue()


def jsonl_rows(rows: Iterable[dict[str, Any]], columns: tuple[str, ...] = COLUMNS) -> Iterator[str]:
    for row in rows:
        yield json.dumps(public(row, columns), ensure_ascii=False) + "\n"


def rows(matcher, records: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Export rows of matching records: the hit schema's fields, the score,
    and how often the query occurs in the report."""
    for record in records:
        yield {**record, "score": round(record["score"], 4), "occurrences": matcher.report_occurrences(record)}


def parquet_schema(names: Iterable[str] = HIT_FIELDS, extra: Iterable[tuple[str, str]] = EXPORT_EXTRA):
    """Column types from the record's declaration for the report fields
    ``names`` (the year an integer, every other field text: ids and division
    codes stay text), then ``extra`` columns as (name, "int64"|"float64")."""
    import typing

    import pyarrow as pa

    from govsearch.index.report import field_types

    types = field_types()

    def arrow(name: str):
        inner = [a for a in typing.get_args(types[name]) if a is not type(None)] or [types[name]]
        return {int: pa.int32(), bool: pa.bool_(), float: pa.float64()}.get(inner[0], pa.string())

    return pa.schema([*((name, arrow(name)) for name in names),
                      *((name, getattr(pa, kind)()) for name, kind in extra)])


def table_schema(kinds: dict[str, str]):
    """A Parquet schema for an instrument's table, from each column's kind
    ("string", "int32", "int64", "float64")."""
    import pyarrow as pa

    return pa.schema([(name, getattr(pa, kind)()) for name, kind in kinds.items()])


def write_parquet(chunks: Iterable[dict[str, Any]], sink, schema=None) -> int:
    """Write rows to ``sink`` (a path or a binary file) as Parquet under
    ``schema`` (default: the export's); returns the row count."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = schema if schema is not None else parquet_schema()
    names = schema.names
    count = 0
    with pq.ParquetWriter(sink, schema) as writer:
        batch: list[dict[str, Any]] = []
        for row in chunks:
            batch.append(public(row, names))
            if len(batch) >= PARQUET_ROWS:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                count, batch = count + len(batch), []
        writer.write_table(pa.Table.from_pylist(batch, schema=schema))
        count += len(batch)
    return count


def parquet_chunks(found: Iterable[dict[str, Any]], size: int = 1 << 16, schema=None) -> Iterator[bytes]:
    """Parquet bytes for a download: the file needs its footer before it can
    be read, so it is written first (to memory, spilling to a temporary file
    past 32 MB) and then sent in chunks."""
    import tempfile

    with tempfile.SpooledTemporaryFile(max_size=32 << 20) as buffer:
        write_parquet(found, buffer, schema)
        buffer.seek(0)
        while chunk := buffer.read(size):
            yield chunk
