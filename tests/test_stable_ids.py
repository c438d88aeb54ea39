"""Stable ids: the same document has the same id on every machine and from
every folder, a re-ingest still replaces, and an index of the older id
scheme (a local file's id was the hash of its path key) is migrated with
its old ids redirecting."""

from __future__ import annotations

import json
import shutil

from govsearch.config import PROJECT_ROOT, SEEDS_DIR
from govsearch.index.build import ingest, reindex, write_reports
from govsearch.index.clean import clean_file
from govsearch.index.report import report_id
from govsearch.index.schema import META_FILE
from govsearch.webui import create_app
from tests.conftest import seed_id, seed_path, seed_source
from tests.test_cli import run
from tests.test_ingest_inputs import stored


def test_the_same_seed_file_from_two_folders_gets_the_same_id(tmp_path):
    ids = []
    for name in ("machine-a/projects", "elsewhere/deep/down"):
        folder = tmp_path / name / "seeds"
        shutil.copytree(SEEDS_DIR, folder)
        index_dir = tmp_path / name / "ix"
        assert ingest([folder], index_dir).counts()["added"] == 5
        ids.append(sorted(r["id"] for r in stored(index_dir)))
    assert ids[0] == ids[1]
    # …and the bundled seeds ingested in place have those ids too (their source is seeds/…).
    in_place = tmp_path / "in-place"
    ingest([SEEDS_DIR], in_place, base=PROJECT_ROOT)
    assert sorted(r["id"] for r in stored(in_place)) == ids[0] == sorted(seed_id(p) for p in
                                                                          ("000", "001", "002", "003", "004"))
    # Nothing about the indexing machine's paths is shown, not even the key a re-ingest finds a file by.
    app = create_app(in_place, testing=True)
    record = app.test_client().get(f"/api/reports/{seed_id('002')}").get_json()
    assert "local_key" not in record and record["source"] == seed_source("002")


def test_an_edited_file_replaces_its_record_and_its_old_link_redirects(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    report = folder / "a.txt"
    shutil.copy(seed_path("002"), report)
    index_dir = tmp_path / "ix"
    ingest([folder], index_dir)
    (old,) = [r["id"] for r in stored(index_dir)]
    report.write_text(report.read_text(encoding="utf-8") + "\n新增一段：数字政府建设持续推进。", encoding="utf-8")
    assert ingest([folder], index_dir).counts()["updated"] == 1
    (record,) = stored(index_dir)
    assert record["id"] != old and record["aliases"].split() == [old]
    client = create_app(index_dir, testing=True).test_client()
    page = client.get(f"/reports/{old}?q=法治")
    assert page.status_code == 301  # the query the link carried goes along
    assert page.headers["Location"].endswith(f"/reports/{record['id']}?q=%E6%B3%95%E6%B2%BB")
    api = client.get(f"/api/reports/{old}")
    assert api.status_code == 301 and api.headers["Location"].endswith(f"/api/reports/{record['id']}")
    assert client.get(f"/api/reports/{'0' * 40}").status_code == 404


def _old_scheme_index(index_dir):
    """An index as the older id scheme wrote it: a seed's id was the hash of
    its project path, with no local key; a crawled page's, of its URL."""
    seeds = []
    for prefix in ("002", "004"):
        report = clean_file(seed_path(prefix), seed_source(prefix))
        report.id, report.local_key = report_id(seed_source(prefix)), ""
        seeds.append(report)
    seeds[1].duplicate_of = seeds[0].id  # a duplicate link names the old id
    crawled = clean_file(seed_path("003"), "https://www.example.gov.cn/art/2023/1.html")
    crawled.url = crawled.source
    crawled.id, crawled.local_key = report_id(crawled.url), ""
    write_reports(index_dir, [*seeds, crawled])
    return seeds, crawled


def test_reindex_migrates_the_older_id_scheme(tmp_path):
    index_dir = tmp_path / "ix"
    (zhoucun, _), crawled = _old_scheme_index(index_dir)
    assert reindex(index_dir, base=PROJECT_ROOT) == 3
    by_id = {r["id"]: r for r in stored(index_dir)}
    assert set(by_id) == {seed_id("002"), seed_id("004"), crawled.id}  # a URL's id does not change
    assert by_id[seed_id("002")]["aliases"].split() == [zhoucun.id]
    assert by_id[seed_id("004")]["duplicate_of"] == seed_id("002")  # the link follows the rename
    # The local key is the old id's key, so the next ingest of the seeds replaces, not duplicates.
    assert by_id[seed_id("002")]["local_key"] == zhoucun.id
    summary = ingest([seed_path("002"), seed_path("004")], index_dir, base=PROJECT_ROOT)
    assert summary.counts()["skipped"] == 2 and len(stored(index_dir)) == 3
    # A second reindex changes nothing more.
    reindex(index_dir, base=PROJECT_ROOT)
    assert {r["id"]: r["aliases"] for r in stored(index_dir)} == {k: v["aliases"] for k, v in by_id.items()}


def test_serve_and_corrections_follow_the_migration(tmp_path):
    index_dir = tmp_path / "ix"
    (zhoucun, _), _ = _old_scheme_index(index_dir)
    meta = json.loads((index_dir / META_FILE).read_text())
    (index_dir / META_FILE).write_text(json.dumps({**meta, "schema_version": "7"}))
    fixes = tmp_path / "fixes.csv"
    fixes.write_text(f"id,field,value\n{zhoucun.id},report_year,2019\n", encoding="utf-8")
    proc = run("reindex", "--metadata", str(fixes), index=index_dir)
    assert proc.returncode == 0, proc.stderr
    client = create_app(index_dir, testing=True).test_client()
    moved = client.get(f"/api/reports/{zhoucun.id}")
    assert moved.status_code == 301
    record = client.get(moved.headers["Location"]).get_json()
    assert record["id"] == seed_id("002") and record["report_year"] == 2019  # the fix named the old id
    assert record["evidence"]["report_year"]["rule"] == "corrections file"
