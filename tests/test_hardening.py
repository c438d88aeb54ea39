"""Hostile or broken requests get a clear 4xx, never a traceback or a 500."""

from __future__ import annotations

import pytest

from govsearch.webui import create_app


@pytest.mark.parametrize("path", ["/api/search", "/api/concordance", "/api/trend", "/api/export", "/"])
@pytest.mark.parametrize("raw, words", [
    (b"q=%FF%FE", "UTF-8"),
    (b"q=%E6%B3", "UTF-8"),  # a truncated three-byte sequence
    (b"q=%E6%B3%95%00", "控制字符"),
    (b"q=a%1Bb", "控制字符"),
    (b"q=%C2%85", "控制字符"),  # C1 NEL
    (b"q=ok&province=%FF", "province"),
])
def test_malformed_utf8_and_control_characters_are_400(client, path, raw, words):
    response = client.get(f"{path}?{raw.decode('ascii')}")
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert words in body
    if path.startswith("/api/"):
        assert response.get_json()["error"]["code"] == "bad_request"


def test_tabs_and_newlines_are_whitespace_not_errors(client):
    assert client.get("/api/search?q=%E6%B3%95%E6%B2%BB%09%0A").status_code == 200


def test_query_length_is_capped_with_a_clear_400(client):
    response = client.get("/api/search", query_string={"q": "法" * 501})
    assert response.status_code == 400 and "500" in response.get_json()["error"]["message"]
    assert client.get("/api/search", query_string={"q": "法" * 500}).status_code == 200


@pytest.mark.parametrize("params", [{"page": "0"}, {"page": "1001"}, {"per_page": "0"}, {"per_page": "101"},
                                    {"page": "x"}, {"per_page": "1e3"}, {"page": "-1"}])
def test_paging_bounds(client, params):
    response = client.get("/api/search", query_string={"q": "法治", **params})
    assert response.status_code == 400, params
    assert response.get_json()["error"]["message"]


def test_unknown_parameters_are_a_400_in_the_api_and_ignored_by_pages(client):
    """(Issue 16: an ignored misspelt filter returned the unfiltered set; see test_strict_parameters.)"""
    for path in ("/api/search", "/api/concordance", "/api/trend"):
        response = client.get(path, query_string={"q": "法治", "nonsense": "1", "callback": "x"})
        assert response.status_code == 400 and "nonsense" in response.get_json()["error"]["message"]
    assert client.get("/", query_string={"q": "法治", "nonsense": "1", "callback": "x"}).status_code == 200


@pytest.mark.parametrize("path", [
    "/reports/..%2F..%2Fetc%2Fpasswd", "/reports/../../etc/passwd", "/api/reports/..%2Fgovsearch.json",
    "/reports/%00", "/reports/" + "a" * 41, "/reports/ZZZZ", "/api/reports/%FF", "/reports/.%2E",
    "/api/reports/" + "0" * 40,
])
def test_traversal_and_garbage_report_ids_are_404(client, path):
    response = client.get(path)
    assert response.status_code == 404, path
    assert "root:" not in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/", "/?q=法治", "/api/search?q=法治", "/concordance?q=法治", "/nope"])
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "unsafe-eval" not in csp and "object-src 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]


def test_production_app_is_not_in_debug_mode(seed_index):
    app = create_app(seed_index)
    assert app.debug is False and app.testing is False


def test_rate_limit_flag(seed_index):
    client = create_app(seed_index, rate_limit="3/minute").test_client()
    codes = [client.get("/api/search", query_string={"q": "法治"}).status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
    limited = client.get("/api/search", query_string={"q": "法治"})
    assert limited.get_json()["error"]["code"] == "too_many_requests"
    assert limited.headers.get("Retry-After")


def test_rate_limit_is_off_by_default(client):
    assert all(client.get("/api/stats").status_code == 200 for _ in range(30))


def test_bad_rate_limit_is_refused(seed_index):
    with pytest.raises(ValueError, match="120/minute"):
        create_app(seed_index, rate_limit="lots")


def test_no_path_of_the_server_machine_in_any_answer(tmp_path):
    """Reports ingested from a folder outside the project: no page, API
    answer or export names the folder, the index or the project."""
    import shutil

    from govsearch.config import PROJECT_ROOT, SEEDS_DIR
    from govsearch.index.build import ingest

    folder = tmp_path / "reports" / "2022"
    folder.mkdir(parents=True)
    for seed in sorted(SEEDS_DIR.glob("00[12]_*.txt")):
        shutil.copy(seed, folder / seed.name)
    index_dir = tmp_path / "ix"
    assert ingest([tmp_path / "reports"], index_dir, base=PROJECT_ROOT).counts()["added"] == 2
    client = create_app(index_dir, TESTING=True).test_client()
    report_id = client.get("/api/search", query_string={"q": "法治"}).get_json()["hits"][0]["id"]
    pages = ["/", "/?q=法治", "/api/search?q=法治", "/api/export?q=法治", "/api/export?q=法治&format=jsonl",
             "/api/concordance?q=法治", "/api/concordance?q=法治&format=csv", "/concordance?q=法治",
             "/api/trend?q=法治", "/api/stats", "/api/openapi.json", f"/reports/{report_id}?q=法治",
             f"/api/reports/{report_id}"]
    for page in pages:
        body = client.get(page).get_data(as_text=True)
        for path in (str(tmp_path), str(PROJECT_ROOT), "/tmp/", "/root/"):
            assert path not in body, (page, path)
    assert "reports/2022/" in client.get(f"/api/reports/{report_id}").get_data(as_text=True)
