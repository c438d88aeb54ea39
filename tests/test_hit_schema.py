"""One hit schema (issue 16, item 1): a search hit, an export row (CSV and
JSON Lines), a concordance line, the CLI's JSON and the full record say the
same thing of a report under the same names and types, and missing is null
(empty in CSV) everywhere."""

from __future__ import annotations

import csv
import io
import json

from govsearch.index.report import HIT, fields_in
from govsearch.search.records import HIT_FIELDS
from tests.test_cli import run

SAMPLE = {"q": "法治"}


def _by_id(rows) -> dict[str, dict]:
    return {row["id"]: row for row in rows}


def test_every_answer_uses_the_hit_schemas_names_and_values(client, seed_index):
    assert fields_in(HIT) == HIT_FIELDS
    assert {"id", "report_year", "level", "issuer_kind", "province", "city", "county", "adcode", "doc_type",
            "doc_number", "index_number", "publisher", "publish_date", "url", "source"} <= set(HIT_FIELDS)
    hits = _by_id(client.get("/api/search", query_string={**SAMPLE, "per_page": 50}).get_json()["hits"])
    assert len(hits) == 5
    jsonl = client.get("/api/export", query_string={**SAMPLE, "format": "jsonl"}).get_data(as_text=True)
    exported = _by_id(json.loads(line) for line in jsonl.splitlines())
    lines = client.get("/api/concordance", query_string={**SAMPLE, "per_page": 100}).get_json()["lines"]
    cli = _by_id(json.loads(run("search", "法治", "--json", "--limit", "50", index=seed_index,
                                check=True).stdout)["hits"])
    assert set(exported) == set(hits) == set(cli) and lines and {line["id"] for line in lines} <= set(hits)
    for report_id, hit in hits.items():
        record = client.get(f"/api/reports/{report_id}").get_json()
        expected = {name: record[name] for name in HIT_FIELDS}
        assert {name: hit[name] for name in HIT_FIELDS} == expected
        assert {name: exported[report_id][name] for name in HIT_FIELDS} == expected
        assert {name: cli[report_id][name] for name in HIT_FIELDS} == expected
        for line in (line for line in lines if line["id"] == report_id):
            assert {name: line[name] for name in HIT_FIELDS} == expected
    # Missing is null, never "": the seeds have no URL, and most have no document number.
    assert all(hit["url"] is None for hit in hits.values())
    assert any(hit["doc_number"] is None for hit in hits.values())
    for answer in (*hits.values(), *exported.values(), *lines):
        assert "" not in answer.values(), answer
    assert all(isinstance(h["report_year"], int | None) and isinstance(h["adcode"], str | None)
               for h in hits.values())


def test_csv_leaves_missing_cells_empty_under_the_same_header(client):
    body = client.get("/api/export", query_string={**SAMPLE, "format": "csv"}).get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows and list(rows[0])[:len(HIT_FIELDS)] == list(HIT_FIELDS)
    assert all(row["url"] == "" for row in rows)  # null in JSON, an empty cell in CSV
    lines = client.get("/api/concordance", query_string={**SAMPLE, "format": "csv"}).get_data(as_text=True)
    header = next(csv.reader(io.StringIO(lines.lstrip("\ufeff"))))
    assert header[:len(HIT_FIELDS)] == list(HIT_FIELDS) and header[-4:] == ["left", "match", "right", "position"]
