"""Strict parameters (issue 16, item 2): a misspelt filter is a 400 that
names it and the nearest known name, never an unfiltered answer; a
single-valued parameter given twice is a 400; every name the OpenAPI
document publishes is accepted."""

from __future__ import annotations

import pytest

from govsearch.search.kwic import SORTS as KWIC_SORTS
from govsearch.search.query import SORTS
from govsearch.webui.inputs import published_parameters

# A valid value for every published parameter.
VALID = {"q": "法治", "year": "2020-2022", "level": "县级", "province": "湖南", "doc_type": "annual_report",
         "issuer_kind": "政府", "city": "长沙", "county": "岳麓", "adcode": "43",
         "exact": "0", "expand": "0", "collapse": "1", "page": "1", "per_page": "10", "sort": SORTS[0],
         "width": "30", "format": "json", "by": "province,year", "unit": "county", "order": "place",
         "terms": "法治|营商环境", "near": "建设", "window": "5",
         "limit": "10", "min_reports": "1", "min_freq": "1", "a": "year:2022", "b": "year:2021",
         "issuer_key": "150821:政府", "style": "bibtex", "with": "1" * 40}
FORMATS = {"/api/export": "jsonl", "/api/concordance": "json"}
SAMPLE_ID = "0" * 40


def _url(path: str) -> str:
    return path.replace("{report_id}", SAMPLE_ID).replace("{key}", "150821:政府")


def test_a_misspelt_filter_is_a_400_that_suggests_the_name(client):
    everything = client.get("/api/search", query_string={"q": "法治"}).get_json()["total"]
    filtered = client.get("/api/search", query_string={"q": "法治", "level": "县级"}).get_json()["total"]
    assert filtered < everything  # so ignoring the misspelt name would have changed the answer
    response = client.get("/api/search", query_string={"q": "法治", "levle": "县级"})
    assert response.status_code == 400 and response.is_json
    message = response.get_json()["error"]["message"]
    assert "levle" in message and "是否想用 level" in message and "did you mean 'level'" in message


@pytest.mark.parametrize(("path", "name", "near"), [
    ("/api/search", "perpage", "per_page"), ("/api/concordance", "widht", "width"),
    ("/api/export", "fromat", "format"), ("/api/trend", "provinces", "province"),
    ("/api/search", "zzz", None), ("/api/stats", "verbose", None),
])
def test_every_endpoint_names_an_unknown_parameter(client, path, name, near):
    query = {"q": "法治"} if path != "/api/stats" else {}
    response = client.get(path, query_string={**query, name: "1"})
    assert response.status_code == 400, response.get_data(as_text=True)
    message = response.get_json()["error"]["message"]
    assert name in message
    assert (f"did you mean {near!r}" in message) if near else "did you mean" not in message


def test_a_single_valued_parameter_given_twice_is_a_400_and_a_list_is_not(client):
    twice = client.get("/api/search?q=%E6%B3%95%E6%B2%BB&q=%E7%BB%8F%E9%AA%8C")
    assert twice.status_code == 400 and "参数 q 只能给一次" in twice.get_json()["error"]["message"]
    assert client.get("/api/search?q=%E6%B3%95%E6%B2%BB&page=1&page=2").status_code == 400
    both = client.get("/api/search?q=%E6%B3%95%E6%B2%BB&year=2021&year=2022").get_json()
    assert both["total"] == client.get("/api/search?q=%E6%B3%95%E6%B2%BB&year=2021,2022").get_json()["total"]


def test_every_published_parameter_is_accepted(client):
    published = published_parameters()
    assert set(published) >= {"/api/search", "/api/concordance", "/api/trend", "/api/export"}
    for path, names in published.items():
        query = {name: VALID[name] for name in names}
        if path == "/api/concordance":
            query["sort"] = KWIC_SORTS[0]
        if "format" in names:
            query["format"] = FORMATS.get(path, "json")
        response = client.get(_url(path), query_string=query)
        assert response.status_code in (200, 404), (path, response.get_data(as_text=True)[:300])
        if response.status_code == 404:  # the sample report id names no report
            assert path.startswith("/api/reports/{report_id}")


def test_pages_keep_ignoring_names_they_do_not_know(client):
    assert client.get("/", query_string={"q": "法治", "utm_source": "mail"}).status_code == 200
