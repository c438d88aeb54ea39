"""No leftovers: what a writer killed with -9 leaves is cleared by the next one.

A killed reindex leaves its staging folder ``<index>.reindex-<pid>``; a commit
killed between its substring-layer flush and its Whoosh commit leaves layer
entries no Whoosh document has.  Both are removed by the next writer, under
the write lock, and nothing live is touched.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from govsearch.config import PROJECT_ROOT
from govsearch.index import grams, writer
from govsearch.index.build import ingest, reindex, write_reports
from govsearch.index.report import Report
from govsearch.search.engine import Engine
from tests.conftest import seed_path
from tests.test_grams import TEXTS

CLI = [sys.executable, "-m", "govsearch"]


def dead_pid() -> int:
    """The id of a process that has exited."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def report(n: int, text: str) -> Report:
    return Report(id=f"{n:040d}", source=f"r{n}.txt", title=f"某县报告{n}", text=text)


def layer_serials(index_dir: Path) -> dict[str, list[int]]:
    root = index_dir / grams.GRAMS_DIR
    return {name: np.fromfile(root / name / "serials", dtype=np.int64).tolist() for name in grams.read_manifest(root)}


def whoosh_serials(index_dir: Path) -> set[int]:
    """The layer serial of every Whoosh document, deleted ones included."""
    from govsearch.index.schema import SERIAL_FIELD, open_index

    with open_index(index_dir).reader() as reader:
        return set(reader.column_reader(SERIAL_FIELD))


def chunk_folders(index_dir: Path) -> set[str]:
    return {p.name for p in (index_dir / grams.GRAMS_DIR).iterdir() if p.is_dir()}


# --------------------------------------------------------------- the layer
def test_merging_with_a_keep_mask_equals_a_build_of_the_kept_reports():
    parts = [TEXTS[:2], TEXTS[2:], ["", "双随机"]]
    keep = [np.array([False, True]), np.array([True, False]), np.array([True, True])]
    merged = grams.merge_fields([grams.build_field([grams.codes_of(t) for t in p]) for p in parts], keep=keep)
    kept = [t for p, k in zip(parts, keep, strict=True) for t, flag in zip(p, k, strict=True) if flag]
    whole = grams.build_field([grams.codes_of(t) for t in kept])
    for attr in ("keys", "pos_off", "pos", "doc_off", "docs", "counts", "doc_start"):
        assert np.array_equal(getattr(merged, attr), getattr(whole, attr)), attr


KILLED_COMMIT = """
import os, signal, sys
from pathlib import Path

from govsearch.index import grams
from govsearch.index.writer import open_writer
from govsearch.index.schema import open_index

index_dir = Path(sys.argv[1])
if sys.argv[2] == "merge":  # every chunk in one size class: the flush merges the new chunk with the live one
    grams.BASE_CODES, grams.MERGE_FACTOR = 10, 2
ix = open_index(index_dir)
writer = open_writer(ix, index_dir)
layer = grams.LayerWriter(index_dir)
for n in range(int(sys.argv[3])):
    layer.add({"text": f"被杀死的提交第{n}号", "title": ""})
layer.flush()
os.kill(os.getpid(), signal.SIGKILL)  # between the layer flush and the Whoosh commit
"""


