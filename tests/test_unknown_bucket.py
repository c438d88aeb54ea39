"""Nothing vanishes: every facet and the trend show the 未识别 bucket, and filters select it."""

from __future__ import annotations

import re
from html import unescape

import pytest

from govsearch.search.query import parse


def _facet(data: dict, name: str) -> dict:
    return {f["value"]: f["count"] for f in data["facets"][name]}


@pytest.mark.parametrize("name", ["year", "level", "province"])
def test_facet_counts_add_up_to_the_total_and_none_selects_the_bucket(client, name):
    everything = client.get("/api/search", query_string={"q": "法治", "per_page": 100}).get_json()
    counts = _facet(everything, name)
    assert sum(counts.values()) == everything["total"]  # no report outside every bucket
    unknown = counts.get(None, 0)
    picked = client.get("/api/search", query_string={"q": "法治", name: "none", "per_page": 100}).get_json()
    assert picked["total"] == unknown
    assert all(hit[{"year": "report_year"}.get(name, name)] in (None, "") for hit in picked["hits"])
    language = client.get("/api/search", query_string={"q": f"法治 {name}:未识别", "per_page": 100}).get_json()
    assert language["total"] == unknown


def test_unknown_and_known_values_combine_with_or(client):
    everything = client.get("/api/search", query_string={"q": "法治"}).get_json()
    years = _facet(everything, "year")
    assert years.get(None) and years.get(2022)
    both = client.get("/api/search", query_string={"q": "法治", "year": "2022,none"}).get_json()
    assert both["total"] == years[None] + years[2022]
    assert parse("法治 year:none,2022").filters.years == [None, 2022]


def test_trend_ends_with_the_unknown_row(client):
    rows = client.get("/api/trend", query_string={"q": "法治"}).get_json()["years"]
    assert rows[-1]["year"] is None and rows[-1]["reports"] >= 1
    assert [r["year"] for r in rows[:-1]] == sorted(r["year"] for r in rows[:-1])
    total = client.get("/api/search", query_string={"q": "法治"}).get_json()["total"]
    assert sum(r["reports"] for r in rows) == total


def test_results_page_shows_and_toggles_the_unknown_bucket(client):
    unknown = _facet(client.get("/api/search", query_string={"q": "法治"}).get_json(), "year")[None]
    html = client.get("/", query_string={"q": "法治"}).get_data(as_text=True)
    section = html[html.index('data-facet="year"'):]
    link = re.search(r'<a href="([^"]+)"[^>]*data-value="none"[^>]*><span class="label">未识别</span> '
                     r'<span class="count">(\d+)</span>', section)
    assert link and int(link.group(2)) == unknown
    selected = client.get("/" + unescape(link.group(1))).get_data(as_text=True)
    assert f'<strong id="total">{unknown}</strong>' in selected
    assert re.search(r'class="on"[^>]*data-value="none"', selected)


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_reports_of_no_year_sort_last_both_ways(client, sort):
    hits = client.get("/api/search", query_string={"q": "法治", "sort": sort, "per_page": 100}).get_json()["hits"]
    years = [h["report_year"] for h in hits]
    first_unknown = years.index(None)
    assert all(y is None for y in years[first_unknown:]) and first_unknown > 0
