"""Research endpoints: concordance, trend, export, facets, collapsing - and bad input."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import PurePosixPath

import pytest

from govsearch.index.normalize import fold

LONG = "法" * 501


def source_prefix(hit: dict) -> str:
    return PurePosixPath(hit["source"]).name[:3]


# ---------------------------------------------------------------- facets
def test_facet_counts_ignore_their_own_selection(client):
    everything = client.get("/api/search", query_string={"q": "法治政府"}).get_json()
    one_year = client.get("/api/search", query_string={"q": "法治政府", "year": "2022"}).get_json()
    assert one_year["total"] == 2
    # The year facet still offers the other years, with their counts as before.
    assert one_year["facets"]["year"] == everything["facets"]["year"]
    # Other facets are narrowed by the year selection.
    assert sum(f["count"] for f in one_year["facets"]["level"]) == 2
    two_years = client.get("/api/search", query_string=[("q", "法治政府"), ("year", "2022"), ("year", "2024")])
    assert two_years.get_json()["total"] == 3  # values of one facet combine with OR
    both = client.get("/api/search", query_string={"q": "法治政府", "year": "2022", "level": "乡镇级"}).get_json()
    assert both["total"] == 1
    levels = {f["value"]: f["count"] for f in both["facets"]["level"]}
    assert levels == {"县级": 1, "乡镇级": 1}  # level counts under year=2022 only


def test_facets_in_the_checked_path_match(client):
    ranked = client.get("/api/search", query_string={"q": "执法", "year": "2022"}).get_json()
    checked = client.get("/api/search", query_string={"q": "执法", "year": "2022", "sort": "occurrences"}).get_json()
    assert ranked["total"] == checked["total"]
    assert ranked["facets"] == checked["facets"]


def test_sorting_and_stable_paging(client):
    newest = client.get("/api/search", query_string={"q": "法治", "sort": "newest", "per_page": 100}).get_json()
    years = [h["report_year"] or 0 for h in newest["hits"]]
    assert years == sorted(years, reverse=True)
    oldest = client.get("/api/search", query_string={"q": "法治", "sort": "oldest", "per_page": 100}).get_json()
    known = sorted(y for y in years if y)
    # Reports of no known year come last in both directions.
    assert [h["report_year"] or 0 for h in oldest["hits"]] == known + [0] * (len(years) - len(known))
    assert 0 in years and years[-1] == 0
    ids = [h["id"] for h in newest["hits"]]
    paged = [h["id"] for p in range(1, 4) for h in client.get(
        "/api/search", query_string={"q": "法治", "sort": "newest", "per_page": 2, "page": p}).get_json()["hits"]]
    assert paged == ids


# ---------------------------------------------------------------- snippets
def test_snippets_are_sentences_centred_on_matches(client):
    data = client.get("/api/search", query_string={"q": "营商环境"}).get_json()
    for hit in data["hits"]:
        assert 1 <= len(hit["snippets"]) <= 3
        for snippet in hit["snippets"]:
            assert "<mark>" in snippet
            plain = re.sub("</?mark>", "", snippet).strip("…")
            assert len(plain) <= 2 * 60 + 20


def test_longest_word_is_highlighted(engine):
    from govsearch.search.highlight import snippets
    from govsearch.search.matching import TextMatcher
    from govsearch.search.query import parse
    matcher = TextMatcher(parse("马克思主义"))
    (snippet,) = snippets("坚持马克思主义。马克是人名。", matcher.highlight)[:1]
    assert "<mark>马克思主义</mark>" in snippet and "<mark>马克</mark>思" not in snippet


# ---------------------------------------------------------------- concordance
def test_concordance_lists_every_occurrence(client, engine):
    params = {"q": "双随机、一公开", "exact": "1", "per_page": 100}
    data = client.get("/api/concordance", query_string=params).get_json()
    expected = sum(fold(r["text"]).count("双随机一公开") for r in engine.stored_reports())
    assert data["total"] == expected == 6 and data["reports"] == 3
    for line in data["lines"]:
        assert fold(line["match"]) == "双随机一公开"
        assert set(line) >= {"id", "title", "report_year", "level", "province", "city", "county", "adcode",
                           "issuer_kind", "doc_number", "left", "match", "right"}


def _every_line(client, sort: str) -> list[dict]:
    lines, page = [], 1
    while True:
        data = client.get("/api/concordance", query_string={"q": "执法", "sort": sort, "per_page": 100,
                                                            "page": page}).get_json()
        lines += data["lines"]
        if len(lines) >= data["total"] or not data["lines"]:
            return lines
        page += 1


@pytest.mark.parametrize("sort", ["left", "right", "year"])
def test_concordance_sorts(client, engine, sort):
    """Every occurrence a plain scan of every stored text finds, each once, in
    the asked order - checked on the texts themselves, by the character next
    to each match, not by the concordance's own key."""
    lines = _every_line(client, sort)
    texts = {record["id"]: record["text"] for record in engine.stored_reports()}
    scanned = {(rid, m.start()) for rid, text in texts.items() for m in re.finditer("执法", text)}
    assert sorted((line["id"], line["position"]) for line in lines) == sorted(scanned)
    if sort == "year":
        years = [line["report_year"] or 0 for line in lines]
        assert years == sorted(years, reverse=True)
        return

    def beside(line):
        """The first letter, digit or ideograph before (or after) the match in
        its paragraph, folded as exact lookup folds; past the paragraph's edge
        the largest character, as such a context sorts after all others."""
        text, at = texts[line["id"]], line["position"]
        near = text[:at].rsplit("\n", 1)[-1][::-1] if sort == "left" else text[at + 2:].split("\n", 1)[0]
        return next((fold(c) for c in near if fold(c)), "\U0010ffff")

    neighbours = [beside(line) for line in lines]
    assert neighbours == sorted(neighbours) and len(set(neighbours)) > 5


