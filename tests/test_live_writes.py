"""Serving while writing, crashes mid-ingest, and two writers at once.

Everything runs as a user runs it: ``govsearch serve``, ``ingest`` and
``reindex`` in their own processes, over generated report pages
(:mod:`govsearch.corpus`, what ``scripts/make_corpus.py`` runs).
"""

from __future__ import annotations

import json
import random
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from govsearch.config import PROJECT_ROOT, SEEDS_DIR
from govsearch.corpus import generate
from govsearch.index.schema import INDEX_NAME, index_identity
from govsearch.search.engine import Engine
from tests.conftest import free_port

CLI = [sys.executable, "-m", "govsearch"]
N_REPORTS = 600


def run_cli(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout, cwd=PROJECT_ROOT)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """600 generated report pages (HTML and text, with near-duplicates)."""
    out = tmp_path_factory.mktemp("live-corpus") / "pages"
    generate(N_REPORTS, out, seed=7, progress=False)
    return out


def stored_ids(index_dir: Path) -> list[str]:
    ix = whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)
    with ix.searcher() as searcher:
        return [fields["id"] for fields in searcher.all_stored_fields()]


class Prober:
    """Queries a live server from a thread, as fast as it answers, and keeps
    every failure and the report totals it saw."""

    PATHS = ("/api/search?q={q}", "/?q={q}", "/api/trend?q={q}", "/api/concordance?q={q}&per_page=5",
             "/api/search?q={q}&exact=1&year=2022")
    WORDS = ("法治", "营商环境", "行政执法", "双随机、一公开", "复议")

    def __init__(self, base: str):
        self.base = base
        self.failures: list[str] = []
        self.requests = 0
        self.totals: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _get(self, path: str) -> bytes:
        with urllib.request.urlopen(self.base + path, timeout=60) as response:
            if response.status != 200:
                raise urllib.error.HTTPError(path, response.status, "not 200", response.headers, None)
            return response.read()

    def _run(self) -> None:
        rng = random.Random(1)
        while not self._stop.is_set():
            path = rng.choice(self.PATHS).format(q=urllib.parse.quote(rng.choice(self.WORDS)))
            try:
                self._get(path)
                self.totals.append(json.loads(self._get("/api/stats"))["reports"])
            except (OSError, ValueError, KeyError) as exc:
                self.failures.append(f"{path}: {exc}")
            self.requests += 2

    def __enter__(self) -> Prober:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=120)


@pytest.fixture()
def live_server(tmp_path):
    """``govsearch serve`` (waitress) over a seeds index in its own process."""
    index_dir = tmp_path / "ix"
    assert run_cli("ingest", "-q", str(SEEDS_DIR), "--index", str(index_dir)).returncode == 0
    port = free_port()
    server = subprocess.Popen([*CLI, "serve", "--index", str(index_dir), "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=PROJECT_ROOT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/api/stats", timeout=5).read()
            break
        except OSError:
            assert server.poll() is None and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
    yield base, index_dir
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=30)


