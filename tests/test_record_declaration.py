"""The record is declared once (index.report.Report with the views each field
is shown in); the API's hits and full records, the export's columns, what
`govsearch clean` prints and the OpenAPI component all follow it."""

from __future__ import annotations

import csv
import io
import json

from govsearch.index.report import CLEAN, HIT, PRIVATE, Report, fields_in
from govsearch.webui.openapi import spec
from tests.conftest import seed_id, seed_path
from tests.test_cli import run

_TYPES = {"string": str, "integer": int, "boolean": bool, "array": list, "object": dict}


def _conforms(value, schema) -> bool:
    if value is None:
        return bool(schema.get("nullable"))
    expected = _TYPES[schema["type"]]
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        return False
    if expected is list and "items" in schema:
        return all(_conforms(item, schema["items"]) for item in value)
    if expected is dict and "properties" in schema:
        return all(_conforms(value.get(k), s) for k, s in schema["properties"].items() if k in value)
    return True


def test_the_full_record_is_the_declared_one_and_matches_its_documented_schema(client):
    component = spec()["components"]["schemas"]["Report"]
    declared = {name for name in Report.__dataclass_fields__} - set(fields_in(PRIVATE))
    assert set(component["properties"]) == declared
    for prefix in ("000", "002", "004"):
        record = client.get(f"/api/reports/{seed_id(prefix)}").get_json()
        # The near-duplicate group and what makes the report a source ride along (ReportPage).
        assert set(record) == declared | {"versions", "permalink", "issuer", "citations"}
        assert set(spec()["components"]["schemas"]["ReportPage"]["properties"]) == set(record)
        bad = {k: record[k] for k, s in component["properties"].items() if not _conforms(record[k], s)}
        assert not bad, bad
        assert set(component["required"]) <= set(record)


def test_hits_exports_and_clean_show_the_declared_views(client):
    hits = client.get("/api/search", query_string={"q": "法治"}).get_json()["hits"]
    assert hits and all(set(fields_in(HIT)) <= set(hit) for hit in hits)
    assert all(set(hit).isdisjoint(fields_in(PRIVATE)) for hit in hits)
    exported = client.get("/api/export", query_string={"q": "法治", "format": "csv"}).get_data(as_text=True)
    header = next(csv.reader(io.StringIO(exported.lstrip("\ufeff"))))
    assert header == [*fields_in(HIT), "score", "occurrences"]
    shown = json.loads(run("clean", "--json", str(seed_path("002")), check=True).stdout)
    assert set(fields_in(CLEAN)) <= set(shown)
    plain = run("clean", str(seed_path("002")), check=True).stdout.splitlines()
    printed = [line.split()[0] for line in plain[:len(fields_in(CLEAN))]]
    assert printed == list(fields_in(CLEAN))
