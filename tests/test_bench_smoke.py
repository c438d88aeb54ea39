"""Smoke test of the bench (govsearch.bench, scripts/bench.py): a tiny corpus, a tiny query mix, every engine.

Runs the bench's command line in this process and checks the table and the
JSON, not the numbers' size: timings on a 40-page corpus say nothing about
performance.  The script itself is checked as the entry point it is.
"""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from types import SimpleNamespace

import pytest

from govsearch.bench import cli
from govsearch.config import PROJECT_ROOT

BENCH = PROJECT_ROOT / "scripts" / "bench.py"


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory):
    work = tmp_path_factory.mktemp("bench")
    out = work / "tmp.json"
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        returncode = cli.main(["--docs", "40", "--queries", "6", "--peer-docs", "30", "--naive-docs", "20",
                               "--out", str(out), "--workdir", str(work / "work")])
    return SimpleNamespace(returncode=returncode, stdout=stdout.getvalue(), stderr=stderr.getvalue()), out


def test_the_script_is_the_command_line():
    """scripts/bench.py runs govsearch.bench.cli: its flags, and a user error as one line and status 2."""
    shown = subprocess.run([sys.executable, str(BENCH), "--help"], capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    for flag in ("--docs", "--peers", "--peer-docs", "--naive-docs", "--naive-queries", "--no-server", "--keep"):
        assert flag in shown.stdout
    wrong = subprocess.run([sys.executable, str(BENCH), "--docs", "5", "--peers", "lucene"], capture_output=True,
                           text=True, timeout=60)
    assert wrong.returncode == 2
    assert "unknown peers: lucene (choose from naive, tantivy, sqlite)" in wrong.stderr


def test_exits_zero_and_prints_the_table(bench_run):
    proc, _ = bench_run
    assert proc.returncode == 0, proc.stderr[-3000:]
    header = next(line for line in proc.stdout.splitlines() if line.startswith("measure"))
    assert header.split() == ["measure", "govsearch", "naive", "tantivy", "sqlite", "govsearch÷naive",
                              "govsearch÷tantivy", "govsearch÷sqlite"]
    for measure in ("clean ms per 100 KB HTML", "ingest reports/s", "ingest chars/s", "index size MB",
                    "results page p50 ms", "exact lookup p95 ms", "concordance-100 p50 ms", "trend p95 ms",
                    "server peak RSS MB", "HTTP /api/search p95 ms"):
        assert measure in proc.stdout
    assert "N=40 pages" in proc.stdout
    assert "naive on the first 20, tantivy on the first 30, sqlite on the first 30 of the 40 pages" in proc.stdout
    assert "CPUs" in proc.stdout


def _positive(results: dict, *path: str) -> None:
    value = results
    for key in path:
        assert isinstance(value, dict) and key in value, f"missing {'.'.join(path)}"
        value = value[key]
    assert isinstance(value, int | float) and value > 0, f"{'.'.join(path)} = {value!r}"


def test_json_has_every_measure(bench_run):
    proc, out = bench_run
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = json.loads(out.read_text(encoding="utf-8"))
    for key in ("machine", "corpus", "queries", "govsearch", "naive", "tantivy", "sqlite", "table"):
        assert key in results
    assert results["corpus"]["pages"] == 40
    assert results["peer_pages"] == 30
    assert results["pages_by_peer"] == {"govsearch": 40, "naive": 20, "tantivy": 30, "sqlite": 30}
    assert results["naive"]["ingest"]["files"] == 20 and results["tantivy"]["ingest"]["files"] == 30
    assert results["govsearch"]["ingest"]["files"] == 40
    assert len(results["queries"]) == 6
    assert {q["kind"] for q in results["queries"]} == {"single", "multi", "exact", "facet", "common"}
    _positive(results, "machine", "cpu_count")
    _positive(results, "corpus", "chars_median")
    for engine in ("govsearch", "naive", "tantivy", "sqlite"):
        for measure in ("reports_per_s", "chars_per_s", "index_mb"):
            _positive(results, engine, "ingest", measure)
        for stat in ("p50", "p95", "max"):
            _positive(results, engine, "queries", "results_page", stat)
            _positive(results, engine, "queries", "exact", stat)
    for kind in ("concordance_100", "concordance_by_context", "trend"):
        _positive(results, "govsearch", "queries", kind, "p50")
        _positive(results, "govsearch", "queries", kind, "p95")
    context = results["govsearch"]["queries"]["concordance_by_context"]
    assert context["n"] + context["refused"] == 2 * len(results["queries"])  # left and right, each query
    _positive(results, "govsearch", "server", "rss_peak_mb")
    _positive(results, "govsearch", "server", "http", "p50")
    _positive(results, "govsearch", "server", "http", "p95")
    assert results["govsearch"]["server"]["errors"] == 0
    assert results["govsearch"]["ingest"]["counts"]["failed"] == 0
    rows = {row["measure"]: row for row in results["table"]}
    assert rows["ingest reports/s"]["govsearch_vs_naive"] > 0
    assert rows["results page p50 ms"]["govsearch_vs_tantivy"] > 0
    assert rows["exact lookup p95 ms"]["govsearch_vs_sqlite"] > 0
    assert rows["trend p50 ms"]["naive"] is None
    _positive(results, "govsearch", "clean", "ms_per_100kb")  # over ../shared/corpus/html
    _positive(results, "naive", "clean", "ms_per_100kb")
    clean = rows["clean ms per 100 KB HTML"]
    assert clean["govsearch_vs_naive"] > 0 and clean["tantivy"] is None
