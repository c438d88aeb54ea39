"""The instruments' JSON twins and downloads (issue 17): what the API
answers is what the library gives; every download holds the same rows;
long tables page with next/prev; bad parameters are 400s that say why."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest

from govsearch.search.diffusion import diffusion
from govsearch.search.distribution import distribution
from govsearch.search.panel import PANEL_FIELDS, panel_rows

TERMS = "法治|营商环境|双随机一公开"


def _json(client, path: str, **args) -> dict:
    response = client.get(path, query_string=args)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_json()


def test_distribution_is_the_library_answer_and_every_format_holds_it(client, engine):
    answer = _json(client, "/api/distribution", q="法治", by="province,year")
    assert answer["rows"] == distribution(engine.selected("法治"), ["province", "year"]) and answer["by"] == [
        "province", "year"]
    frame = pd.DataFrame(answer["rows"])
    for fmt in ("csv", "jsonl", "parquet"):
        data = client.get("/api/distribution", query_string={"q": "法治", "by": "province,year", "format": fmt})
        assert data.status_code == 200
        read = {"csv": pd.read_csv, "parquet": pd.read_parquet,
                "jsonl": lambda b: pd.read_json(b, lines=True)}[fmt](io.BytesIO(data.get_data()))
        assert len(read) == len(frame) and list(read["reports"]) == list(frame["reports"]), fmt
        assert list(read.columns) == ["province", "year", "reports", "occurrences", "total", "share"]
    typed = pd.read_parquet(io.BytesIO(client.get("/api/distribution?q=法治&format=parquet").get_data()))
    assert str(typed["reports"].dtype) == "int64" and str(typed["share"].dtype) == "float64"


def test_an_empty_query_counts_the_whole_population(client, engine):
    rows = _json(client, "/api/distribution", by="level")["rows"]
    assert sum(r["total"] for r in rows) == sum(r["reports"] for r in rows) == 5
    assert client.get("/api/distribution?q=").status_code == 400  # given, so it must say something


def test_diffusion_pages_with_links_and_downloads_every_place(client, engine):
    whole = diffusion(engine.selected("法治"), "county")
    first = _json(client, "/api/diffusion", q="法治", unit="county", per_page=2)
    assert first["total"] == whole["total"] == 4 and first["places"] == whole["places"][:2]
    assert first["curve"] == whole["curve"] and first["prev"] is None
    second = client.get(first["next"]).get_json()
    assert second["places"] == whole["places"][2:4] and second["next"] is None
    csv = pd.read_csv(io.BytesIO(client.get("/api/diffusion?q=法治&unit=county&format=csv").get_data()),
                      dtype={"first_id": str})
    assert list(csv["place"]) == [p["place"] for p in whole["places"]]
    assert list(csv["first_id"]) == [p["first_report"]["id"] for p in whole["places"]]
    by_name = _json(client, "/api/diffusion", q="法治", unit="county", order="place")["places"]
    assert [p["place"] for p in by_name] == sorted(p["place"] for p in whole["places"])


def test_panel_pages_and_downloads_the_same_rows(client, engine):
    every = list(panel_rows(engine.selected(""), TERMS.split("|")))
    page = _json(client, "/api/panel", terms=TERMS, per_page=3)
    assert page["total"] == 5 and page["rows"] == every[:3] and page["terms"] == TERMS.split("|")
    assert client.get(page["next"]).get_json()["rows"] == every[3:]
    parquet = pd.read_parquet(io.BytesIO(client.get("/api/panel", query_string={
        "terms": TERMS, "format": "parquet"}).get_data()))
    assert list(parquet.columns) == [*PANEL_FIELDS, *TERMS.split("|")]
    assert str(parquet["法治"].dtype) == "int64" and parquet["adcode"].map(type).eq(str).all()
    assert list(parquet["法治"]) == [r["法治"] for r in every]
    narrowed = _json(client, "/api/panel", terms=TERMS, year="2022")
    assert narrowed["total"] == 2 and {r["report_year"] for r in narrowed["rows"]} == {2022}


@pytest.mark.parametrize(("path", "args", "says"), [
    ("/api/distribution", {"q": "法治", "by": "provnce"}, "by"),
    ("/api/distribution", {"q": "法治", "by": "province,year,level"}, "一两个"),
    ("/api/distribution", {"q": "法治", "byy": "province"}, "by"),
    ("/api/diffusion", {"q": "法治", "unit": "town"}, "unit"),
    ("/api/diffusion", {"unit": "province"}, "q"),
    ("/api/panel", {"q": "法治"}, "terms"),
    ("/api/panel", {"terms": "、|，"}, "词语"),
    ("/api/panel", {"terms": "url"}, "列名"),
    ("/api/panel", {"terms": "法治", "format": "xlsx"}, "format"),
])
def test_bad_parameters_are_400_with_a_message(client, path, args, says):
    response = client.get(path, query_string=args)
    assert response.status_code == 400 and says in response.get_json()["error"]["message"]


def test_pages_render_what_the_api_answers(client):
    html = client.get("/distribution?q=法治&by=level").get_data(as_text=True)
    for row in _json(client, "/api/distribution", q="法治", by="level")["rows"]:
        assert f"<td>{row['reports']}</td><td>{row['occurrences']}</td><td>{row['total']}</td>" in html
    assert client.get("/diffusion?q=法治&order=nonsense").status_code == 400
    assert client.get("/panel?terms=法治&year=").status_code == 200  # an unset select is no filter
    unset = client.get("/distribution?q=法治&by=level&year=").get_data(as_text=True)
    json_link = re.search(r'href="(/api/distribution\?[^"]*)"', unset).group(1).replace("&amp;", "&")
    assert "year=" not in json_link and client.get(json_link).status_code == 200
    assert "<script>" not in client.get("/distribution?q=<script>alert(1)</script>").get_data(as_text=True)


def test_candidates_are_the_library_answer_in_json_csv_and_the_page(client, engine):
    from govsearch.search.candidates import candidates

    expected = candidates(engine.selected(""), limit=50, min_reports=1)
    answer = _json(client, "/api/terms/candidates", limit=50, min_reports=1)
    assert answer["candidates"] == expected and answer["reports"] == 5 and expected
    csv = pd.read_csv(io.BytesIO(client.get("/api/terms/candidates?limit=50&min_reports=1&format=csv").get_data()))
    assert list(csv["phrase"]) == [row["phrase"] for row in expected]
    assert list(csv["reports"]) == [row["reports"] for row in expected]
    html = client.get("/candidates?min_reports=1&limit=50").get_data(as_text=True)
    assert f'id="cand-total">{len(expected)}<' in html
    narrowed = _json(client, "/api/terms/candidates", year="2022", min_reports=1)
    assert narrowed["reports"] == 2 and all(row["first_year"] in (2022, None) for row in narrowed["candidates"])


def test_collocates_and_keyness_are_the_library_answers(client, engine):
    from govsearch.search.collocates import collocates
    from govsearch.search.keyness import keyness

    answer = _json(client, "/api/collocates", q="监管", window=5)
    assert answer == collocates(engine.selected("监管"), window=5)
    csv = pd.read_csv(io.BytesIO(client.get("/api/collocates?q=监管&window=5&format=csv").get_data()))
    assert list(csv["word"]) == [row["word"] for row in answer["collocates"]]
    assert list(csv["freq"]) == [row["freq"] for row in answer["collocates"]]
    sides = _json(client, "/api/keyness", a="year:2022", b="level:县级", limit=10)
    assert sides == keyness(engine.selected("year:2022"), engine.selected("level:县级"), limit=10)
    table = pd.read_csv(io.BytesIO(client.get("/api/keyness", query_string={
        "a": "year:2022", "b": "level:县级", "limit": 10, "format": "csv"}).get_data()))
    assert list(table["word"]) == [row["word"] for row in sides["over"] + sides["under"]]
    assert set(table["direction"]) <= {"over", "under"}
    narrowed = _json(client, "/api/keyness", a="year:2022", b="year:2024", province="山东", min_freq=1)
    assert (narrowed["a"]["reports"], narrowed["b"]["reports"]) == (1, 1)  # the filters hold on both sides


@pytest.mark.parametrize(("args", "says"), [
    ({"a": "year:2022"}, "缺少参数 b"),
    ({"a": "year:2022", "b": "level:县级", "limit": "0"}, "limit"), ({"a": "(", "b": "year:2022"}, "")])
def test_keyness_bad_input_is_400(client, args, says):
    response = client.get("/api/keyness", query_string=args)
    assert response.status_code == 400 and says in response.get_json()["error"]["message"]


def test_keyness_of_an_empty_side_is_empty_lists(client):
    answer = _json(client, "/api/keyness", a="year:1990", b="year:2022")
    assert (answer["a"]["reports"], answer["b"]["reports"], answer["over"], answer["under"]) == (0, 2, [], [])
    html = client.get("/keyness", query_string={"a": "year:1990", "b": "year:2022"}).get_data(as_text=True)
    assert "A 组没有报告" in html


def test_collocates_need_a_query_and_a_window_in_range(client):
    for args in ({}, {"q": "监管", "window": "0"}, {"q": "监管", "window": "51"}, {"q": "监管", "limit": "501"}):
        assert client.get("/api/collocates", query_string=args).status_code == 400, args
