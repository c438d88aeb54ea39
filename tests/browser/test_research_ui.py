"""Research features in headless Chromium: facets, trend, report highlights,
concordance, export, exact mode, near-duplicates, and hostile report text."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from govsearch.search.export import COLUMNS
from tests.browser.conftest import XSS_PAYLOADS, XSS_WORD, screenshot


@pytest.fixture()
def watched(page):
    """The page, failing the test on any script error or dialog."""
    problems = []
    page.on("pageerror", lambda exc: problems.append(f"error: {exc}"))
    page.on("dialog", lambda dialog: problems.append(f"dialog: {dialog.message}") or dialog.dismiss())
    yield page
    assert problems == []


def search(page, base: str, query: str, exact: bool = False):
    page.goto(base + "/")
    page.fill("#q", query)
    if exact:
        page.check("#exact")
    page.press("#q", "Enter")
    page.wait_for_selector("#total")


def total(page) -> int:
    return int(page.locator("#total").inner_text())


def titles(page) -> list[str]:
    return page.locator(".hit h3 a").all_inner_texts()


def in_viewport(page, selector: str) -> bool:
    return page.evaluate("""s => { const r = document.querySelector(s).getBoundingClientRect();
        return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0; }""", selector)


def test_year_facets_combine_with_or_and_trend(watched, live_server):
    page = watched
    search(page, live_server, "营商环境")
    everything, all_titles = total(page), titles(page)
    # The trend: one bar per report year, and the same numbers in a table.
    assert page.locator("svg.chart .bar").count() == page.locator(".trend-data tbody tr").count() >= 2
    page.click(".trend-data summary")
    assert page.locator(".trend-data table").is_visible()
    year = page.locator('.facet[data-facet="year"] a[data-value="2022"]')
    expected = int(year.locator(".count").inner_text())
    year.click()
    page.wait_for_url("**year=2022**")
    assert total(page) == expected < everything and titles(page) != all_titles
    assert page.locator('.facet[data-facet="year"] a.on .label').all_inner_texts() == ["✓2022年"]
    page.locator('.facet[data-facet="year"] a[data-value="2024"]').click()
    page.wait_for_url("**year=2024**")
    assert expected < total(page) <= everything
    selected = page.locator('.facet[data-facet="year"] a.on')
    assert sorted(selected.evaluate_all("els => els.map(e => e.dataset.value)")) == ["2022", "2024"]
    assert page.locator("svg.chart .bar.on").count() == 2  # the chart marks the chosen years
    screenshot(page, "10-two-years")
    # 清除 drops the whole facet.
    page.locator('.facet[data-facet="year"] h2 .clear').click()
    page.wait_for_selector("#total")
    assert total(page) == everything


def test_report_highlights_and_match_navigation(watched, live_server):
    page = watched
    search(page, live_server, "营商环境")
    page.locator(".hit h3 a").first.click()
    page.wait_for_selector(".report h1")
    assert "q=" in page.url
    marks = page.locator(".fulltext mark")
    n = marks.count()
    assert n >= 2 and "营商环境" in marks.all_inner_texts()
    assert marks.evaluate_all("els => els.map(e => e.id)") == [f"m{i}" for i in range(1, n + 1)]
    assert page.locator("#mark-counter").inner_text() == f"共 {n} 处"
    page.click("#next-mark")
    assert page.locator("#mark-counter").inner_text() == f"第 1/{n} 处"
    page.click("#next-mark")
    assert page.locator("#mark-counter").inner_text() == f"第 2/{n} 处"
    assert page.locator("mark.current").get_attribute("id") == "m2"
    assert in_viewport(page, "#m2") and page.url.endswith("#m2")
    screenshot(page, "11-report-next-match", full_page=False)
    page.click("#prev-mark")
    page.click("#prev-mark")  # wraps round to the last one
    assert page.locator("#mark-counter").inner_text() == f"第 {n}/{n} 处"
    assert in_viewport(page, f"#m{n}")
    page.keyboard.press("n")
    assert page.locator("#mark-counter").inner_text() == f"第 1/{n} 处"
    # The table of contents jumps to the headings in the text.
    toc = page.locator(".toc a").first
    target = toc.get_attribute("href")
    toc.click()
    assert page.url.endswith(target) and in_viewport(page, target)


def test_concordance_lines_and_sort(watched, live_server):
    page = watched
    search(page, live_server, "营商环境")
    page.click("#concordance-link")
    page.wait_for_selector("table.kwic")
    lines = int(page.locator("#kwic-total").inner_text())
    reports = int(page.locator("#kwic-reports").inner_text())
    assert lines >= reports == total_of(page, live_server, "营商环境")
    rows = page.locator("table.kwic tbody tr")
    assert rows.count() == lines  # one page holds them all
    matches = set(page.locator("table.kwic td.match mark").all_inner_texts())
    assert "营商环境" in matches and all(m in "营商环境" for m in matches)  # the phrase, or one of its words
    screenshot(page, "12-concordance")
    page.click('.sorts a[data-sort="left"]')
    page.wait_for_url("**sort=left**")
    assert page.locator(".sorts a.on").inner_text() == "按左侧语境"
    lefts = page.locator("table.kwic td.left").all_text_contents()
    api = page.request.get(f"{live_server}/api/concordance",
                           params={"q": "营商环境", "sort": "left", "per_page": lines}).json()
    assert lefts == [line["left"] for line in api["lines"]]  # the API's order (tests/test_context_sort checks it)
    # A line opens its report at that very occurrence.
    link = page.locator("table.kwic td.title a").first
    mark = link.get_attribute("href").rsplit("#", 1)[1]
    link.click()
    page.wait_for_selector(".report h1")
    assert page.locator("mark.current").get_attribute("id") == mark
    assert in_viewport(page, f"#{mark}")


def total_of(page, base: str, query: str) -> int:
    return page.request.get(f"{base}/api/search", params={"q": query}).json()["total"]


def test_concordance_bad_query_is_400(page, live_server):
    response = page.goto(live_server + '/concordance?q="双随机')
    assert response.status == 400 and "引号不成对" in page.locator(".error").inner_text()


def test_export_csv_from_results(watched, live_server):
    page = watched
    search(page, live_server, "法治政府")
    with page.expect_download() as info:
        page.click("#export-csv")
    data = Path(info.value.path()).read_bytes()
    assert data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == total(page) == 5
    assert tuple(rows[0]) == COLUMNS
    assert {r["title"] for r in rows} >= {t for t in titles(page)}
    assert info.value.suggested_filename.endswith(".csv")
    assert page.locator("#export-jsonl").get_attribute("href").endswith("format=jsonl")


def test_exact_mode_ranks_by_occurrences(watched, live_server):
    page = watched
    search(page, live_server, "双随机、一公开", exact=True)
    assert "exact=1" in page.url and page.is_checked("#exact")
    counts = [int(re.search(r"\d+", t).group()) for t in page.locator(".hit .occurrences").all_inner_texts()]
    assert len(counts) == total(page) >= 2
    assert counts == sorted(counts, reverse=True)
    assert page.locator(".sorts a.on").inner_text() == "出现次数"
    screenshot(page, "13-exact-mode")


def test_near_duplicates_expand_and_versions(watched, extra_server):
    page = watched
    search(page, extra_server, "周村区")
    assert total(page) == 1
    note = page.locator(".hit .duplicates")
    assert "另有 1 个相同/相似版本" in note.inner_text()
    note.locator("a").click()
    page.wait_for_url("**collapse=0**")
    assert total(page) == 2 and page.locator("#collapse-off").is_visible()
    screenshot(page, "14-all-versions")
    page.locator(".hit h3 a").first.click()
    page.wait_for_selector(".versions")
    assert page.locator(".versions li").count() == 1
    page.locator(".versions a").first.click()
    page.wait_for_selector(".report h1")
    assert page.locator(".fulltext mark").count() >= 1  # the version link keeps the query
    page.go_back()
    page.go_back()
    page.click("#collapse-off a")
    page.wait_for_selector("#total")
    assert total(page) == 1


def test_hostile_report_text_stays_text(watched, extra_server):
    page = watched
    search(page, extra_server, XSS_WORD)
    assert total(page) == 1
    assert XSS_PAYLOADS[0] in page.locator(".hit h3 a").inner_text()
    assert XSS_PAYLOADS[0] in page.locator(".hit .snippet").first.inner_text()
    screenshot(page, "15-xss-results")
    page.locator(".hit h3 a").first.click()
    page.wait_for_selector(".fulltext mark")
    body = page.locator(".fulltext").inner_text()
    for payload in XSS_PAYLOADS:
        assert payload in body
    assert page.locator(".fulltext mark").count() == 6
    assert page.locator("img, svg, .fulltext script").count() == 0
    screenshot(page, "16-xss-report")
    page.go_back()
    page.click("#concordance-link")
    page.wait_for_selector("table.kwic")
    page.click('.widths a:text("60 字")')  # wider context reaches every payload
    page.wait_for_url("**width=60**")
    text = page.locator("table.kwic").inner_text()
    assert XSS_PAYLOADS[0] in text and "onerror=alert(2)" in text
    assert page.locator("table.kwic img, table.kwic svg, table.kwic script").count() == 0
    screenshot(page, "17-xss-concordance")
    # The payload as the query itself, on every page that echoes it.
    for path in ("/", "/concordance"):
        page.goto(extra_server + path + "?q=" + XSS_PAYLOADS[1])
        assert page.locator("main img").count() == 0
    page.goto(extra_server + "/?q=" + XSS_PAYLOADS[2] + XSS_WORD)
    assert page.input_value("#q") == XSS_PAYLOADS[2] + XSS_WORD


def test_phone_width_research_pages(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    shots = (("18-phone-results", "/?q=营商环境&year=2022"), ("19-phone-concordance", "/concordance?q=营商环境"),
             ("20-phone-report", None))
    for name, path in shots:
        if path is None:
            page.goto(live_server + "/?q=营商环境")
            page.locator(".hit h3 a").first.click()
            page.wait_for_selector(".report h1")
            page.click("#next-mark")
        else:
            page.goto(live_server + path)
        if page.locator(".trend-data summary").count():
            page.click(".trend-data summary")  # the open data table fits too
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
        screenshot(page, name, full_page=name != "20-phone-report")
    context.close()
