"""A segment written with its field lengths read once a field (index.segment_lengths)
holds the same postings statistics as one Whoosh writes on its own."""

from __future__ import annotations

from govsearch.config import PROJECT_ROOT, SEEDS_DIR
from govsearch.index import segment_lengths
from govsearch.index.build import ingest
from govsearch.index.schema import open_index


def _term_stats(index_dir) -> dict:
    """Every word's postings statistics, the per-posting lengths included (min/max length)."""
    with open_index(index_dir).reader() as reader:
        stats = {}
        for field, text in reader.all_terms():
            if field in ("title", "text", "publisher"):
                info = reader.term_info(field, text)
                stats[field, text] = (info.weight(), info.doc_frequency(), info.min_length(), info.max_length(),
                                      info.max_weight())
        return stats


def test_lengths_read_once_give_whooshs_own_statistics(tmp_path, monkeypatch):
    ingest([SEEDS_DIR], tmp_path / "cached", base=PROJECT_ROOT, workers=1)
    calls = []
    monkeypatch.setattr(segment_lengths, "install", lambda writer: calls.append(writer) or writer)
    ingest([SEEDS_DIR], tmp_path / "plain", base=PROJECT_ROOT, workers=1)
    assert calls  # the second index was written by Whoosh's own length reads
    cached, plain = _term_stats(tmp_path / "cached"), _term_stats(tmp_path / "plain")
    assert len(cached) > 1000
    assert cached == plain
    assert any(stats[2] != stats[3] for stats in cached.values())  # lengths differ between documents: a real check