def kill_a_commit(index_dir: Path, tmp_path: Path, mode: str, reports: int) -> None:
    script = tmp_path / "killed_commit.py"
    script.write_text(KILLED_COMMIT, encoding="utf-8")
    proc = subprocess.run([sys.executable, str(script), str(index_dir), mode, str(reports)], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr


def test_a_chunk_of_a_killed_commit_is_dropped_by_the_next_commit(tmp_path):
    index_dir = tmp_path / "ix"
    pages = tmp_path / "pages"
    pages.mkdir()
    for prefix in ("000", "001"):
        (pages / seed_path(prefix).name).write_bytes(seed_path(prefix).read_bytes())
    ingest([pages], index_dir)
    live = layer_serials(index_dir)
    kill_a_commit(index_dir, tmp_path, "plain", 3)
    before = layer_serials(index_dir)
    (dead_chunk,) = set(before) - set(live)
    assert len(before[dead_chunk]) == 3 and not set(before[dead_chunk]) & whoosh_serials(index_dir)

    (pages / seed_path("002").name).write_bytes(seed_path("002").read_bytes())
    assert ingest([pages], index_dir).counts()["added"] == 1  # the next commit
    after = layer_serials(index_dir)
    assert dead_chunk not in after and dead_chunk not in chunk_folders(index_dir)
    assert set(live) <= set(after)  # live chunks are not rewritten
    assert {s for serials in after.values() for s in serials} == whoosh_serials(index_dir)
    assert chunk_folders(index_dir) == set(after)
    assert Engine(index_dir).search('"法治政府"', exact=True).total == 3


def test_a_merged_chunk_partly_dead_is_rewritten_without_the_dead_reports(tmp_path):
    index_dir = tmp_path / "ix"
    write_reports(index_dir, [report(1, "推行双随机、一公开监管。")])
    live_serials = whoosh_serials(index_dir)
    kill_a_commit(index_dir, tmp_path, "merge", 2)
    (merged,) = layer_serials(index_dir).items()  # the killed flush merged its chunk with the live one
    assert set(merged[1]) > live_serials and len(merged[1]) == 3

    write_reports(index_dir, [report(2, "全面推行蒙速办。")])  # the next commit
    after = layer_serials(index_dir)
    assert merged[0] not in after and merged[0] not in chunk_folders(index_dir)
    assert {s for serials in after.values() for s in serials} == whoosh_serials(index_dir)
    assert sorted(len(s) for s in after.values()) == [1, 1]
    rewritten = next(name for name, serials in after.items() if set(serials) == live_serials)
    chunk = grams.Chunk(index_dir / grams.GRAMS_DIR / rewritten)
    expected = grams.build_field([grams.codes_of("推行双随机、一公开监管。")])
    assert np.array_equal(chunk.fields["text"].arrays().pos, expected.pos)
    assert np.array_equal(chunk.fields["text"].arrays().keys, expected.keys)
    chunk.close()
    engine = Engine(index_dir)
    assert [h.occurrences for h in engine.search('"双随机"', exact=True).hits] == [1]
    assert engine.search('"蒙速办"', exact=True).total == 1


def test_a_writer_keeps_the_chunks_it_flushed_before_its_own_commit(tmp_path, monkeypatch):
    """write_reports (and so reindex) flushes several chunks before its one
    Whoosh commit: none of them may be taken for a killed commit's."""
    monkeypatch.setattr(writer, "COMMIT_EVERY", 2)
    index_dir = tmp_path / "ix"
    write_reports(index_dir, [report(n, f"第{n}号报告推行双随机一公开") for n in range(5)])
    assert len(layer_serials(index_dir)) == 3
    assert Engine(index_dir).search('"双随机一公开"', exact=True).total == 5
    assert reindex(index_dir) == 5
    assert Engine(index_dir).search('"双随机一公开"', exact=True).total == 5


# ------------------------------------------------------- staging folders
def _write_with(writer: str, index_dir: Path, tmp_path: Path) -> None:
    if writer == "ingest":
        page = tmp_path / "more" / "page.txt"
        page.parent.mkdir(exist_ok=True)
        page.write_bytes(seed_path("003").read_bytes())
        ingest([page.parent], index_dir)
    elif writer == "feed":
        from govsearch.index.feed import IndexFeed

        with IndexFeed(index_dir) as feed:
            feed.offer(report(9, "推行双随机、一公开监管，全面推行蒙速办。"))
    else:
        reindex(index_dir)


@pytest.mark.parametrize("writer", ["ingest", "feed", "reindex"])
def test_every_writer_removes_staging_folders_of_dead_reindexes_only(tmp_path, writer):
    index_dir = tmp_path / "ix"
    write_reports(index_dir, [report(1, "推行双随机、一公开监管。")])
    dead, alive = dead_pid(), os.getppid()  # the process that started the tests: alive
    leftover = tmp_path / f"ix.reindex-{dead}"
    (leftover / "grams").mkdir(parents=True)
    (leftover / "reports_1.seg").write_bytes(b"\0" * 100_000)
    keep = [tmp_path / f"ix.reindex-{alive}", tmp_path / f"other.reindex-{dead}", tmp_path / "ix.reindex-notapid"]
    for folder in keep:
        folder.mkdir()
    _write_with(writer, index_dir, tmp_path)
    assert not leftover.exists()
    assert all(folder.exists() for folder in keep)


def test_a_reindex_killed_with_sigkill_leaves_its_folder_and_the_next_writer_removes_it(tmp_path):
    from govsearch.index.clean import clean_file

    index_dir = tmp_path / "ix"
    texts = [clean_file(seed_path(p)).text for p in ("000", "001", "002", "003", "004")]
    write_reports(index_dir, [report(n, f"{texts[n % 5]}\n第{n}号。") for n in range(400)])
    proc = subprocess.Popen([*CLI, "reindex", "-q", "--index", str(index_dir)], cwd=PROJECT_ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    staging = tmp_path / f"ix.reindex-{proc.pid}"
    deadline = time.monotonic() + 120
    while not (staging / "govsearch.json").exists():
        assert proc.poll() is None and time.monotonic() < deadline, "the reindex ended before it was killed"
        time.sleep(0.01)
    time.sleep(0.3)  # well into the build
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert staging.is_dir() and sum(p.stat().st_size for p in staging.rglob("*") if p.is_file()) > 0
    assert Engine(index_dir).stats()["reports"] == 400  # the live index is whole

    page = tmp_path / "more" / "page.txt"
    page.parent.mkdir()
    page.write_bytes(seed_path("003").read_bytes())
    rerun = subprocess.run([*CLI, "ingest", "-q", str(page.parent), "--index", str(index_dir)], cwd=PROJECT_ROOT,
                           capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert not staging.exists()
    assert Engine(index_dir).stats()["reports"] == 401
