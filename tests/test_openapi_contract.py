"""The spec matches the server: what /api/openapi.json calls valid, the server accepts.

Each probe value is sent to the server and matched against the published
pattern; the two must agree.  Then schemathesis, with every check, runs
against a live server: 0 failures.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from govsearch.config import PROJECT_ROOT
from tests.conftest import serving

PROBES = {
    "year": ["2022", "1949", "2100", " 2021 , 2022", "2021,2022", "0000", "1948", "2101", "２０２２", "٢٠٢٢", "+2022",
             "2022,", ",2022", "20222", "2022-2023", "2023-2022", "2020 - 2022, 2024", "2020-", "abcd"],
    "level": ["县级", "县", "县级,市级", "乡镇级 , 省", "国家级", "区级", "县级,", "级", "county"],
    "province": ["山东", "内蒙古, 广东", "x", "山东,,广东", ",", "山东,"],
    "doc_type": ["annual_report", "other", "年度报告", "报告,other", "report", "news", "annual_report,"],
    "exact": ["0", "1", "true", "false", "True", "yes", " 1", "2"],
    "issuer_kind": ["政府", "部门,党委", "其他", "none", "企业", "政府,"],
    "city": ["淄博", "淄博市, 赤峰", "none", ",", "淄博,"],
    "adcode": ["37", "3703", "370306", "370323107", "3", "37a", "1234567890123", "none"],
    "page": ["1", "1000", "0", "1001", "-1", "01", "1.0", "１"],
    "per_page": ["1", "100", "101", "0"],
}


def _spec(client) -> dict:
    return client.get("/api/openapi.json").get_json()


def _accepts(schema: dict, value: str) -> bool:
    """Whether a query value fits its schema as the spec states it."""
    if "pattern" in schema:
        return bool(re.search(schema["pattern"], value))
    if "enum" in schema:
        return value in schema["enum"]
    if schema.get("type") == "boolean":  # true/false, and 1/0 as the pages' links send them
        return value in ("true", "false", "1", "0")
    if schema.get("type") == "integer":
        return bool(re.fullmatch(r"-?[0-9]+", value)) and schema["minimum"] <= int(value) <= schema["maximum"]
    raise AssertionError(schema)


@pytest.mark.parametrize("name", PROBES)
def test_published_patterns_accept_exactly_what_the_server_accepts(client, name):
    parameters = {p["name"]: p["schema"] for p in _spec(client)["paths"]["/api/search"]["get"]["parameters"]}
    for value in PROBES[name]:
        status = client.get("/api/search", query_string={"q": "法治", name: value}).status_code
        assert status in (200, 400), (name, value, status)
        assert (status == 200) == _accepts(parameters[name], value), (name, value, status)


@pytest.mark.parametrize("path", ["/api/search", "/api/concordance", "/api/trend", "/api/export"])
def test_empty_values_are_a_400_naming_the_parameter(client, path):
    spec = _spec(client)["paths"][path]["get"]["parameters"]
    for name in (p["name"] for p in spec if p["name"] != "q"):
        response = client.get(path, query_string={"q": "法治", name: ""})
        assert response.status_code == 400, (path, name)
        assert name in response.get_json()["error"]["message"]
    assert client.get(path, query_string={"q": ""}).status_code == 400


def test_method_not_allowed_names_the_allowed_methods(client):
    for path in ("/api/search", "/api/stats", "/api/reports/" + "0" * 40, "/"):
        response = client.post(path)
        assert response.status_code == 405
        assert "GET" in response.headers["Allow"]
    assert client.post("/api/search").get_json()["error"]["code"] == "method_not_allowed"


def test_servers_entry_comes_from_configuration_not_the_host_header(seed_index):
    from govsearch.webui import create_app

    plain = create_app(seed_index, TESTING=True).test_client()
    spec = plain.get("/api/openapi.json", headers={"Host": "evil.example"}).get_json()
    assert "evil.example" not in str(spec)
    assert spec["servers"] == []
    configured = create_app(seed_index, TESTING=True, public_url="https://govsearch.example.org/").test_client()
    spec = configured.get("/api/openapi.json", headers={"Host": "evil.example"}).get_json()
    assert spec["servers"] == [{"url": "https://govsearch.example.org"}]


def test_schemathesis_finds_no_failure_with_every_check(seed_index, tmp_path):
    """Every operation, every check; queries the language cannot read are
    left to the parser's own tests (tests/schemathesis_hooks.py says why)."""
    with serving("--index", str(seed_index), "--threads", "4") as base:
        env = {**os.environ, "SCHEMATHESIS_HOOKS": "tests.schemathesis_hooks", "PYTHONPATH": str(PROJECT_ROOT)}
        proc = subprocess.run(
            [os.path.join(os.path.dirname(sys.executable), "st"), "run", f"{base}/api/openapi.json",
             "--checks", "all", "--max-examples", "60", "--workers", "1", "--seed", "20261201",
             "--report", "junit", "--report-dir", str(tmp_path)],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)  # its example database stays there
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-6000:]
    assert re.search(r"\d+ generated, \d+ passed", output), output[-3000:]
