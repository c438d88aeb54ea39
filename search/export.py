"""Export every hit - not one page - as CSV (UTF-8 with BOM, for Excel) or JSON Lines.

Both are generators: rows leave as they are read, so an export of the whole
index never holds it in memory.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from govsearch.search.records import HIT_FIELDS, public

FORMATS = ("csv", "jsonl")
# The hit schema's fields (a row says what a search hit says), then what the query adds.
COLUMNS = (*HIT_FIELDS, "score", "occurrences")
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
