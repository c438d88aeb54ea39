"""``govsearch optimize`` (issue 19, item 4): on an index where a fifth of
the reports were re-ingested, it merges the segments and layer chunks and
drops the old versions, answers every query of the bench's mix as before,
and a server reading the index meanwhile fails no request."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from govsearch.bench.compaction import SHARE, changed_copies
from govsearch.bench.corpus import ensure_corpus, manifest_path, scan
from govsearch.bench.queries import CANDIDATES, filters_of, query_mix
from govsearch.config import PROJECT_ROOT
from govsearch.index.build import ingest
from govsearch.index.footprint import index_parts
from govsearch.index.grams import GRAMS_DIR, layer_reports, read_manifest
from govsearch.index.optimize import optimize
from govsearch.search.engine import Engine
from tests.conftest import serving

DOCS = 120


def reingest_fifth(corpus: Path, rows: list[dict], index_dir: Path, folder: Path) -> int:
    """Every fifth page changed (the bench's copies), ingested over the index: each an update."""
    changed = changed_copies(corpus, rows, folder)
    summary = ingest([folder], index_dir, base=folder)
    assert summary.counts()["updated"] == changed == DOCS // SHARE, summary.counts()
    return changed


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(index dir, the mix, reports re-ingested, an index built at once from
    the final versions) on a generated bench corpus."""
    work = tmp_path_factory.mktemp("optimize")
    corpus = work / "corpus"
    rows, _ = ensure_corpus(corpus, DOCS, 0)
    index_dir = work / "index"
    assert ingest([corpus], index_dir, base=corpus).counts()["added"] == DOCS
    changed = reingest_fifth(corpus, rows, index_dir, work / "changed")
    final = work / "final"  # the corpus as it is now: the changed pages in place
    shutil.copytree(corpus, final)
    shutil.copytree(work / "changed", final, dirs_exist_ok=True)
    assert ingest([final], work / "reference", base=final).counts()["added"] == DOCS
    found, _ = scan([manifest_path(corpus, r) for r in rows], CANDIDATES)
    return index_dir, query_mix(30, rows, found, 0), changed, work / "reference"


def answers(index_dir: Path, mix: list[dict], ranked: bool = False) -> list[dict]:
    """What every query of the mix answers: totals, every match with its
    occurrences, facets, and the concordance's lines; with ``ranked``, the
    first page's order and scores too."""
    engine = Engine(index_dir)
    out = []
    for item in mix:
        result = engine.search(item["q"], filters_of(item), per_page=DOCS, exact=item["exact"],
                               sort="occurrences").to_dict()
        lines = engine.concordance(item["q"], filters_of(item), exact=item["exact"], everything=True)
        answer = {"total": result["total"], "facets": result["facets"],
                  "matches": sorted((h["id"], h["occurrences"]) for h in result["hits"]),
                  "lines": sorted((ln.report["id"], ln.position) for ln in lines["lines"])}
        if ranked:
            ranking = engine.search(item["q"], filters_of(item), per_page=DOCS, exact=item["exact"]).to_dict()
            answer["scores"] = {h["id"]: h["score"] for h in ranking["hits"]}
        out.append(answer)
    return out


def test_an_optimized_index_answers_the_bench_mix_as_before(built, tmp_path):
    """The same matches, counts, facets and lines; and the ranking of an
    index built at once from the final versions (before, BM25's statistics
    counted the deleted old versions too)."""
    index_dir, mix, changed, reference = built
    copy = tmp_path / "index"
    shutil.copytree(index_dir, copy)
    before = answers(copy, mix)
    parts_before = index_parts(copy)
    chunks = len(read_manifest(copy / GRAMS_DIR))
    held = layer_reports(copy / GRAMS_DIR)
    done = optimize(copy)
    assert answers(copy, mix) == before
    # The scores of a clean build, but for BM25's average length: Whoosh
    # totals a merged segment's field lengths from its one-byte per-document
    # lengths (exact only in a fresh segment), so they agree within 2% and
    # near-ties may swap.
    for got, want in zip(answers(copy, mix, ranked=True), answers(reference, mix, ranked=True), strict=True):
        mine, theirs = got.pop("scores"), want.pop("scores")
        assert got == want and mine.keys() == theirs.keys()
        assert all(abs(mine[i] - theirs[i]) <= 0.02 * abs(theirs[i]) for i in theirs)
    assert done.segments_before > 1 and done.segments_after == 1
    assert done.deleted_documents == changed and done.dead_entries == changed  # the old versions, gone
    assert layer_reports(copy / GRAMS_DIR) == held - changed == DOCS
    assert done.chunks_before == chunks and done.chunks_after <= chunks
    assert done.mb_after < done.mb_before
    parts = index_parts(copy)  # the parts add up, and the old versions' bytes left Whoosh and the layer
    for found in (parts_before, parts):
        assert abs(sum(v for k, v in found.items() if k != "total") - found["total"]) < 0.01
        assert min(found.values()) >= 0 and found["whoosh_postings"] > 0 and found["stored_records"] > 0
    assert parts["substring_layer"] < parts_before["substring_layer"]
    assert parts["stored_records"] < parts_before["stored_records"]
    again = optimize(copy)  # nothing left to do
    assert (again.segments_after, again.deleted_documents, again.dead_entries) == (1, 0, 0)


def test_the_server_answers_every_request_while_it_optimizes(built, tmp_path):
    index_dir, mix = built[:2]
    copy = tmp_path / "index"
    shutil.copytree(index_dir, copy)
    queries = [(m["q"], "1" if m["exact"] else "0") for m in mix]
    failures: list[str] = []
    answered: list[int] = []
    stop = threading.Event()
    with serving("--index", str(copy), "--threads", "4") as base:
        expected = {}
        for q, exact in queries:
            with urllib.request.urlopen(f"{base}/api/search?{urllib.parse.urlencode({'q': q, 'exact': exact})}",
                                        timeout=30) as response:
                expected[(q, exact)] = json.load(response)["total"]

        def hammer():
            i = 0
            while not stop.is_set():
                q, exact = queries[i % len(queries)]
                i += 1
                url = f"{base}/api/search?{urllib.parse.urlencode({'q': q, 'exact': exact})}"
                try:
                    with urllib.request.urlopen(url, timeout=30) as response:
                        total = json.load(response)["total"]
                    if total != expected[(q, exact)]:
                        failures.append(f"{q}: {total} != {expected[(q, exact)]}")
                    answered.append(total)
                except Exception as exc:  # every failure is the finding
                    failures.append(f"{q}: {exc}")

        threads = [threading.Thread(target=hammer) for _ in range(2)]
        for t in threads:
            t.start()
        result = subprocess.run([sys.executable, "-m", "govsearch", "optimize", "--index", str(copy)],
                                capture_output=True, text=True, timeout=300, cwd=PROJECT_ROOT)
        for _ in range(40):  # and after it: the server has moved to the optimized index
            with urllib.request.urlopen(f"{base}/api/search?q=%E6%B3%95%E6%B2%BB", timeout=30):
                pass
        stop.set()
        for t in threads:
            t.join()
    assert result.returncode == 0, result.stderr
    assert "完成 (done)" in result.stdout and "segments" in result.stdout
    assert failures == [] and len(answered) > 20


def test_optimize_says_what_is_wrong(tmp_path):
    missing = subprocess.run([sys.executable, "-m", "govsearch", "optimize", "--index", str(tmp_path / "none")],
                             capture_output=True, text=True, timeout=120, cwd=PROJECT_ROOT)
    assert missing.returncode == 1 and "索引不存在" in missing.stderr and "Traceback" not in missing.stderr


def test_optimize_waits_for_a_writer_and_then_gives_up_clearly(built, tmp_path):
    from govsearch.index.writer import ReportWriter

    index_dir = built[0]
    copy = tmp_path / "index"
    shutil.copytree(index_dir, copy)
    writer = ReportWriter(copy)  # holds the write lock
    try:
        blocked = subprocess.run([sys.executable, "-m", "govsearch", "optimize", "--index", str(copy),
                                  "--lock-wait", "0.5"], capture_output=True, text=True, timeout=120,
                                 cwd=PROJECT_ROOT)
    finally:
        writer.cancel()
    assert blocked.returncode == 1 and "另一个进程" in blocked.stderr and "Traceback" not in blocked.stderr
