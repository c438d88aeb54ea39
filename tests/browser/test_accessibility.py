"""Every page for everyone (issue 16, item 9): axe-core (the npm package,
installed by scripts/test.sh) finds no violation on any page at a desktop
width and at 390 px; each page has one h1 and a skip link to its content;
on a small screen the results come first and the facets wait behind a toggle."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest

from govsearch.config import PROJECT_ROOT
from tests.conftest import seed_id

AXE = PROJECT_ROOT / ".venv" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (1280, 390)
PAGES = {
    "home": "/",
    "results": f"/?q={quote('法治')}",
    "filtered": f"/?q={quote('法治')}&level={quote('县级')}&trend=1",
    "concordance": f"/concordance?q={quote('法治政府')}",
    "report": f"/reports/{seed_id('002')}?q={quote('法治')}",
    "help": "/help",
    "distribution": f"/distribution?q={quote('法治')}",
    "distribution by level": f"/distribution?q={quote('营商环境')}&by=level",
    "diffusion": f"/diffusion?q={quote('法治')}&unit=county",
    "panel": f"/panel?terms={quote('法治|营商环境|双随机一公开')}",
    "candidates": "/candidates?min_reports=1",
    "collocates": f"/collocates?q={quote('监管')}",
    "keyness": f"/keyness?a={quote('year:2022')}&b={quote('level:县级')}",
    "compare": f"/reports/{seed_id('002')}/compare?with={seed_id('000')}",
    "issuer": "/issuers/" + quote("150821:政府"),
    "api docs": "/api/docs",
    "not found": "/reports/" + "0" * 40,
    "bad query": f"/?q={quote('year:1800')}",
}


@pytest.fixture()
def page(page_without_csp):
    return page_without_csp


def _violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in found]


def test_axe_core_is_installed():
    assert AXE.is_file() and Path(AXE).stat().st_size > 100_000


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_no_axe_violation_one_h1_and_a_skip_link(page, live_server, name, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server + PAGES[name])
    assert _violations(page) == [], (name, width)
    assert page.locator("h1").count() == 1, name
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.className, document.activeElement.getAttribute('href')]")
    assert focused == ["skip", "#main"], focused
    assert page.locator("main#main").count() == 1


def test_on_a_small_screen_results_come_first_and_facets_open_behind_a_toggle(page, live_server):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(live_server + PAGES["results"])
    first_hit = page.locator(".hit").first.bounding_box()
    assert first_hit and first_hit["y"] < 800  # the first result is on the first screen
    facets, toggle = page.locator("aside.facets"), page.locator("#facet-toggle")
    assert toggle.is_visible() and not facets.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert facets.is_visible() and toggle.get_attribute("aria-expanded") == "true"
    page.set_viewport_size({"width": 1280, "height": 900})
    assert facets.is_visible() and not toggle.is_visible()  # a wide screen shows both, no toggle
