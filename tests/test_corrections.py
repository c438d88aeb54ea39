"""Corrections that last: a CSV of fixes, checked whole, kept with the index, applied again."""

from __future__ import annotations

import json
import shutil

import pytest

from govsearch.config import SEEDS_DIR
from govsearch.webui import create_app
from tests.conftest import seed_id
from tests.test_cli import run


@pytest.fixture()
def index(tmp_path):
    index_dir = tmp_path / "ix"
    run("ingest", "-q", str(SEEDS_DIR), index=index_dir, check=True)
    return index_dir


def record(index_dir, rid: str) -> dict:
    return create_app(index_dir, TESTING=True).test_client().get(f"/api/reports/{rid}").get_json()


def test_fixes_apply_last_through_reindex_and_show_as_evidence(index, tmp_path):
    news, county = seed_id("004"), seed_id("000")
    fixes = tmp_path / "fixes.csv"
    fixes.write_text(f"id,field,value\n{news},report_year,2023\n{news},doc_type,annual_report\n"
                     f"{county},issuer_kind,部门\n{county},province,内蒙古\n", encoding="utf-8")
    proc = run("ingest", "-q", "--metadata", str(fixes), index=index)
    assert proc.returncode == 0, proc.stderr
    fixed = record(index, news)
    assert fixed["report_year"] == 2023 and fixed["doc_type"] == "annual_report"
    assert fixed["evidence"]["report_year"] == {"rule": "corrections file", "text": "fixes.csv line 2", "line": 0}
    assert record(index, county)["issuer_kind"] == "部门"
    assert record(index, county)["province"] == "内蒙古自治区"  # a short name is stored in full
    client = create_app(index, TESTING=True).test_client()
    assert client.get("/api/search", query_string={"q": "法治", "year": "2023"}).get_json()["total"] >= 1
    assert (index / "corrections.csv").exists()
    # reindex rebuilds from the stored records and applies the corrections again
    assert run("reindex", "-q", index=index).returncode == 0
    assert record(index, news)["report_year"] == 2023 and (index / "corrections.csv").exists()
    # a re-cleaned file (its bytes changed) keeps its correction
    copy = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, copy)
    changed = next(copy.glob("000_*.txt"))
    changed.write_text(changed.read_text(encoding="utf-8") + "\n补充一段。", encoding="utf-8")
    source = changed.name  # a file given by itself is known by its name
    by_source = tmp_path / "by-source.csv"
    by_source.write_text(f"source,field,value\n{source},level,市级\n", encoding="utf-8")
    assert run("ingest", "-q", str(changed), "--metadata", str(by_source), index=index).returncode == 0
    again = run("ingest", "-q", str(changed), index=index)
    assert again.returncode == 0 and "unchanged" in again.stdout
    hits = client.get("/api/search", query_string={"q": "法治", "level": "市级", "per_page": 50}).get_json()["hits"]
    assert source in {h["source"] for h in hits}


@pytest.mark.parametrize("rows, words", [
    ("id,field,value\n{id},title,新标题\n", ["line 2", "未知字段"]),
    ("id,field,value\n{id},report_year,2022\n{id},level,区级\n", ["line 3", "level"]),
    ("id,field,value\n{id},report_year,二〇二二\n", ["line 2", "report_year"]),
    ("id,field,value\n" + "0" * 40 + ",level,县级\n", ["line 2", "没有"]),
    ("url,field,value\nhttps://example.gov.cn/x.html,level,县级\n", ["line 2", "没有"]),
    ("report,field,value\n{id},level,县级\n", ["line 1", "表头"]),
    ("id,field,value\n{id},province,火星省\n", ["line 2", "province"]),
    ("id,field,value\n{id},level\n", ["line 2", "3 列"]),
])
def test_a_bad_row_is_named_and_nothing_is_applied(index, tmp_path, rows, words):
    rid = seed_id("004")
    before = json.dumps(record(index, rid), sort_keys=True, ensure_ascii=False)
    fixes = tmp_path / "fixes.csv"
    fixes.write_text(rows.replace("{id}", rid), encoding="utf-8")
    for command in (("ingest", "-q", "--metadata", str(fixes)), ("reindex", "-q", "--metadata", str(fixes))):
        proc = run(*command, index=index)
        assert proc.returncode == 2, proc.stdout + proc.stderr
        assert all(w in proc.stderr for w in words), proc.stderr
        assert "Traceback" not in proc.stderr and "nothing was applied" in proc.stderr
    assert json.dumps(record(index, rid), sort_keys=True, ensure_ascii=False) == before
    assert not (index / "corrections.csv").exists()


def test_ingest_needs_paths_or_fixes(tmp_path):
    proc = run("ingest", index=tmp_path / "ix")
    assert proc.returncode == 2 and "--metadata" in proc.stderr
