"""The array path agrees with Whoosh itself: scores, postings, facets.

The View reads postings and field lengths out of the Whoosh segments and
scores with numpy; these tests hold it to Whoosh's own BM25F on the seed
index, and its facet counts to a count over the stored records.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from whoosh import query as wq

from govsearch.index.analysis import query_words
from govsearch.index.schema import from_stored
from govsearch.search.accel import View
from govsearch.search.evaluate import TITLE_BOOST, collapse, evaluate, facet_counts, filter_mask
from govsearch.search.query import parse
from govsearch.search.selection import selection

WORDS = ["法治", "营商环境", "执法", "双随机", "复议", "枫桥经验", "政府", "蒙速办"]


@pytest.fixture(scope="module")
def view(engine):
    with engine._lock:
        return engine._current()


@pytest.mark.parametrize("word", WORDS)
def test_word_scores_equal_whoosh_bm25f(view, word):
    searcher = view.searcher
    expected = {hit.docnum: hit.score for hit in searcher.search(
        wq.Or([wq.Term("title", word, boost=TITLE_BOOST), wq.Term("text", word)]), limit=None)}
    assert expected, f"{word} should occur in the seeds"
    ours = np.zeros(view.n)
    for field, boost in (("title", TITLE_BOOST), ("text", 1.0)):
        docs, scores = view.word_scores(field, word)
        ours[docs] += boost * scores
    assert set(np.flatnonzero(ours).tolist()) == set(expected)
    for docnum, score in expected.items():
        assert ours[docnum] == pytest.approx(score, rel=1e-5)


def test_postings_equal_whoosh_postings(view):
    reader = view.searcher.reader()
    for word in WORDS:
        docs, tf = view.postings("text", word)
        if ("text", word) not in reader:
            assert len(docs) == 0
            continue
        m = reader.postings("text", word)
        expected = []
        while m.is_active():
            expected.append((m.id(), m.weight()))
            m.next()
        assert list(zip(docs.tolist(), tf.tolist(), strict=True)) == expected


def test_plain_term_matches_all_words_or_substring(view):
    """A plain term's match set: every word of it, or it as a substring."""
    texts = {d: from_stored(view.searcher.stored_fields(d)) for d in np.flatnonzero(view.live)}
    for q in ("营商环境", "法治政府建设", "枫桥", "一件事一次办", "行政复议"):
        match = evaluate(view, parse(q))
        expected = set()
        for docnum, record in texts.items():
            body = (record.get("title", "") + "\n" + record.get("text", "")).lower()
            words = query_words(q)
            if q in body.replace("\n", "") or (words and all(w in body for w in words)):
                expected.add(docnum)
        assert set(np.flatnonzero(match.mask).tolist()) == expected, q


def test_facet_counts_match_stored_records(view):
    match = evaluate(view, parse("法治"))
    chosen = selection(parse("year:2022").filters, view)
    counts = facet_counts(view, match.mask, chosen, enabled=True)
    records = [from_stored(view.searcher.stored_fields(d)) for d in np.flatnonzero(match.mask)]
    years = Counter(r["report_year"] for r in records if r.get("report_year"))
    assert {y: n for y, n in counts["year"][0].items() if y} == dict(years)
    in_2022 = [r for r in records if r.get("report_year") == 2022]
    assert counts["level"][0] == dict(Counter(r["level"] for r in in_2022 if r.get("level")))
    kept, _ = collapse(view, match.mask & filter_mask(view, chosen))
    assert len(kept) == len(in_2022)


def test_occurrences_count_every_exact_match(view):
    match = evaluate(view, parse('"双随机、一公开"'))
    by_source = {view.searcher.stored_fields(int(d))["source"][6:9]: int(match.occurrences[d])
                 for d in np.flatnonzero(match.mask)}
    assert by_source == {"001": 3, "002": 1, "004": 2}


def test_view_of_empty_index(tmp_path):
    from govsearch.index.schema import create_index

    ix = create_index(tmp_path / "ix")
    view = View(ix.searcher(), tmp_path / "ix")
    match = evaluate(view, parse("法治"))
    assert view.n == 0 and not match.mask.any()
