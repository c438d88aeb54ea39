"""Filters and facets (issue 16, item 3): year ranges in the API as in the
query language; issuer kind, city, county and adcode as filters and facets;
the unknown bucket selectable with ``none``.  Every count is checked
against the stored records, not against the facet code."""

from __future__ import annotations

from collections import Counter

import pytest

Q = {"q": "法治", "collapse": "0", "per_page": "100"}


@pytest.fixture()
def records(engine):
    """The stored record of every seed report the sample query matches."""
    ids = {h.fields["id"] for h in engine.search("法治", per_page=100, collapse=False).hits}
    return [r for r in engine.stored_reports() if r["id"] in ids]


def _total(client, **params) -> int:
    response = client.get("/api/search", query_string={**Q, **params})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["total"]


def test_a_year_range_in_the_api_is_the_query_languages(client, records):
    years = Counter(r.get("report_year") or None for r in records)
    expected = sum(n for y, n in years.items() if y is not None and 2020 <= y <= 2022)
    assert expected and _total(client, year="2020-2022") == expected
    assert _total(client, year="2022-2020") == expected  # the span, whichever year comes first
    language = client.get("/api/search", query_string={**Q, "q": "法治 year:2020-2022"}).get_json()["total"]
    assert language == expected
    assert _total(client, year="2020-2022,none") == expected + years[None]


@pytest.mark.parametrize("name", ["issuer_kind", "city", "county", "adcode"])
def test_each_new_facet_counts_what_the_records_hold_and_filters_to_it(client, records, name):
    truth = Counter(r.get(name) or None for r in records)
    data = client.get("/api/search", query_string=Q).get_json()
    listed = {f["value"]: f["count"] for f in data["facets"][name]}
    assert listed == dict(truth)  # every value, the unknown bucket (None) included
    assert sum(listed.values()) == data["total"]
    assert data["facet_values"][name] == len([v for v in truth if v is not None])
    for value, count in truth.items():
        assert _total(client, **{name: "none" if value is None else value}) == count, (name, value)


def test_places_and_codes_select_by_their_beginning(client, records):
    zibo = [r for r in records if (r.get("adcode") or "").startswith("3703")]
    assert len(zibo) >= 2  # 淄博: the seeds hold a district and a town under it
    assert _total(client, adcode="3703") == len(zibo)
    assert _total(client, adcode="37") == len([r for r in records if (r.get("adcode") or "").startswith("37")])
    assert _total(client, city="淄博") == len([r for r in records if (r.get("city") or "").startswith("淄博")])
    assert _total(client, county="周村,沂源") == len([r for r in records
                                                    if (r.get("county") or "").startswith(("周村", "沂源"))])
    assert _total(client, city="不存在的市") == 0  # a prefix that begins nothing selects nothing


def test_facets_of_one_kind_or_and_of_two_kinds_and(client, records):
    both = [r for r in records if r.get("issuer_kind") == "政府" and (r.get("province") or "").startswith("山东")]
    assert _total(client, issuer_kind="政府", province="山东") == len(both)
    either = [r for r in records if r.get("issuer_kind") in ("政府", "党委")]
    assert _total(client, issuer_kind="政府,党委") == len(either)


def test_bad_values_say_what_is_allowed(client):
    for name, value, hint in [("issuer_kind", "企业", "政府"), ("adcode", "3a01", "行政区划代码"),
                              ("year", "2020-20x", "年份")]:
        response = client.get("/api/search", query_string={**Q, name: value})
        assert response.status_code == 400 and hint in response.get_json()["error"]["message"], (name, value)


def test_the_page_shows_the_new_facets_and_carries_them_into_its_links(client):
    page = client.get("/", query_string={"q": "法治", "city": "淄博"}).get_data(as_text=True)
    assert "发布主体" in page and "城市" in page and "区县" in page
    assert 'data-facet="adcode"' not in page  # codes stay in the API
    assert "city=%E6%B7%84%E5%8D%9A" in page  # the export and trend links keep the city filter


def test_the_query_language_has_the_same_filters(client):
    cases = [("city", "city", "淄博"), ("county", "county", "周村,沂源"), ("adcode", "adcode", "3703"),
             ("issuer", "issuer_kind", "党委"), ("城市", "city", "赤峰")]
    for field, param, value in cases:
        by_api = _total(client, **{param: value})
        by_language = client.get("/api/search", query_string={**Q, "q": f"法治 {field}:{value}"}).get_json()["total"]
        assert by_language == by_api > 0, (field, value)
