"""Hostile document text and queries come out escaped on every page and in snippets."""

from __future__ import annotations

import pytest

from govsearch.config import SEEDS_DIR
from govsearch.index.build import ingest
from govsearch.webui import create_app

PAYLOADS = ["<script>alert(1)</script>", "<img src=x onerror=alert(2)>", '"><svg onload=alert(3)>']
REPORT = ("某县人民政府2023年度法治政府建设情况报告\n"
          "一、主要举措和成效\n"
          f"推进跨站测试工作，{PAYLOADS[0]}持续优化营商环境。\n"
          f"开展跨站测试专项行动{PAYLOADS[1]}，成效明显。\n"
          f"二、存在的不足\n跨站测试仍有短板{PAYLOADS[2]}。\n")


@pytest.fixture(scope="module")
def xss_client(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("xss-corpus")
    (corpus / "xss.txt").write_text(REPORT, encoding="utf-8")
    index_dir = tmp_path_factory.mktemp("xss-index") / "ix"
    ingest([SEEDS_DIR, corpus], index_dir)
    return create_app(index_dir, TESTING=True).test_client()


def assert_no_live_payload(html: str):
    for payload in PAYLOADS:
        assert payload not in html
    assert "<script>alert" not in html and "onerror=alert(2)>" not in html.replace("&gt;", "")


def test_snippets_escape_document_text(xss_client):
    data = xss_client.get("/api/search", query_string={"q": "跨站测试"}).get_json()
    assert data["total"] == 1
    joined = "".join(data["hits"][0]["snippets"])
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in joined and "<mark>跨站测试</mark>" in joined
    assert_no_live_payload(joined)


def test_pages_escape_document_text(xss_client):
    hit = xss_client.get("/api/search", query_string={"q": "跨站测试"}).get_json()["hits"][0]
    for url in ("/?q=跨站测试", f"/reports/{hit['id']}?q=跨站测试", "/concordance?q=跨站测试"):
        response = xss_client.get(url)
        if response.status_code == 404:  # a page not built yet is not a pass
            pytest.fail(f"{url} is missing")
        html = response.get_data(as_text=True)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url
        assert_no_live_payload(html)


@pytest.mark.parametrize("q", [*PAYLOADS, "</mark><script>alert(4)</script>", "'\"><b>x"])
def test_queries_are_escaped(xss_client, q):
    for url in ("/", "/concordance"):
        html = xss_client.get(url, query_string={"q": q}).get_data(as_text=True)
        assert q not in html
        assert "<script>alert" not in html


def test_concordance_json_is_data_not_html(xss_client):
    data = xss_client.get("/api/concordance", query_string={"q": "跨站测试"}).get_json()
    assert data["total"] == 3
    assert any("<script>" in line["right"] for line in data["lines"])  # JSON carries the raw text