def test_concordance_paging_filters_and_csv(client):
    full = client.get("/api/concordance", query_string={"q": "执法", "per_page": 100}).get_json()
    page2 = client.get("/api/concordance", query_string={"q": "执法", "per_page": 10, "page": 2}).get_json()
    assert page2["lines"] == full["lines"][10:20]
    filtered = client.get("/api/concordance", query_string={"q": "执法", "year": "2022", "per_page": 100}).get_json()
    assert filtered["lines"] and all(line["report_year"] == 2022 for line in filtered["lines"])
    response = client.get("/api/concordance", query_string={"q": "执法", "format": "csv"})
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff") and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert len(rows) == full["total"] and rows[0]["match"] == "执法"


def test_concordance_empty(client):
    data = client.get("/api/concordance", query_string={"q": "完全不存在的词语组合"}).get_json()
    assert data["total"] == 0 and data["lines"] == []


# ---------------------------------------------------------------- trend
def test_trend(client, engine):
    data = client.get("/api/trend", query_string={"q": '"蒙速办"'}).get_json()
    years = {row["year"]: row for row in data["years"]}
    assert set(years) == {2021, 2022, 2024, None}  # every year with reports, and 未识别 (seed 004) last
    assert data["years"][-1]["year"] is None and years[None]["total"] == 1
    assert years[2022]["reports"] == 1 and years[2022]["total"] == 2 and years[2022]["share"] == 0.5
    assert years[2022]["occurrences"] == 5
    assert years[2021]["reports"] == 0 and years[2021]["share"] == 0.0
    filtered = client.get("/api/trend", query_string={"q": "法治", "level": "乡镇级"}).get_json()
    assert sum(row["reports"] for row in filtered["years"]) == 1


