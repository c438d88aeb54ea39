"""Exports as pandas reads them (issue 16, item 7): CSV, JSON Lines and
Parquet from /api/export hold every hit /api/search counts, under the hit
schema's columns; Parquet's columns are typed (the year an integer, ids and
division codes text) so pandas needs no options at all for it."""

from __future__ import annotations

import io

import pandas as pd
import pyarrow.parquet as pq
import pytest

from govsearch.search.export import COLUMNS

QUERY = {"q": "法治", "collapse": "0"}
# What CSV and JSON Lines cannot say in themselves: a column of digits is text.
TEXT = {"id": str, "adcode": str}


@pytest.fixture()
def total(client) -> int:
    return client.get("/api/search", query_string=QUERY).get_json()["total"]


def _download(client, fmt: str) -> bytes:
    response = client.get("/api/export", query_string={**QUERY, "format": fmt})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_data()


def test_parquet_reads_with_no_options_and_typed_columns(client, total):
    frame = pd.read_parquet(io.BytesIO(_download(client, "parquet")))
    assert len(frame) == total == 5 and list(frame.columns) == list(COLUMNS)
    assert pd.api.types.is_numeric_dtype(frame["report_year"])  # float64 in pandas once a year is missing
    schema = pq.read_schema(io.BytesIO(_download(client, "parquet")))
    assert str(schema.field("report_year").type) == "int32" and str(schema.field("adcode").type) == "string"
    for name in ("id", "adcode", "level", "province"):
        assert not pd.api.types.is_numeric_dtype(frame[name]), name
    assert frame["adcode"].dropna().str.fullmatch(r"[0-9]{2,12}").all()
    assert pd.api.types.is_float_dtype(frame["score"]) and pd.api.types.is_integer_dtype(frame["occurrences"])
    assert frame["url"].isna().all()  # missing is null, not ""


def test_csv_and_jsonl_hold_every_hit_and_the_same_values(client, total):
    csv = pd.read_csv(io.BytesIO(_download(client, "csv")), dtype=TEXT)
    jsonl = pd.read_json(io.BytesIO(_download(client, "jsonl")), lines=True, dtype=TEXT)
    parquet = pd.read_parquet(io.BytesIO(_download(client, "parquet")))
    for frame in (csv, jsonl):
        assert len(frame) == total and list(frame.columns) == list(COLUMNS)
        assert sorted(frame["id"]) == sorted(parquet["id"])
        assert sorted(frame["adcode"].dropna()) == sorted(parquet["adcode"].dropna())
        assert sorted(frame["report_year"].dropna().astype(int)) == sorted(parquet["report_year"].dropna().astype(int))
    plain = pd.read_csv(io.BytesIO(_download(client, "csv")))  # no options: numbers are numbers
    assert pd.api.types.is_numeric_dtype(plain["score"]) and pd.api.types.is_numeric_dtype(plain["occurrences"])
