"""The research instruments in headless Chromium: the distribution map
(at desktop width and at 390 px), a tile that opens its province's results,
the diffusion curve and table, the panel's downloads - each checked
against the JSON twin, with screenshots in test-artifacts/browser."""

from __future__ import annotations

import csv
import io
import json
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.browser.conftest import screenshot


def api(base: str, path: str) -> dict:
    with urllib.request.urlopen(base + path, timeout=10) as response:
        return json.load(response)


@pytest.mark.parametrize("width", [1280, 390])
def test_the_map_shades_every_province_by_its_share_and_fits_the_screen(page, live_server, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server}/distribution?q={quote('法治')}&by=province,year")
    tiles = page.locator("#tilemap .tile")
    assert tiles.count() == 34
    rows = api(live_server, f"/api/distribution?q={quote('法治')}&by=province")["rows"]
    for row in rows:
        if row["province"] is None:
            continue
        tile = page.locator(f'#tilemap a[data-province="{row["province"]}"]')
        assert tile.count() == 1, row
        assert (int(tile.get_attribute("data-reports")), int(tile.get_attribute("data-total"))) \
            == (row["reports"], row["total"])
        assert f"{row['total']} 篇报告中 {row['reports']} 篇提及" in tile.inner_text()
    shaded = page.locator("#tilemap a.tile")
    assert shaded.count() == sum(1 for r in rows if r["province"])
    # Nothing sticks out of the page: no horizontal scrolling at either width.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    box = page.locator("#tilemap").bounding_box()
    assert box["width"] <= width
    screenshot(page, f"distribution-map-{width}")


def test_a_tile_opens_its_province_results_and_the_pivot_matches_the_api(page, live_server):
    page.goto(f"{live_server}/distribution?q={quote('营商环境')}&by=province,year")
    cells = api(live_server, f"/api/distribution?q={quote('营商环境')}&by=province,year")["rows"]
    assert page.locator("#pivot tbody tr").count() == len({c["province"] for c in cells})
    tile = page.locator("#tilemap a.tile").first
    name = tile.get_attribute("data-province")
    expected = sum(c["reports"] for c in cells if c["province"] == name)
    tile.click()
    page.wait_for_selector("#total")
    assert int(page.locator("#total").inner_text()) == expected
    assert "province=" in page.url


def test_the_year_control_filters_the_map(page, live_server):
    page.goto(f"{live_server}/distribution?q={quote('法治')}")
    page.select_option("#map-year", "2022")
    page.click(".instrument-form button[type=submit]")
    page.wait_for_url("**year=2022**")
    rows = api(live_server, f"/api/distribution?q={quote('法治')}&year=2022")["rows"]
    assert page.locator("#tilemap a.tile").count() == sum(1 for r in rows if r["province"])


def test_the_diffusion_curve_and_table(page, live_server):
    page.goto(f"{live_server}/diffusion?q={quote('法治')}&unit=county")
    answer = api(live_server, f"/api/diffusion?q={quote('法治')}&unit=county")
    assert page.locator("#curve circle.dot").count() == len(answer["curve"]) >= 2
    assert page.locator("#places tbody tr").count() == answer["total"] == int(page.locator("#adopters").inner_text())
    first = page.locator("#places tbody tr").first.locator("td").first.inner_text()
    assert int(first) == answer["places"][0]["first_year"]
    screenshot(page, "diffusion-curve")
    page.click('a[data-order="place"]')
    page.wait_for_url("**order=place**")
    shown = page.locator("#places tbody th").all_inner_texts()
    assert shown == sorted(shown)


def test_the_panel_downloads_what_it_previews(page, live_server):
    terms = "法治|营商环境|双随机一公开"
    page.goto(f"{live_server}/panel")
    page.fill("#terms", terms)
    page.click(".panel-form button[type=submit]")
    page.wait_for_selector("#panel-total")
    answer = api(live_server, f"/api/panel?terms={quote(terms)}")
    assert int(page.locator("#panel-total").inner_text()) == answer["total"] == 5
    with page.expect_download() as info:
        page.click("text=下载 CSV")
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8-sig"))))
    assert [int(r["法治"]) for r in rows] == [r["法治"] for r in answer["rows"]]
    totals = page.locator("#panel-totals tbody tr").first.locator("td").all_inner_texts()
    assert int(totals[1]) == sum(r["法治"] for r in answer["rows"])
    screenshot(page, "panel")


def test_collocates_are_a_tab_of_the_concordance_and_a_word_opens_its_lines(page, live_server):
    page.goto(f"{live_server}/concordance?q={quote('监管')}")
    page.click("#to-collocates")
    page.wait_for_selector("#collocates")
    answer = api(live_server, f"/api/collocates?q={quote('监管')}")
    words = page.locator("#collocates tbody th").all_inner_texts()
    assert words == [row["word"] for row in answer["collocates"]] and "双随机一公开" in words
    screenshot(page, "collocates")
    row = answer["collocates"][0]
    page.click(f'#collocates a[data-word="{row["word"]}"]')
    page.wait_for_selector("#kwic-near")
    total = int(page.locator("#kwic-total").inner_text())
    assert total >= row["freq"] >= 1  # every line holding the word nearby; a line may hold it twice
    contexts = page.locator("table.kwic tbody tr").evaluate_all(
        "rows => rows.map(r => r.querySelector('.left').innerText + '|' + r.querySelector('.right').innerText)")
    assert contexts and all(row["word"] in c.replace("、", "") for c in contexts)


def test_keyness_compares_two_queries(page, live_server):
    page.goto(f"{live_server}/keyness")
    page.fill("#side-a", "year:2022")
    page.fill("#side-b", "year:2021 OR year:2024")
    page.fill("#side-b", "level:县级")
    page.click(".instrument-form button[type=submit]")
    page.wait_for_selector("#side-a-reports")
    answer = api(live_server, f"/api/keyness?a={quote('year:2022')}&b={quote('level:县级')}")
    assert int(page.locator("#side-a-reports").inner_text()) == answer["a"]["reports"] == 2
    assert int(page.locator("#side-b-reports").inner_text()) == answer["b"]["reports"]
    assert page.locator("#keyness-over tbody th").all_inner_texts() == [r["word"] for r in answer["over"]]
    assert page.locator("#keyness-under tbody th").all_inner_texts() == [r["word"] for r in answer["under"]]
    screenshot(page, "keyness")
