"""The home page on the bundled corpus, in headless Chromium (issue 17,
item 7): the corpus at a glance - reports by year, level and province -
whose every row leads to just those reports, one example link per research
instrument, readable at 390 px and with no axe-core violation."""

from __future__ import annotations

from pathlib import Path

import pytest

from govsearch.index.build import ingest
from govsearch.index.bundled import BUNDLED_CORPUS, SEEDS_BASE
from govsearch.webui import create_app
from tests.browser.conftest import screenshot, serve
from tests.browser.test_accessibility import _violations

INSTRUMENTS = ("distribution", "diffusion", "panel", "collocates", "keyness", "candidates", "concordance", "trend")


@pytest.fixture(scope="module")
def bundled_server(tmp_path_factory):
    index_dir: Path = tmp_path_factory.mktemp("bundled-home") / "index"
    ingest(list(BUNDLED_CORPUS), index_dir, base=SEEDS_BASE)
    with serve(create_app(index_dir, TESTING=True)) as url:
        yield url


@pytest.fixture()
def page(page_without_csp):
    return page_without_csp


def test_the_glance_shows_years_levels_and_provinces_and_each_row_leads_to_its_reports(page, bundled_server):
    page.goto(bundled_server + "/")
    tables = page.locator("table.glance-table")
    assert [tables.nth(i).get_attribute("data-facet") for i in range(tables.count())] == ["year", "level", "province"]
    provinces = page.locator('table[data-facet="province"] tbody tr:not([data-value="none"])')
    assert provinces.count() >= 20
    assert page.locator('table[data-facet="year"] tbody tr:not([data-value="none"])').count() >= 10
    total = int(page.locator("#glance-total").inner_text())
    assert total >= 100
    screenshot(page, "home-glance")
    row = page.locator('table[data-facet="level"] tr[data-value="县级"]')
    count = int(row.locator(".count").inner_text())
    row.locator("a").click()
    page.wait_for_selector("#total")
    assert int(page.locator("#total").inner_text()) == count
    assert page.locator("#q").input_value() == "level:县级"


def test_one_example_link_per_instrument(page, bundled_server):
    page.goto(bundled_server + "/")
    items = page.locator(".instruments li")
    assert [items.nth(i).get_attribute("data-instrument") for i in range(items.count())] == list(INSTRUMENTS)
    for i in range(items.count()):
        link = items.nth(i).locator("a")
        assert link.is_visible() and link.inner_text().strip()
        assert link.get_attribute("href").startswith("/")
    page.locator('.instruments li[data-instrument="concordance"] a').click()
    page.wait_for_load_state()
    assert "/concordance?q=" in page.url and page.locator(".kwic tbody tr").count() >= 10


@pytest.mark.parametrize("width", (1280, 390))
def test_the_home_page_is_for_everyone_at_any_width(page, bundled_server, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(bundled_server + "/")
    assert _violations(page) == [], width
    assert page.locator("h1").count() == 1
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width  # nothing runs off the screen
    assert page.locator("#glance").is_visible() and page.locator("#instruments").is_visible()
    screenshot(page, f"home-glance-{width}")
