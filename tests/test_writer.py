"""One writer: ingest, reindex, the crawl feed and a WARC replay all write
through index.writer.ReportWriter, which owns the Whoosh writer, the
substring layer and the duplicate linker, and Holdings is the one
skip-unchanged test."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from govsearch.config import PROJECT_ROOT, SEEDS_DIR
from govsearch.index import writer as writer_module
from govsearch.index.build import ingest, reindex
from govsearch.index.clean import clean_file
from govsearch.index.corrections import Correction
from govsearch.index.feed import IndexFeed
from govsearch.index.schema import from_stored, open_index
from govsearch.index.writer import Holdings, ReportWriter, open_writer
from govsearch.search.engine import Engine
from tests.conftest import seed_id, seed_path, seed_source
from tests.test_ingest_inputs import stored


@pytest.fixture()
def puts(monkeypatch) -> list[str]:
    """The ids every ReportWriter.put receives, whoever calls it."""
    seen: list[str] = []
    real = ReportWriter.put

    def recording(self, report, *args, **kwargs):
        seen.append(report.id)
        return real(self, report, *args, **kwargs)

    monkeypatch.setattr(ReportWriter, "put", recording)
    return seen


def test_ingest_reindex_and_the_feed_all_write_through_the_one_writer(tmp_path, puts):
    index_dir = tmp_path / "ix"
    ingest([SEEDS_DIR], index_dir, base=PROJECT_ROOT)
    first = sorted(puts)
    assert len(first) == 5 and first == sorted(r["id"] for r in stored(index_dir))
    puts.clear()
    assert reindex(index_dir) == 5
    assert sorted(puts) == first
    puts.clear()
    report = clean_file(seed_path("002"), "elsewhere/002.txt")
    with IndexFeed(index_dir) as feed:
        assert feed.offer(report) == "added"
        assert feed.offer(report) == "unchanged"  # pending: the one skip-unchanged test, before its commit
    assert puts == [report.id]
    with IndexFeed(index_dir) as feed:
        assert feed.offer(report) == "unchanged"  # and after it
    assert puts == [report.id]
    assert Engine(index_dir).search("法治", per_page=50, collapse=False).total == 6
    copy = next(from_stored(r) for r in stored(index_dir) if r["id"] == report.id)
    assert copy["duplicate_of"] == seed_id("002")  # the writer's linker ran for the feed's batch too


def _writes_whoosh(path: Path) -> list[str]:
    """Calls in a module that open or feed a Whoosh writer directly."""
    names = {"writer", "update_document", "add_document", "delete_by_term", "LayerWriter", "DuplicateLinker"}
    calls = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name in names:
                calls.append(f"{path.name}:{node.lineno} {name}")
    return calls


def test_no_module_of_the_write_path_but_the_writer_drives_whoosh_or_the_layer():
    offenders = [call for path in sorted((PROJECT_ROOT / "index").rglob("*.py"))
                 # posting_writer.py is inside the writer: it wraps the Whoosh writer's own add_document
                 if path.name not in ("writer.py", "grams.py", "dedup.py", "leftovers.py", "posting_writer.py")
                 for call in _writes_whoosh(path)]
    assert not offenders, offenders
    assert _writes_whoosh(PROJECT_ROOT / "index" / "writer.py")  # the rule can see a call


def test_a_failed_write_leaves_nothing_and_releases_the_lock(tmp_path):
    index_dir = tmp_path / "ix"
    ingest([SEEDS_DIR], index_dir, base=PROJECT_ROOT)
    before = sorted(r["id"] for r in stored(index_dir))
    report = clean_file(seed_path("003"), "other/003.txt")
    with pytest.raises(RuntimeError, match="stop"), ReportWriter(index_dir) as out:
        out.put(report)
        raise RuntimeError("stop")
    assert sorted(r["id"] for r in stored(index_dir)) == before
    open_writer(writer_module.open_or_create(index_dir), index_dir, lock_wait=0).cancel()  # the lock is free


def test_put_supersedes_the_record_it_replaces_and_applies_the_corrections(tmp_path):
    index_dir = tmp_path / "ix"
    ingest([SEEDS_DIR], index_dir, base=PROJECT_ROOT)
    old = next(r for r in stored(index_dir) if r["source"] == seed_source("002"))
    edited = tmp_path / "002.txt"
    edited.write_bytes(seed_path("002").read_bytes() + "\n补充说明：本报告另附统计表。\n".encode())
    report = clean_file(edited, seed_source("002"), key=seed_source("002"))
    fix = Correction(key="id", report=report.id, field="province", value="青海省", origin="fixes.csv:2")
    with ReportWriter(index_dir, active=[fix]) as out:
        docnum = out.holdings.find(id=old["id"])
        assert out.holdings.unchanged(docnum, old["content_hash"])
        assert not out.holdings.unchanged(docnum, report.content_hash)
        out.put(report, replaces=out.holdings.record(docnum))
    records = {r["id"]: from_stored(r) for r in stored(index_dir)}
    assert old["id"] not in records and len(records) == 5
    new = records[report.id]
    assert old["id"] in new["aliases"] and new["province"] == "青海省"
    assert new["evidence"]["province"]["rule"] == "corrections file"


def test_holdings_knows_a_record_by_id_and_by_local_key(tmp_path):
    index_dir = tmp_path / "ix"
    ingest([SEEDS_DIR], index_dir, base=PROJECT_ROOT)
    record = next(r for r in stored(index_dir) if r["source"] == seed_source("001"))
    with open_index(index_dir).searcher() as searcher:
        holdings = Holdings(searcher)
        by_id = holdings.find(id=record["id"])
        assert by_id is not None and holdings.find(local_key=record["local_key"]) == by_id
        assert holdings.digest(by_id) == record["content_hash"] != ""
        assert holdings.find(id="0" * 40) is None and not holdings.unchanged(None, record["content_hash"])
