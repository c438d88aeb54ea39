"""Paging (issue 16, item 4): every paged JSON answer carries ``next`` and
``prev``, null at the ends; following ``next`` from the first page visits
every hit (or concordance line) once, and ``prev`` walks back."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit


def _walk(client, first: str, key: str, direction: str = "next") -> tuple[list[dict], list[dict]]:
    """(items, pages) following one link from ``first`` until it is null."""
    items, pages, url = [], [], first
    while url:
        response = client.get(url)
        assert response.status_code == 200, (url, response.get_data(as_text=True)[:300])
        page = response.get_json()
        pages.append(page)
        items.extend(page[key])
        url = page[direction]
        assert len(pages) < 50
    return items, pages


def test_following_next_visits_every_hit_once_and_prev_walks_back(client):
    everything = client.get("/api/search?q=%E6%B3%95%E6%B2%BB&per_page=100&collapse=0").get_json()
    hits, pages = _walk(client, "/api/search?q=%E6%B3%95%E6%B2%BB&per_page=2&collapse=0", "hits")
    assert len(pages) == 3 and pages[0]["prev"] is None and pages[-1]["next"] is None
    assert sorted(h["id"] for h in hits) == sorted(h["id"] for h in everything["hits"])
    assert len(hits) == everything["total"] == 5
    back, _ = _walk(client, pages[-2]["next"], "hits", "prev")  # from the last page
    assert [h["id"] for h in back] == [h["id"] for p in reversed(pages) for h in p["hits"]]


def test_links_keep_the_filters_and_name_page_once(client):
    data = client.get("/api/search", query_string={"q": "法治", "province": "山东,内蒙古", "per_page": "1",
                                                    "collapse": "0"}).get_json()
    query = parse_qs(urlsplit(data["next"]).query)
    assert urlsplit(data["next"]).path == "/api/search"
    assert query == {"q": ["法治"], "province": ["山东,内蒙古"], "per_page": ["1"], "collapse": ["0"], "page": ["2"]}
    assert client.get(data["next"]).status_code == 200  # strict parameters take it back


def test_a_page_past_the_end_points_back_to_the_last(client):
    data = client.get("/api/search?q=%E6%B3%95%E6%B2%BB&per_page=2&page=9&collapse=0").get_json()
    assert data["hits"] == [] and data["next"] is None
    assert parse_qs(urlsplit(data["prev"]).query)["page"] == ["3"]
    single = client.get("/api/search?q=%E6%B3%95%E6%B2%BB&per_page=100").get_json()
    assert single["next"] is None and single["prev"] is None


def test_the_concordance_pages_the_same_way(client):
    whole = client.get("/api/concordance?q=%E6%B3%95%E6%B2%BB%E6%94%BF%E5%BA%9C&per_page=100").get_json()
    assert 10 < whole["total"] <= 100
    lines, pages = _walk(client, "/api/concordance?q=%E6%B3%95%E6%B2%BB%E6%94%BF%E5%BA%9C&per_page=7", "lines")
    assert len(pages) == -(-whole["total"] // 7)
    assert [(x["id"], x["position"]) for x in lines] == [(x["id"], x["position"]) for x in whole["lines"]]
