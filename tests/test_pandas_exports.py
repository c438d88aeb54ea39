"""Exports as pandas reads them (issue 16, item 7): CSV, JSON Lines and
Parquet from /api/export hold every hit /api/search counts, under the hit
schema's columns; Parquet's columns are typed (the year an integer, ids and
division codes text) so pandas needs no options at all for it.  CSV and JSON Lines cannot carry
types: govsearch.read_export reads all three into the same typed frame."""

from __future__ import annotations

import io

import pandas as pd
import pyarrow.parquet as pq
import pytest

from govsearch import read_export
from govsearch.search.export import COLUMNS
from govsearch.search.frames import column_types, export_format

QUERY = {"q": "法治", "collapse": "0"}


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


def test_read_export_gives_one_typed_frame_from_every_format(client, total):
    frames = {fmt: read_export(_download(client, fmt)) for fmt in ("csv", "jsonl", "parquet")}
    parquet = pd.read_parquet(io.BytesIO(_download(client, "parquet")))
    key = ["id"]
    for fmt, frame in frames.items():
        assert len(frame) == total and list(frame.columns) == list(COLUMNS), fmt
        assert {name: str(dtype) for name, dtype in frame.dtypes.items()} == column_types(), fmt
        assert frame["adcode"].dropna().str.fullmatch(r"[0-9]{2,12}").all(), fmt
        pd.testing.assert_frame_equal(frame.sort_values(key).reset_index(drop=True),
                                      frames["parquet"].sort_values(key).reset_index(drop=True), check_exact=False)
    assert sorted(frames["csv"]["id"]) == sorted(parquet["id"])
    assert column_types()["report_year"] == "Int32" and column_types()["adcode"] == "str"


def test_read_export_takes_paths_and_urls_by_their_format(client, tmp_path):
    for fmt in ("csv", "jsonl", "parquet"):
        path = tmp_path / f"hits.{fmt}"
        path.write_bytes(_download(client, fmt))
        assert export_format(path) == fmt and len(read_export(path)) == len(read_export(path.read_bytes()))
    assert export_format("http://127.0.0.1:5000/api/export?q=%E6%B3%95&format=jsonl") == "jsonl"
    with pytest.raises(ValueError, match="format"):
        export_format("hits.xlsx")


def test_csv_keeps_a_formula_start_as_text_and_read_export_restores_it():
    from govsearch.search.export import csv_rows

    row = {name: None for name in COLUMNS} | {"id": "r1", "title": "=SUM(A1)", "adcode": "110105",
                                              "score": 1.0, "occurrences": 2}
    data = "".join(csv_rows([row])).encode("utf-8")
    assert b"'=SUM(A1)" in data  # a spreadsheet shows it, never runs it
    frame = read_export(data, format="csv")
    assert frame.loc[0, "title"] == "=SUM(A1)" and frame.loc[0, "adcode"] == "110105"
    assert pd.isna(frame.loc[0, "report_year"]) and pd.isna(frame.loc[0, "url"])


def test_plain_pandas_reads_every_hit_with_numbers_as_numbers(client, total):
    """No options at all: counts and columns are right, numbers are numbers,
    ids and text are text; only a code of digits becomes a number, which is
    why the README points to read_export (or Parquet) for CSV and JSON Lines."""
    plain = {"csv": pd.read_csv(io.BytesIO(_download(client, "csv"))),
             "jsonl": pd.read_json(io.BytesIO(_download(client, "jsonl")), lines=True)}
    for fmt, frame in plain.items():
        assert len(frame) == total and list(frame.columns) == list(COLUMNS), fmt
        assert pd.api.types.is_numeric_dtype(frame["score"]) and pd.api.types.is_numeric_dtype(frame["occurrences"])
        assert pd.api.types.is_numeric_dtype(frame["report_year"])
        for name in ("id", "title", "level", "province"):
            assert not pd.api.types.is_numeric_dtype(frame[name]), (fmt, name)
        assert pd.api.types.is_numeric_dtype(frame["adcode"]), "pandas now keeps codes as text: update the README"
