"""Word counts queued in columns (index.posting_writer) give every posting,
weight, value and statistic Whoosh's own tuple path writes: on generated
reports and the seeds, with reports whose words Whoosh cuts itself in the
same segment, with a pool small enough to spill to disk, and with old
segments merged in."""

from __future__ import annotations

from pathlib import Path

import pytest

from govsearch.config import SEEDS_DIR
from govsearch.corpus import generate
from govsearch.index import build, posting_writer
from govsearch.index.schema import SERIAL_FIELD, WORD_FIELDS, open_index
from govsearch.index.writer import ReportWriter


@pytest.fixture(scope="module")
def worked(tmp_path_factory) -> list[build.Worked]:
    """Cleaned, prepared reports: 150 generated pages (so common words pass
    Whoosh's 128-posting blocks) and the seeds."""
    pages = tmp_path_factory.mktemp("pages")
    generate(150, pages, seed=5, progress=False)
    files = sorted(p for p in [*pages.iterdir(), *SEEDS_DIR.glob("*.txt")] if p.suffix in (".html", ".txt"))
    out = [build._prepare((str(p), p.name, p.name, None)) for p in files]
    return [w for w in out if isinstance(w.result, build.Report)]


def _write(index_dir: Path, worked: list[build.Worked], *, uncounted: int = 0, commit_every: int | None = None,
           **options) -> None:
    """Every ``uncounted``-th report without its worker's counts (Whoosh cuts its words)."""
    with ReportWriter(index_dir, commit_every=commit_every, link=False, **options) as out:
        for i, w in enumerate(worked):
            prepared = None if uncounted and i % uncounted == 0 else w.prepared
            out.put(build.Report(**w.result.to_dict()), prepared)


def _postings(index_dir: Path) -> dict:
    """Every term of every field: its postings (docnum, weight, value) and statistics; and every field length."""
    with open_index(index_dir).reader() as reader:
        out = {}
        for field, text in reader.all_terms():
            if field == SERIAL_FIELD:  # a new random serial each write
                continue
            info = reader.term_info(field, text)
            matcher = reader.postings(field, text)
            out[field, text] = ([(d, matcher.weight(), matcher.value()) for d in _ids(matcher)],
                                (info.weight(), info.doc_frequency(), info.min_length(), info.max_length(),
                                 info.max_weight()))
        for docnum in range(reader.doc_count_all()):
            for field in WORD_FIELDS:
                out["length", field, docnum] = reader.doc_field_length(docnum, field)
        return out


def _ids(matcher):
    while matcher.is_active():
        yield matcher.id()
        matcher.next()


CASES = {
    "columns": {},
    "some reports cut by Whoosh": {"uncounted": 7},
    "spilled to disk": {"limitmb": 0.2},
    "old segments merged in": {"commit_every": 40, "merge": True},
}


@pytest.mark.parametrize("case", CASES)
def test_columns_write_whooshs_own_postings(case, worked, tmp_path, monkeypatch):
    _write(tmp_path / "columns", worked, **CASES[case])
    monkeypatch.setattr(posting_writer, "install", lambda writer: writer)
    _write(tmp_path / "tuples", worked, **CASES[case])
    columns, tuples = _postings(tmp_path / "columns"), _postings(tmp_path / "tuples")
    assert columns == tuples
    words = [key for key in columns if key[0] == "text"]
    assert len(words) > 3000
    assert max(len(columns[key][0]) for key in words) > 128  # postings span more than one block
    assert not any(key[1] == posting_writer.LENGTH_TERM.encode() for key in columns
                   if len(key) == 2 and key[0] in WORD_FIELDS)  # the placeholders were dropped


def test_spilling_and_merging_leave_whooshs_path(worked, tmp_path, monkeypatch):
    """The two fallbacks are taken (so the cases above test them)."""
    seen = []
    real = posting_writer.ColumnPool.to_tuples
    monkeypatch.setattr(posting_writer.ColumnPool, "to_tuples", lambda pool: seen.append(1) or real(pool))
    _write(tmp_path / "spilled", worked[:40], limitmb=0.2)
    assert seen
    seen.clear()
    _write(tmp_path / "columns", worked[:40])
    assert not seen
