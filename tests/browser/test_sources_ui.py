"""One report as a source in headless Chromium (issue 18): the compare
page, the 引用 button and its copy, and the archived copy of a crawled page
whose scripts and outside requests must not run - with screenshots in
test-artifacts/browser."""

from __future__ import annotations

import json
import urllib.request

import pytest

from govsearch.config import PROJECT_ROOT, SEEDS_DIR
from govsearch.index.build import ingest
from govsearch.search.engine import Engine
from govsearch.webui import create_app
from tests import archive_site
from tests import issuer_reports as gen
from tests.browser.conftest import screenshot, serve


@pytest.fixture(scope="module")
def issuer_server(tmp_path_factory):
    """(base URL, name → id) over the seeds and the generated county reports."""
    folder = tmp_path_factory.mktemp("ui-issuer") / "reports"
    paths = gen.write_reports(folder)
    index_dir = tmp_path_factory.mktemp("ui-issuer-index") / "index"
    ingest([SEEDS_DIR, folder], index_dir, base=PROJECT_ROOT)
    records = Engine(index_dir).stored_reports()
    ids = {name: next(r["id"] for r in records if r["source"].endswith(path.name)) for name, path in paths.items()}
    with serve(create_app(index_dir, TESTING=True)) as base:
        yield base, ids


@pytest.fixture(scope="module")
def archive_server(tmp_path_factory):
    crawled = archive_site.crawl(tmp_path_factory.mktemp("ui-archive"))
    try:
        with serve(create_app(crawled.index, TESTING=True)) as base:
            yield base, crawled
    finally:
        crawled.server.stop()


def api(base: str, path: str) -> dict:
    with urllib.request.urlopen(base + path, timeout=10) as response:
        return json.load(response)


def test_the_compare_page_shows_what_is_new_gone_and_kept(page, issuer_server):
    base, ids = issuer_server
    page.goto(f"{base}/reports/{ids['gov-2023']}")
    page.click("#compare-previous")  # the default: the issuer's previous year
    page.wait_for_url(f"**/reports/{ids['gov-2023']}/compare")
    answer = api(base, f"/api/reports/{ids['gov-2023']}/compare")
    assert page.locator("#n-new").inner_text() == str(answer["sentences"]["new"])
    assert page.locator("#n-gone").inner_text() == str(answer["sentences"]["gone"])
    assert page.locator(".sentences.new li").all_inner_texts() == [gen.ADDED]
    assert page.locator(".sentences.gone li").all_inner_texts() == [gen.GONE]
    assert "蒙速办" in page.locator("#measures-new").inner_text()
    page.locator("section[data-kind=measures] details summary").click()
    assert gen.REWORDED[0] in page.locator("section[data-kind=measures] table.pairs").inner_text()
    screenshot(page, "compare")


def test_the_cite_button_shows_every_style_and_copies_one(browser, issuer_server):
    base, ids = issuer_server
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    page = context.new_page()
    try:
        page.goto(f"{base}/reports/{ids['gov-2022']}")
        assert not page.locator("#cite-gbt7714").is_visible()
        page.click("#cite-button")
        citations = api(base, f"/api/reports/{ids['gov-2022']}")["citations"]
        for style in ("gbt7714", "bibtex", "ris"):
            assert page.locator(f"#cite-{style}").inner_text().strip() == citations[style].strip(), style
        assert json.loads(page.locator("#cite-csl").inner_text()) == citations["csl"]
        button = page.locator('button[data-copy="cite-gbt7714"]')
        button.click()
        page.wait_for_function("() => document.querySelector('button[data-copy=\"cite-gbt7714\"]')"
                               ".textContent === '已复制'")
        assert page.evaluate("() => navigator.clipboard.readText()") == citations["gbt7714"]
        assert page.locator("#permalink").inner_text() == f"{base}/reports/{ids['gov-2022']}"
        screenshot(page, "cite")
    finally:
        context.close()


def test_the_archived_copy_runs_no_script_and_calls_nowhere(page, archive_server):
    base, crawled = archive_server
    (record,) = [r for r in Engine(crawled.index).stored_reports() if r["url"].endswith(archive_site.SCRIPTED)]
    crawled.server.clear()
    page.goto(f"{base}/reports/{record['id']}")
    with page.expect_navigation():
        page.click("#archived-link")
    page.wait_for_load_state("networkidle")
    assert page.title() != "SCRIPT-RAN" and page.evaluate("() => document.body.getAttribute('data-ran')") is None
    assert "法治" in page.locator("h1").inner_text()  # the captured page itself, shown
    assert crawled.calls() == []  # no image, stylesheet, script or fetch reached the site
    with urllib.request.urlopen(f"{base}/reports/{record['id']}/archived", timeout=10) as response:
        assert response.read() == crawled.served(archive_site.SCRIPTED)
    screenshot(page, "archived")
    # The control: the same page from its own site runs its script and calls out.
    page.goto(crawled.server.url(archive_site.SCRIPTED))
    page.wait_for_load_state("networkidle")
    assert page.title() == "SCRIPT-RAN" and set(crawled.calls()) == set(archive_site.CALLS)
