"""The API described for machines and people (issue 16, item 5): every
operation has an operationId, typed answers that resolve to components,
and its 400 and 429; /api/docs renders the same document as a page, with
no script or stylesheet from elsewhere."""

from __future__ import annotations

import re


def _refs(node) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"].rsplit("/", 1)[-1]} if "$ref" in node else set()
        return found.union(*(_refs(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(v) for v in node))
    return set()


def test_every_operation_is_named_typed_and_documents_its_errors(client):
    spec = client.get("/api/openapi.json").get_json()
    operations = [item["get"] for item in spec["paths"].values()]
    ids = [op["operationId"] for op in operations]
    assert len(set(ids)) == len(ids) == len(spec["paths"])
    components = spec["components"]["schemas"]
    assert {"Hit", "Facet", "SearchPage", "ConcordanceLine", "ConcordancePage", "TrendRow", "Trend", "Report",
            "Error", "Stats"} <= set(components)
    assert _refs(spec["paths"]) | _refs(components) <= set(components)  # every reference resolves
    for path, item in spec["paths"].items():
        responses = item["get"]["responses"]
        assert {"200", "400", "429"} <= set(responses), path
        json_answer = responses["200"]["content"].get("application/json", {}).get("schema", {})
        if path not in ("/api/export", "/api/openapi.json"):
            assert "$ref" in json_answer, path  # a component, not an untyped object
    assert "404" in spec["paths"]["/api/reports/{report_id}"]["get"]["responses"]


def test_the_docs_page_shows_every_operation_parameter_and_schema(client):
    spec = client.get("/api/openapi.json").get_json()
    response = client.get("/api/docs")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert page.count("<h1") == 1
    for path, item in spec["paths"].items():
        assert f"GET {path}" in page and f'id="{item["get"]["operationId"]}"' in page
        for parameter in item["get"]["parameters"]:
            assert f"<code>{parameter['name']}</code>" in page, (path, parameter["name"])
    for name, component in spec["components"]["schemas"].items():
        assert f'id="schema-{name}"' in page
        for field in component.get("properties", {}):
            assert f"<code>{field}</code>" in page, (name, field)
    assert not re.search(r'(?:src|href)="(?:https?:)?//', page)  # nothing from a CDN
