"""The search page as a person uses it, in headless Chromium."""

from tests.browser.conftest import screenshot


def test_type_query_see_results_and_facets(page, live_server):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda dialog: errors.append(f"dialog: {dialog.message}") or dialog.dismiss())
    page.goto(live_server + "/")
    screenshot(page, "01-home")
    page.keyboard.press("/")  # the shortcut focuses the box
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("营商环境")
    page.keyboard.press("Enter")
    page.wait_for_selector(".hit")
    assert page.locator("#total").inner_text() == "4"
    assert page.locator(".hit").count() == 4
    assert page.locator(".hit mark").first.inner_text() == "营商环境"
    assert page.input_value("#q") == "营商环境"
    screenshot(page, "02-results")

    year = page.locator('.facet[data-facet="year"] a[data-value="2022"]')
    expected = int(year.locator(".count").inner_text())
    year.click()
    page.wait_for_url("**year=2022**")
    assert int(page.locator("#total").inner_text()) == expected == 2
    assert page.locator('.facet[data-facet="year"] a.on').count() == 1
    screenshot(page, "03-year-facet")

    page.locator(".hit h3 a").first.click()
    page.wait_for_selector(".report h1")
    assert "法治政府建设" in page.locator(".report h1").inner_text()
    assert page.locator(".metadata").count() == 1
    screenshot(page, "04-report")
    assert errors == []


def test_phone_width_layout(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    page.goto(live_server + "/?q=法治政府")
    page.wait_for_selector(".hit")
    # Nothing wider than the screen: no horizontal scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "05-phone")
    context.close()


def test_bad_query_shows_message(page, live_server):
    page.goto(live_server + "/?q=法治&page=-1")
    assert "page" in page.locator(".error").inner_text()
