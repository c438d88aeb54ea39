"""A term the query names twice counts once: concordance, occurrences, sort, export, trend."""

from __future__ import annotations

import csv
import io

import pytest

from govsearch.search.query import parse

TWICE = ["法治 法治", "法治 OR 法治", '"法治" 法治', "法治 法治 OR 法治"]


def _numbers(client, q: str) -> dict:
    """Every count the API gives for ``q``, collected from each endpoint."""
    kwic = client.get("/api/concordance", query_string={"q": q, "per_page": "100"}).get_json()
    hits = client.get("/api/search", query_string={"q": q, "sort": "occurrences", "per_page": "100"}).get_json()
    export = client.get("/api/export", query_string={"q": q, "format": "csv"}).get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(export.lstrip("\ufeff"))))
    trend = client.get("/api/trend", query_string={"q": q}).get_json()["years"]
    return {
        "lines": kwic["total"], "reports": kwic["reports"], "positions": [line["position"] for line in kwic["lines"]],
        "hits": [(h["id"], h["occurrences"]) for h in hits["hits"]],
        "export": sorted((r["id"], r["occurrences"]) for r in rows),
        "trend": [(y["year"], y["reports"], y["occurrences"]) for y in trend],
    }


@pytest.mark.parametrize("q", TWICE)
def test_a_repeated_term_counts_once_everywhere(client, q):
    once = _numbers(client, "法治")
    assert once["lines"] > 20  # the seeds say 法治 often: the comparison means something
    assert _numbers(client, q) == once


def test_a_repeated_or_alternative_counts_once_with_others():
    parsed = parse("的 OR 的 OR 法治 法治 OR 的")
    assert [t.text for t in parsed.terms] == ["的", "法治"]
    assert len(parsed.groups) == 1  # (的 OR 法治) and (法治 OR 的) are one condition


def test_kwic_of_a_repeated_term_lists_each_occurrence_once(client):
    single = client.get("/api/concordance", query_string={"q": "执法", "per_page": "100"}).get_json()
    doubled = client.get("/api/concordance", query_string={"q": "执法 OR 执法 OR 执法", "per_page": "100"}).get_json()
    assert [(x["id"], x["position"]) for x in doubled["lines"]] == \
        [(x["id"], x["position"]) for x in single["lines"]]
