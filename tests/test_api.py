"""The JSON API and the HTML page over the seed index."""

from html.parser import HTMLParser

import pytest

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class BalanceChecker(HTMLParser):
    """Fails on an end tag that does not close the innermost open element."""

    def __init__(self):
        super().__init__()
        self.stack, self.errors = [], []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> while open: {self.stack[-3:]}")
        else:
            self.stack.pop()


def assert_well_formed(html: str):
    checker = BalanceChecker()
    checker.feed(html)
    checker.close()
    assert not checker.errors, checker.errors[:5]
    assert checker.stack == [], checker.stack


def test_api_search_contract(client):
    data = client.get("/api/search?q=营商环境").get_json()
    assert set(data) >= {"query", "total", "page", "per_page", "took_ms", "hits", "facets"}
    assert data["total"] == 4 and data["page"] == 1 and data["per_page"] == 10
    hit = data["hits"][0]
    assert set(hit) >= {"id", "title", "url", "publisher", "publish_date", "report_year", "level",
                        "province", "score", "snippets"}
    assert any("<mark>" in s for s in hit["snippets"])
    assert {"year", "level", "province"} <= set(data["facets"])
    assert all(set(f) == {"value", "count"} for f in data["facets"]["year"])


@pytest.mark.parametrize("query", [
    "", "?q=", "?q=法治&page=-1", "?q=法治&page=0", "?q=法治&per_page=100000", "?q=法治&per_page=abc",
    "?q=法治&year=abc", "?q=法治&level=不存在", "?q=法治&sort=random", "?q=" + "法" * 501,
])
def test_api_bad_input_is_400_json(client, query):
    response = client.get("/api/search" + query)
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"]["code"] == "bad_request" and body["error"]["message"]


def test_api_filters_and_paging(client):
    data = client.get("/api/search?q=法治政府&year=2022&per_page=1&page=2").get_json()
    assert data["total"] == 2 and len(data["hits"]) == 1
    data = client.get("/api/search?q=法治政府&year=2021,2024").get_json()
    assert sorted(h["report_year"] for h in data["hits"]) == [2021, 2024]


def test_api_report_and_404(client):
    hit = client.get("/api/search?q=蒙速办").get_json()["hits"][0]
    record = client.get(f"/api/reports/{hit['id']}").get_json()
    assert "蒙速办" in record["text"] and record["id"] == hit["id"]
    for bad in ("nope", "../../etc/passwd", "0" * 40):
        response = client.get(f"/api/reports/{bad}")
        assert response.status_code == 404 and response.get_json()["error"]
    assert client.get("/api/nothing-here").status_code == 404


def test_html_search_page(client):
    response = client.get("/?q=营商环境")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "共找到" in html and "<mark>营商环境</mark>" in html
    assert 'value="营商环境"' in html  # the query stays in the box
    assert "报告年度" in html and "行政层级" in html
    assert_well_formed(html)


def test_html_pages_are_well_formed(client):
    for url in ("/", "/?q=法治政府&year=2022", "/?q=", "/?q=法治&page=-1", "/?q=不存在的词语组合xyz"):
        response = client.get(url)
        assert response.status_code in (200, 400)
        assert_well_formed(response.get_data(as_text=True))
    hit = client.get("/api/search?q=法治").get_json()["hits"][0]
    assert_well_formed(client.get(f"/reports/{hit['id']}").get_data(as_text=True))


def test_html_error_shows_message_not_traceback(client):
    response = client.get("/?q=法治&page=-1")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "page" in html and "Traceback" not in html


def test_query_is_escaped_in_html(client):
    response = client.get("/?q=<script>alert(1)</script>")
    html = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_security_headers(client):
    response = client.get("/")
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]


def test_api_exact_mode_and_syntax_errors(client):
    data = client.get("/api/search", query_string={"q": "双随机、一公开", "exact": "1"}).get_json()
    assert data["total"] == 3 and data["sort"] == "occurrences"
    assert [h["occurrences"] for h in data["hits"]] == sorted((h["occurrences"] for h in data["hits"]), reverse=True)
    assert data["parsed"]["groups"] == [[{"text": "双随机、一公开", "exact": True}]]
    for params, message in (({"q": '"双随机'}, "引号不成对"), ({"q": "法治 foo:bar"}, "未知字段"),
                            ({"q": "法治", "exact": "maybe"}, "exact"), ({"q": "法治", "expand": "2"}, "expand")):
        response = client.get("/api/search", query_string=params)
        assert response.status_code == 400 and message in response.get_json()["error"]["message"]


def test_api_section_scope_and_expand(client):
    data = client.get("/api/search", query_string={"q": "section:shortcomings 执法人员"}).get_json()
    assert data["total"] >= 1
    assert all(any(s["kind"] == "shortcomings" for s in h["sections"]) for h in data["hits"])
    expanded = client.get("/api/search", query_string={"q": "放管服", "expand": "1"}).get_json()
    assert len(expanded["parsed"]["groups"][0]) > 1


def test_html_modes_are_kept_and_errors_shown(client):
    html = client.get("/", query_string={"q": "蒙速办", "exact": "1"}).get_data(as_text=True)
    assert 'id="exact" checked' in html and "出现" in html
    assert_well_formed(html)
    response = client.get("/", query_string={"q": '"双随机'})
    assert response.status_code == 400 and "引号不成对" in response.get_data(as_text=True)
    empty = client.get("/", query_string={"q": "完全不存在的词语组合"}).get_data(as_text=True)
    assert "精确查找" in empty and "没有找到" in empty
