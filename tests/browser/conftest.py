"""A live server and headless Chromium (Debian's, driven by Playwright)."""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path

import pytest
import waitress
from playwright.sync_api import sync_playwright

from govsearch.config import PROJECT_ROOT, SEEDS_DIR
from govsearch.index.build import ingest
from govsearch.webui import create_app
from tests.conftest import free_port, seed_path

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "browser"
# Without these Chromium keeps dialling Google services this machine cannot reach.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# A report whose text tries every way into the page; it must show as text.
XSS_PAYLOADS = ("<script>alert(1)</script>", "<img src=x onerror=alert(2)>", '"><svg onload=alert(3)>')
XSS_WORD = "蜂鸟计划"  # a word only this report contains
XSS_REPORT = f"""测试县人民政府关于2023年度法治政府建设情况的报告{XSS_PAYLOADS[0]}
2023年，测试县坚持依法行政，推进{XSS_WORD}{XSS_PAYLOADS[0]}落地见效。
一、主要工作举措
（一）推进{XSS_WORD}。全县开展{XSS_PAYLOADS[1]}专项行动，{XSS_WORD}覆盖全部乡镇。
（二）规范执法。{XSS_PAYLOADS[2]}执法人员全面持证上岗，{XSS_WORD}纳入考核。
二、存在的不足
部分单位对{XSS_WORD}认识不足，'; alert(4); //。
三、下一步工作安排
继续深化{XSS_WORD}，javascript:alert(5) 也要原样显示。
测试县人民政府
2024年1月10日
"""


@contextlib.contextmanager
def serve(app):
    """The app on a free local port, in a background thread."""
    port = free_port()
    server = waitress.create_server(app, host="127.0.0.1", port=port, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()


@pytest.fixture(scope="session")
def live_server(app):
    with serve(app) as url:
        yield url


@pytest.fixture(scope="session")
def extra_index(tmp_path_factory) -> Path:
    """The seeds plus a hostile report and a near-duplicate of seed 002."""
    extra = tmp_path_factory.mktemp("extra-reports")
    (extra / "xss_report.txt").write_text(XSS_REPORT, encoding="utf-8")
    lines = seed_path("002").read_text(encoding="utf-8").split("\n")
    lines[4] += "（转载）"
    (extra / "copy_of_002.txt").write_text("\n".join(lines), encoding="utf-8")
    index_dir = tmp_path_factory.mktemp("extra-index") / "index"
    summary = ingest([SEEDS_DIR, extra], index_dir, base=PROJECT_ROOT)
    assert summary.counts()["added"] == 7, summary.outcomes
    return index_dir


@pytest.fixture(scope="session")
def extra_server(extra_index):
    with serve(create_app(extra_index, TESTING=True)) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture()
def page_without_csp(browser):
    """A page whose CSP lets a test inject axe-core (the site's own CSP allows no inline script)."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def screenshot(page, name: str, full_page: bool = True) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
