"""The one adapter over Whoosh's codec internals (search.whoosh_codec): the
fast reads equal Whoosh's public calls, and a codec it does not know gives
the same numbers by the public path - loudly, in the log - never wrong ones."""

from __future__ import annotations

import logging
from importlib.metadata import version

import numpy as np
import pytest
from whoosh import index as whoosh_index

from govsearch.index.schema import INDEX_NAME
from govsearch.search import whoosh_codec


@pytest.fixture()
def segment(seed_index):
    ix = whoosh_index.open_dir(str(seed_index), indexname=INDEX_NAME)
    with ix.searcher() as searcher:
        yield searcher.reader().leaf_readers()[0][0]


def _public_postings(segreader, field, word):
    m = segreader.postings(field, word)
    ids, weights = [], []
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        m.next()
    return np.array(ids), np.array(weights)


def test_the_installed_whoosh_is_a_tested_release():
    major, minor = (int(part) for part in version("Whoosh-Reloaded").split(".")[:2])
    assert (major, minor) in whoosh_codec.TESTED, "search/whoosh_codec.py reads internals of another release"


def test_fast_reads_equal_the_public_calls(segment):
    words = [w.decode("utf-8") for w in list(segment.lexicon("text"))[:200:20]]
    assert words
    for word in words:
        fast = whoosh_codec.postings(segment, "text", word)
        slow = _public_postings(segment, "text", word)
        assert np.array_equal(fast[0], slow[0]) and np.array_equal(fast[1], slow[1]), word
    lengths = whoosh_codec.field_lengths(segment, "text")
    public = [segment.doc_field_length(d, "text", 0) for d in range(segment.doc_count_all())]
    assert np.allclose(lengths, public)


class OtherCodec:
    """A segment of a codec the adapter does not know: postings come as a
    plain list matcher, and there is no whoosh3 length column."""

    def __init__(self, segment):
        self._segment = segment

    def postings(self, field, word):
        from whoosh.matching import ListMatcher

        ids, weights = _public_postings(self._segment, field, word)
        return ListMatcher([int(i) for i in ids], weights=[float(w) for w in weights])

    def doc_count_all(self):
        return self._segment.doc_count_all()

    def doc_field_length(self, docnum, field, default=0):
        return self._segment.doc_field_length(docnum, field, default)


def test_an_unknown_codec_takes_the_public_path_and_says_so(segment, caplog):
    word = next(iter(segment.lexicon("text"))).decode("utf-8")
    expected = whoosh_codec.postings(segment, "text", word)
    expected_lengths = whoosh_codec.field_lengths(segment, "text")
    whoosh_codec._warn_once.cache_clear()
    other = OtherCodec(segment)
    with caplog.at_level(logging.WARNING, logger="govsearch.search.whoosh_codec"):
        got = whoosh_codec.postings(other, "text", word)
        lengths = whoosh_codec.field_lengths(other, "text")
    assert np.array_equal(got[0], expected[0]) and np.array_equal(got[1], expected[1])
    assert np.allclose(lengths, expected_lengths)
    assert caplog.text.count("public (slower) calls") == 2  # once for postings, once for lengths
    whoosh_codec._warn_once.cache_clear()


def test_a_segment_with_deleted_documents_is_read_block_by_block(tmp_path, caplog):
    """A re-ingested report leaves its old document deleted in its segment,
    and Whoosh then filters that segment's postings one by one: the fast read
    drops the deleted documents itself and gives the public call's numbers."""
    from govsearch.index.build import write_reports
    from govsearch.index.report import Report

    text = "本年度推进依法行政，严格规范公正文明执法，开展执法监督检查。"
    reports = [Report(id=f"{i:040d}", source=f"r{i}.txt", title=f"第{i}号", text=text * (i + 1)) for i in range(6)]
    write_reports(tmp_path / "ix", reports)
    ix = whoosh_index.open_dir(str(tmp_path / "ix"), indexname=INDEX_NAME)
    with ix.writer() as writer:  # the first documents too: the filter starts past them
        for i in (0, 2, 4):
            writer.delete_by_term("id", reports[i].id)
    whoosh_codec._warn_once.cache_clear()  # a warning an earlier test gave is given again
    with ix.searcher() as searcher, caplog.at_level(logging.WARNING):
        (segment, _), = searcher.reader().leaf_readers()
        assert segment.has_deletions()
        words = [w.decode("utf-8") for w in segment.lexicon("text")]
        for word in words:
            fast, slow = whoosh_codec.postings(segment, "text", word), _public_postings(segment, "text", word)
            assert np.array_equal(fast[0], slow[0]) and np.array_equal(fast[1], slow[1]), word
        assert 2 not in _public_postings(segment, "text", "执法")[0]
        only = whoosh_codec.postings(segment, "title", "0")  # every posting of the word deleted
        assert len(only[0]) == 0 and len(_public_postings(segment, "title", "0")[0]) == 0
    assert len(words) > 5
    assert "whoosh codec" not in caplog.text
