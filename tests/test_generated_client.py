"""An OpenAPI client that works (issue 16, item 5): openapi-python-client
generates a client from the live server's /api/openapi.json, and every
endpoint round-trips through its typed models - the same numbers and ids as
the raw JSON, errors as the Error model."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import serving

PACKAGE = "govsearch_api_client"


@pytest.fixture(scope="module")
def live(seed_index, tmp_path_factory):
    """(base URL, the generated client package) for a live server on the seeds."""
    out = tmp_path_factory.mktemp("client")
    with serving("--index", str(seed_index)) as base:
        with urllib.request.urlopen(f"{base}/api/openapi.json", timeout=10) as response:
            (out / "spec.json").write_bytes(response.read())
        tool = Path(sys.executable).with_name("openapi-python-client")
        env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
        generated = subprocess.run([str(tool), "generate", "--path", str(out / "spec.json"), "--meta", "none",
                                    "--output-path", str(out / PACKAGE)], capture_output=True, text=True, env=env,
                                   timeout=300)
        assert generated.returncode == 0 and "Warning" not in generated.stdout, generated.stdout + generated.stderr
        sys.path.insert(0, str(out))
        try:
            yield str(base), importlib.import_module(PACKAGE)
        finally:
            sys.path.remove(str(out))
            for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
                del sys.modules[name]


def _raw(base: str, path: str) -> dict:
    with urllib.request.urlopen(base + path, timeout=10) as response:
        return json.loads(response.read())


def _api(package, name: str):
    return importlib.import_module(f"{PACKAGE}.api.default.{name}")


def test_search_and_its_pages_round_trip_through_typed_models(live):
    base, package = live
    client = package.Client(base_url=base)
    models = importlib.import_module(f"{PACKAGE}.models")
    page = _api(package, "search").sync(client=client, q="法治", per_page=2, collapse=False)
    assert isinstance(page, models.SearchPage)
    raw = _raw(base, "/api/search?q=%E6%B3%95%E6%B2%BB&per_page=2&collapse=false")
    assert page.total == raw["total"] == 5 and [h.id for h in page.hits] == [h["id"] for h in raw["hits"]]
    assert all(isinstance(h, models.Hit) for h in page.hits)
    hit = page.hits[0]
    assert (hit.report_year, hit.level, hit.adcode) == (raw["hits"][0]["report_year"], raw["hits"][0]["level"],
                                                        raw["hits"][0]["adcode"])
    assert page.next_ and page.prev is None
    facets = page.facets.additional_properties
    assert {f.value for f in facets["level"]} == {f["value"] for f in raw["facets"]["level"]}
    narrowed = _api(package, "search").sync(client=client, q="法治", level="县级", year="2020-2022", exact=False)
    assert narrowed.total == _raw(base, "/api/search?q=%E6%B3%95%E6%B2%BB&level=%E5%8E%BF%E7%BA%A7"
                                        "&year=2020-2022")["total"] > 0


def test_every_other_endpoint_round_trips(live):
    base, package = live
    client = package.Client(base_url=base)
    models = importlib.import_module(f"{PACKAGE}.models")
    kwic = _api(package, "concordance").sync(client=client, q="法治政府", per_page=5)
    assert isinstance(kwic, models.ConcordancePage) and len(kwic.lines) == 5
    assert kwic.total == _raw(base, "/api/concordance?q=%E6%B3%95%E6%B2%BB%E6%94%BF%E5%BA%9C")["total"]
    assert all(isinstance(line, models.ConcordanceLine) and line.match for line in kwic.lines)
    trend = _api(package, "trend").sync(client=client, q="法治")
    assert isinstance(trend, models.Trend)
    assert sum(row.reports for row in trend.years) == 5 and trend.years[-1].year is None
    report = _api(package, "get_report").sync(kwic.lines[0].id, client=client)
    assert isinstance(report, models.ReportPage) and report.id == kwic.lines[0].id and report.text
    assert report.permalink.endswith(f"/reports/{report.id}") and report.citations
    stats = _api(package, "stats").sync(client=client)
    assert isinstance(stats, models.Stats) and stats.reports == 5
    exported = _api(package, "export").sync_detailed(client=client, q="法治", format_=models.ExportFormat.JSONL)
    assert exported.status_code == 200 and len(exported.content.decode("utf-8").splitlines()) == 5


def test_errors_come_back_as_the_error_model(live):
    base, package = live
    client = package.Client(base_url=base)
    models = importlib.import_module(f"{PACKAGE}.models")
    bad = _api(package, "search").sync_detailed(client=client, q="法治", year="1800")
    assert bad.status_code == 400 and isinstance(bad.parsed, models.Error)
    assert "年份" in bad.parsed.error.message
    missing = _api(package, "get_report").sync_detailed("0" * 40, client=client)
    assert missing.status_code == 404 and isinstance(missing.parsed, models.Error)
