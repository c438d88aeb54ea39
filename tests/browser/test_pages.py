"""The research pages as HTML, without a browser: structure, consistency with
the JSON twins, escaping and errors (fast checks next to the browser tests)."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from govsearch.webui import create_app, views
from tests.browser.conftest import XSS_WORD
from tests.test_api import assert_well_formed


def html_of(client, url, status=200, **params) -> str:
    response = client.get(url, query_string=params)
    assert response.status_code == status, url
    html = response.get_data(as_text=True)
    assert_well_formed(html)
    return html


def test_concordance_page_matches_its_json_twin(client):
    data = client.get("/api/concordance", query_string={"q": "营商环境", "per_page": 100}).get_json()
    html = html_of(client, "/concordance", q="营商环境")
    assert f'id="kwic-total">{data["total"]}<' in html and f'id="kwic-reports">{data["reports"]}<' in html
    assert html.count("<tr><td class=\"title\">") == data["total"]
    matches = re.findall(r'<td class="match"><mark>(.*?)</mark>', html)
    assert matches == [line["match"] for line in data["lines"]]
    csv_link = unescape(re.search(r'id="kwic-csv" href="([^"]+)"', html).group(1))
    assert csv_link.startswith("/api/concordance?") and "format=csv" in csv_link and "q=" in csv_link
    assert client.get(csv_link).get_data(as_text=True).count("\n") == data["total"] + 1
    paged = html_of(client, "/concordance", q="营商环境", per_page=5, page=2, sort="right", year="2022")
    assert 'rel="prev"' in paged and 'class="on" data-sort="right"' in paged


@pytest.mark.parametrize("params, message", [
    ({"q": '"双随机'}, "引号不成对"), ({"q": "法治", "sort": "random"}, "排序"),
    ({"q": "法治", "width": "1"}, "width"), ({"q": "法治", "year": "abc"}, "年"),
])
def test_concordance_errors_are_400_with_message(client, params, message):
    html = html_of(client, "/concordance", status=400, **params)
    assert message in html and 'class="error"' in html


def test_report_marks_agree_with_the_concordance(client):
    data = client.get("/api/concordance", query_string={"q": "营商环境", "per_page": 100}).get_json()
    per_report = {}
    for line in data["lines"]:
        per_report[line["id"]] = per_report.get(line["id"], 0) + 1
    for report_id, count in per_report.items():
        html = html_of(client, f"/reports/{report_id}", q="营商环境")
        ids = re.findall(r'<mark id="m(\d+)">', html)
        assert ids == [str(i) for i in range(1, count + 1)]
        assert f"共 {count} 处" in html
    # Every concordance line links to its own mark.
    html = html_of(client, "/concordance", q="营商环境", sort="left")
    links = re.findall(r'href="/reports/([0-9a-f]{40})\?q=[^"#]*#m(\d+)"', html)
    assert len(links) == data["total"]
    assert all(1 <= int(n) <= per_report[rid] for rid, n in links)


def test_report_page_sections_versions_and_bad_query(client):
    hit = client.get("/api/search?q=法治政府").get_json()["hits"][0]
    record = client.get(f"/api/reports/{hit['id']}").get_json()
    html = html_of(client, f"/reports/{hit['id']}")
    assert "<mark" not in html and 'id="hitnav"' not in html
    for i in range(1, len(record["sections"]) + 1):
        assert f'href="#sec-{i}"' in html and f'id="sec-{i}"' in html
    html = html_of(client, f"/reports/{hit['id']}", q='"法治')
    assert "引号不成对" in html and "<mark" not in html
    html = html_of(client, f"/reports/{hit['id']}", q="xyzzyq")
    assert "正文中没有出现" in html


def test_results_page_links_and_trend(client):
    html = html_of(client, "/", q="营商环境", year="2022", exact="1")
    export = urlsplit(unescape(re.search(r'id="export-csv" href="([^"]+)"', html).group(1)))
    assert export.path == "/api/export"
    assert parse_qs(export.query) == {"q": ["营商环境"], "exact": ["1"], "year": ["2022"], "format": ["csv"]}
    assert 'id="concordance-link" href="/concordance?q=' in html
    assert re.search(r'<h3><a href="/reports/[0-9a-f]{40}\?q=[^"]+&amp;exact=1">', html)
    # The trend ignores the year selection, like the year facet, and equals its JSON twin.
    rows = client.get("/api/trend", query_string={"q": "营商环境", "exact": "1"}).get_json()["years"]
    table = re.findall(r'<tr><th scope="row">(\d+|未识别)</th><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td>', html)
    assert [(None if row[0] == "未识别" else int(row[0]), *map(int, row[1:])) for row in table] == [
        (r["year"], r["reports"], r["occurrences"], r["total"]) for r in rows]
    assert html.count('class="bar on"') == 1 and html.count('class="bar"') == len(rows) - 1


def test_trend_waits_for_a_click_when_expensive(client, monkeypatch):
    monkeypatch.setattr(views, "TREND_INLINE_MAX", 1)
    html = html_of(client, "/", q="法治政府")
    assert 'id="trend-link"' in html and 'class="trend"' not in html
    assert 'class="trend"' in html_of(client, "/", q="法治政府", trend="1")


def test_selected_facet_value_stays_listed_when_empty(client):
    html = html_of(client, "/", q="营商环境", year="2021")
    assert "没有找到" in html
    assert re.search(r'class="on" aria-current="true"[^>]*data-value="2021"', html)


@pytest.fixture(scope="module")
def extra_client(extra_index):
    return create_app(extra_index, TESTING=True).test_client()


def test_hostile_text_is_escaped_everywhere(extra_client):
    hit = extra_client.get("/api/search", query_string={"q": XSS_WORD}).get_json()["hits"][0]
    pages = [html_of(extra_client, "/", q=XSS_WORD), html_of(extra_client, "/concordance", q=XSS_WORD, width=60),
             html_of(extra_client, f"/reports/{hit['id']}", q=XSS_WORD)]
    for html in pages:
        assert "<script>alert" not in html and "<img src=x" not in html and "<svg onload" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in pages[2]
    assert "&#34;&gt;&lt;svg onload=alert(3)&gt;" in pages[2] or "&quot;&gt;&lt;svg onload=alert(3)&gt;" in pages[2]


def test_duplicates_note_and_expansion(extra_client):
    html = html_of(extra_client, "/", q="周村区")
    assert "另有 1 个相同/相似版本" in html and "collapse=0" in html
    expanded = html_of(extra_client, "/", q="周村区", collapse="0")
    assert 'id="collapse-off"' in expanded and 'class="tag"' in expanded
    assert 'id="total">2<' in expanded


def test_trend_without_report_years_says_so(extra_client):
    html = html_of(extra_client, "/", q="梯次创建")  # only seed 004, a news feature, has it: no report year
    assert 'id="trend"' in html and "无法按年度统计" in html and "<svg" not in html