# ---------------------------------------------------------------- export
def test_export_csv_is_excel_ready_and_complete(client):
    response = client.get("/api/export", query_string={"q": "法治", "format": "csv"})
    assert response.is_streamed and response.mimetype == "text/csv"
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for Excel
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 5 and {"id", "title", "report_year", "level", "province", "occurrences"} <= set(rows[0])
    assert all(int(r["occurrences"]) > 0 for r in rows)


def test_export_jsonl_matches_search(client):
    response = client.get("/api/export", query_string={"q": "营商环境", "format": "jsonl", "year": "2022"})
    records = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    search = client.get("/api/search", query_string={"q": "营商环境", "year": "2022", "per_page": 100}).get_json()
    assert sorted(r["id"] for r in records) == sorted(h["id"] for h in search["hits"])


def test_export_defuses_formulas():
    from govsearch.search.export import csv_rows
    text = "".join(csv_rows([{"id": "x", "title": "=HYPERLINK(\"http://evil\")"}], ("id", "title")))
    assert "'=HYPERLINK" in text


# ---------------------------------------------------------------- every endpoint: bad input
ENDPOINTS = ["/api/search", "/api/concordance", "/api/trend", "/api/export"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("params", [
    {}, {"q": ""}, {"q": LONG}, {"q": '"未闭合'}, {"q": "法治", "page": "-1"}, {"q": "法治", "per_page": "100000"},
    {"q": "法治", "year": "abc"}, {"q": "法治", "level": "村级"}, {"q": "法治", "exact": "2"},
])
def test_bad_input_is_400_json(client, endpoint, params):
    response = client.get(endpoint, query_string=params)
    assert response.status_code == 400, response.get_data(as_text=True)[:200]
    assert response.get_json()["error"]["message"]


@pytest.mark.parametrize("endpoint, params", [
    ("/api/concordance", {"q": "法治", "sort": "random"}), ("/api/concordance", {"q": "法治", "width": "0"}),
    ("/api/concordance", {"q": "法治", "format": "xml"}), ("/api/export", {"q": "法治", "format": "xlsx"}),
    ("/api/search", {"q": "法治", "collapse": "maybe"}),
])
def test_endpoint_specific_bad_input(client, endpoint, params):
    response = client.get(endpoint, query_string=params)
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "bad_request"


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_empty_results(client, endpoint):
    params = {"q": "完全不存在的词语组合", **({"format": "jsonl"} if endpoint == "/api/export" else {})}
    response = client.get(endpoint, query_string=params)
    assert response.status_code == 200
    if endpoint == "/api/export":
        assert response.get_data(as_text=True) == ""
    elif endpoint == "/api/trend":
        assert all(row["reports"] == 0 for row in response.get_json()["years"])
    else:
        assert response.get_json()["total"] == 0


def test_openapi_describes_every_endpoint(client):
    spec = client.get("/api/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert set(spec["paths"]) >= {"/api/search", "/api/concordance", "/api/trend", "/api/export",
                                  "/api/reports/{report_id}", "/api/stats"}


def test_export_and_trend_follow_collapsing(tmp_path):
    import shutil

    from govsearch.config import SEEDS_DIR
    from govsearch.index.build import ingest
    from govsearch.webui import create_app
    copies = tmp_path / "copies"
    copies.mkdir()
    for path in SEEDS_DIR.glob("00[0-2]_*.txt"):
        shutil.copy(path, copies / path.name)
    ingest([SEEDS_DIR, copies], tmp_path / "ix")
    client = create_app(tmp_path / "ix", TESTING=True).test_client()
    for collapse, expected in (("1", 5), ("0", 8)):
        params = {"q": "法治", "collapse": collapse}
        assert client.get("/api/search", query_string={**params, "per_page": 100}).get_json()["total"] == expected
        lines = client.get("/api/export", query_string={**params, "format": "jsonl"}).get_data(as_text=True)
        assert len(lines.splitlines()) == expected
        trend = client.get("/api/trend", query_string=params).get_json()["years"]
        counted = sum(row["reports"] for row in trend)
        assert counted == expected  # seed 004, of no report year, in the 未识别 row