def wait_for_total(prober: Prober, total: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not prober.totals or prober.totals[-1] != total:
        assert time.monotonic() < deadline, f"server still reports {prober.totals[-1:]} reports, not {total}"
        time.sleep(0.1)


def test_server_answers_throughout_ingest_and_reindex(live_server, corpus):
    base, index_dir = live_server
    pages = sorted(p for p in corpus.iterdir() if p.suffix in (".html", ".txt"))[:500]
    batch = corpus.parent / "batch-500"
    batch.mkdir()
    for page in pages:
        (batch / page.name).write_bytes(page.read_bytes())
    with Prober(base) as prober:
        time.sleep(1)
        ingest = run_cli("ingest", "-q", str(batch), "--index", str(index_dir))
        assert ingest.returncode == 0, ingest.stdout[-2000:] + ingest.stderr[-2000:]
        wait_for_total(prober, 505)  # picked up without a restart
        swapped_from = index_identity(index_dir)
        reindex = run_cli("reindex", "-q", "--index", str(index_dir))
        assert reindex.returncode == 0, reindex.stderr[-2000:]
        assert index_identity(index_dir) != swapped_from
        time.sleep(2)
        wait_for_total(prober, 505)
    assert prober.failures == [], prober.failures[:5]
    assert prober.requests > 100
    assert prober.totals[0] == 5 and max(prober.totals) == 505
    assert sorted(Counter(stored_ids(index_dir)).values())[-1] == 1


def test_kill_9_mid_ingest_keeps_every_commit_and_a_rerun_completes(corpus, tmp_path):
    index_dir = tmp_path / "ix"
    args = ["ingest", "-q", str(corpus), "--index", str(index_dir)]
    proc = subprocess.Popen([*CLI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=PROJECT_ROOT)
    deadline = time.monotonic() + 300
    committed = 0
    while committed < 500:  # the first commit (COMMIT_EVERY = 500) has landed
        assert proc.poll() is None and time.monotonic() < deadline, "ingest ended before its first commit"
        time.sleep(0.2)
        try:
            committed = len(stored_ids(index_dir))
        except (OSError, ValueError, whoosh_index.EmptyIndexError):
            committed = 0
    # Early in the second batch: its 100 reports take about a second even at 100 reports/s, so the
    # kill lands before the last commit however fast the machine (a 1.5 s wait missed it at 72/s).
    time.sleep(random.Random(3).uniform(0.0, 0.3))
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, "the ingest ended before the kill"

    # The index opens, and every report committed before the kill is whole.
    ids = stored_ids(index_dir)
    assert len(ids) >= 500 and len(set(ids)) == len(ids)
    engine = Engine(index_dir)
    assert engine.search("法治").total > 0
    assert all(engine.get(report_id)["text"] for report_id in ids[:50])
    assert (index_dir / f"{INDEX_NAME}_WRITELOCK").exists()  # left behind by the dead writer

    # The dead writer's lock does not block (the kernel dropped its flock);
    # the same command completes the ingest without duplicates.
    rerun = run_cli(*args)
    assert rerun.returncode == 0, rerun.stdout[-2000:] + rerun.stderr[-2000:]
    counts = re.search(r"added (\d+), updated (\d+), skipped (\d+), failed (\d+)", rerun.stdout)
    added, updated, skipped, failed = map(int, counts.groups())
    assert (added, updated, skipped, failed) == (N_REPORTS - len(ids), 0, len(ids), 0)
    final = stored_ids(index_dir)
    assert len(final) == len(set(final)) == N_REPORTS
    # Whatever the killed writer left half-done in the substring layer was swept.
    grams = index_dir / "grams"
    listed = set(json.loads((grams / "MANIFEST.json").read_text())["chunks"])
    assert {p.name for p in grams.iterdir() if p.is_dir()} == listed
    assert not [p for p in grams.iterdir() if p.name.endswith(".tmp")]


def test_a_second_writer_waits_or_exits_clearly(corpus, tmp_path):
    index_dir = tmp_path / "ix"
    pages = sorted(p for p in corpus.iterdir() if p.suffix in (".html", ".txt"))
    first_half, second_half = tmp_path / "a", tmp_path / "b"
    for folder, chosen in ((first_half, pages[:300]), (second_half, pages[300:320])):
        folder.mkdir()
        for page in chosen:
            (folder / page.name).write_bytes(page.read_bytes())
    first = subprocess.Popen([*CLI, "ingest", "-q", str(first_half), "--index", str(index_dir)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=PROJECT_ROOT)
    lock = index_dir / f"{INDEX_NAME}_WRITELOCK"
    deadline = time.monotonic() + 120
    while not lock.exists():
        assert time.monotonic() < deadline and first.poll() is None
        time.sleep(0.05)
    time.sleep(0.5)
    impatient = run_cli("ingest", "-q", str(second_half), "--index", str(index_dir), "--lock-wait", "1")
    assert impatient.returncode == 1
    assert "being written by another process; waited 1 s" in impatient.stderr
    assert "Traceback" not in impatient.stderr
    reindex = subprocess.Popen([*CLI, "reindex", "-q", "--index", str(index_dir)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, cwd=PROJECT_ROOT)
    second = subprocess.Popen([*CLI, "ingest", "-q", str(second_half), "--index", str(index_dir)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=PROJECT_ROOT)
    _, stderr = first.communicate(timeout=300)
    assert first.returncode == 0, stderr[-2000:]
    # Both waited for the first writer, then took their turns (in either order).
    stdout, stderr = reindex.communicate(timeout=300)
    assert reindex.returncode == 0, stderr[-2000:]
    assert re.search(r"重建 (300|320) 篇报告", stdout), stdout
    stdout, stderr = second.communicate(timeout=300)
    assert second.returncode == 0, stderr[-2000:]
    assert "waiting up to 600 s for its lock" in stderr and "added 20" in stdout
    ids = stored_ids(index_dir)
    assert len(ids) == len(set(ids)) == 320


def _feed_one_seed(index_dir: str, seed: str, start_at: float) -> str:
    """Worker: open a feed on a (possibly new) index at a common instant and
    write one seed report.  Returns 'ok' or the error it met."""
    from govsearch.index.clean import clean_file
    from govsearch.index.feed import IndexFeed

    report = clean_file(Path(seed))
    while time.time() < start_at:
        pass
    try:
        with IndexFeed(Path(index_dir)) as feed:
            feed.offer(report)
    except Exception as exc:  # reported to the test, which shows it
        import traceback
        return f"{type(exc).__name__}: {exc} " + "".join(traceback.format_exc().splitlines(True)[-12:])
    return "ok"


def _warm_imports(_: int) -> None:
    import govsearch.index.clean
    import govsearch.index.feed  # noqa: F401


def test_processes_starting_together_on_a_new_index_all_write(tmp_path):
    """Two crawlers (or a crawler and an ingest) started at once on an index
    that does not exist yet: one creates it, and no process fails or loses
    the report it wrote (Whoosh's create used to delete the other's table
    of contents: about one start in ten failed)."""
    import multiprocessing

    from govsearch.index.clean import clean_file

    seeds = sorted(str(p) for p in SEEDS_DIR.glob("*.txt"))[:4]
    expected = {clean_file(Path(s)).id for s in seeds}
    with multiprocessing.get_context("spawn").Pool(len(seeds)) as pool:
        pool.map(_warm_imports, range(len(seeds)))
        for round_no in range(8):
            index_dir = tmp_path / f"ix{round_no}"
            start_at = time.time() + 0.5
            outcomes = pool.starmap(_feed_one_seed, [(str(index_dir), s, start_at) for s in seeds])
            assert outcomes == ["ok"] * len(seeds), outcomes
            assert set(stored_ids(index_dir)) == expected


def _write_meta_often(index_dir: str, start_at: float) -> str:
    from govsearch.index.schema import write_meta

    while time.time() < start_at:
        pass
    try:
        for _ in range(300):
            write_meta(Path(index_dir))
    except OSError as exc:
        import traceback
        return f"{type(exc).__name__}: {exc} " + "".join(traceback.format_exc().splitlines(True)[-12:])
    return "ok"


def test_writers_finishing_together_both_record_the_version(tmp_path):
    """Each commit rewrites govsearch.json outside the writer lock; two
    processes did so through one temporary file, and one failed."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(2) as pool:
        start_at = time.time() + 1.5
        assert pool.starmap(_write_meta_often, [(str(tmp_path), start_at)] * 2) == ["ok", "ok"]
    assert json.loads((tmp_path / "govsearch.json").read_text(encoding="utf-8"))["schema_version"]
    assert not list(tmp_path.glob("*.tmp"))
