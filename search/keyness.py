"""Keyness: the words over- and under-represented in one set of reports against another.

Counts are exact and come from the index: a word's frequency on a side is
the sum of its term frequencies (the postings of the text field) over the
side's docnums, its document frequency how many of them hold it.  Words are
the index's words (jieba search mode: a long word and its dictionary
sub-words each count), listed under the collocates' filter
(search.collocates.is_content_word), and only when they are in at least
``min_share`` of the reports of the side they are key for.

The text field's lexicon is too large to count whole at 100k reports (a
word's postings cost a lookup in each of ~200 segments), so candidates are
found in two stages: a bounded sample of each side - excerpts of many
reports in search.collocates.reading_order, cut as the index cuts - screens
the vocabulary (see _candidates), and CANDIDATES words are counted exactly
from the postings.  A word can be missed when its rates differ by a few
tens of percent between two large, similar sides (the samples are too
small to show it and it is not among their most frequent words); a listed
word's numbers are never estimated.

A side's tokens are exact when its sample read every report whole;
otherwise they are its reports' field lengths, which Whoosh keeps to ~3 %
per report (one byte each, rounded up), scaled by the index's exact total
over the sum of those lengths - off by a few in ten thousand for a side of
hundreds of reports.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from govsearch.index.analysis import cut_words
from govsearch.search.association import cells, log_likelihood, log_ratio
from govsearch.search.collocates import FIELD, MAX_LIMIT, is_content_word, reading_order, without_inner_words
from govsearch.search.query import QueryError, bounded_int

if TYPE_CHECKING:
    from govsearch.search.engine import Selected

# Text each side's sample reads at most (characters): ~0.4 s of cutting per side.
SAMPLE_CHARS = 400_000
# The least a sampled report contributes (characters).
EXCERPT_CHARS = 1500
# Words counted exactly (see _candidates): ~5 ms each over ~200 segments (100k reports).
CANDIDATES = 400
# A keyword of a set of reports is in at least this share of them (see keyness).
MIN_SHARE = 0.05


@dataclass
class Side:
    """One side's selection and what its sample held."""

    selected: Selected
    sample: Counter[str]  # each word's tokens in the sample
    sample_docs: Counter[str]  # the sampled reports holding each word
    sample_tokens: int
    sampled: int  # reports read
    whole: int  # reports read whole

    @property
    def reports(self) -> int:
        return len(self.selected.kept)

    @property
    def complete(self) -> bool:
        return self.whole == self.reports

    def tokens(self) -> int:
        """The side's tokens: counted when the sample is all of it, else estimated from field lengths."""
        if self.complete:
            return self.sample_tokens
        view = self.selected.view
        with self.selected.lock:
            exact_total = view.searcher.field_length(FIELD)
        lengths = view.lengths[FIELD]
        scale = exact_total / lengths.sum() if lengths.sum() else 0.0
        return round(float(lengths[self.selected.kept].sum()) * scale)

    def counts(self, words: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(frequency, document frequency) of each word over the side's reports, from the postings."""
        view = self.selected.view
        inside = np.zeros(view.n, dtype=bool)
        inside[self.selected.kept] = True
        freq, docs = np.zeros(len(words)), np.zeros(len(words), dtype=np.int64)
        with self.selected.lock:
            for i, word in enumerate(words):
                ids, tf = view.postings(FIELD, word)
                held = inside[ids]
                freq[i], docs[i] = tf[held].sum(), np.count_nonzero(held)
        return freq, docs

    def to_dict(self) -> dict[str, Any]:
        return {"query": self.selected.parsed.raw, "reports": self.reports, "tokens": self.tokens(),
                "tokens_exact": self.complete, "sampled_reports": self.sampled}


def excerpt(text: str, docnum: int, size: int) -> str:
    """The whole text if it has at most ``size`` characters, else about
    ``size`` characters of whole paragraphs from a point fixed by the
    docnum: a sample of many excerpts varies less than one of few whole
    reports, whose words cluster."""
    if len(text) <= size:
        return text
    start = text.rfind("\n", 0, docnum * 2654435761 % (len(text) - size)) + 1
    end = text.find("\n", start + size)
    return text[start : end if end >= 0 else len(text)]


def _sampled(selected: Selected, sample_chars: int) -> Side:
    """Read the side's reports in reading order until ``sample_chars``
    characters, an excerpt of each (see excerpt) of an equal share of
    the budget, but at least EXCERPT_CHARS."""
    size = max(EXCERPT_CHARS, sample_chars // max(len(selected.kept), 1))
    sample: Counter[str] = Counter()
    docs: Counter[str] = Counter()
    chars = tokens = read = whole = 0
    for docnum, text in selected.texts(reading_order(selected.kept)):
        if chars >= sample_chars:
            break
        part = excerpt(text, docnum, size)
        words = [w for w, _, _ in cut_words(part)]
        sample.update(words)
        docs.update(set(words))
        chars, tokens, read, whole = chars + len(part), tokens + len(words), read + 1, whole + (part == text)
    return Side(selected, sample, docs, tokens, read, whole)


def _candidates(a: Side, b: Side, budget: int, min_share: float) -> list[str]:
    """The words worth counting exactly, among those in at least half of
    ``min_share`` of either sample's reports (half: room for sampling
    noise).  A word's G² is large when its rates differ much (the samples
    show it) or when it is frequent and its rates differ a little (the
    samples are too small to show that, but such a word is among their most
    frequent).  So a quarter of the budget goes to the most over- and a
    quarter to the most under-represented words of A's sample against B's,
    by G², and the rest to the most frequent words of both samples."""
    words = sorted(w for w in a.sample.keys() | b.sample.keys() if is_content_word(w)
                   and max(a.sample_docs[w] / a.sampled, b.sample_docs[w] / b.sampled) >= min_share / 4)
    fa = np.array([a.sample[w] for w in words], dtype=np.float64)
    fb = np.array([b.sample[w] for w in words], dtype=np.float64)
    g2 = log_likelihood(*cells(fa, a.sample_tokens, fb, b.sample_tokens))
    more_in_a = fa * b.sample_tokens > fb * a.sample_tokens
    chosen: dict[int, None] = {}
    for side in (more_in_a, ~more_in_a):
        chosen.update(dict.fromkeys(np.flatnonzero(side)[np.argsort(-g2[side], kind="stable")[: budget // 4]].tolist()))
    rate = fa / max(a.sample_tokens, 1) + fb / max(b.sample_tokens, 1)
    for i in np.argsort(-rate, kind="stable").tolist():
        if len(chosen) >= budget:
            break
        chosen.setdefault(i)
    return [words[i] for i in sorted(chosen)]


def _listed(words: list[str], rows: dict[str, np.ndarray], chosen: np.ndarray, limit: int) -> list[dict[str, Any]]:
    """The chosen words, highest G² first (then by word), as JSON rows."""
    order = np.flatnonzero(chosen)
    order = order[np.lexsort((order, -rows["g2"][order]))]
    order = without_inner_words(order, words, [rows["freq_a"], rows["freq_b"]])[:limit]
    return [{"word": words[i], "freq_a": int(rows["freq_a"][i]), "freq_b": int(rows["freq_b"][i]),
             "docs_a": int(rows["docs_a"][i]), "docs_b": int(rows["docs_b"][i]),
             "g2": round(float(rows["g2"][i]), 4), "log_ratio": round(float(rows["log_ratio"][i]), 4)}
            for i in order.tolist()]


def _checked(limit: int, min_freq: int, min_share: float, sample_chars: int, candidates: int) -> None:
    for value, label, name, lo, hi in ((limit, "条数", "limit", 1, MAX_LIMIT),
                                       (min_freq, "最低频次", "min_freq", 1, 1 << 31),
                                       (sample_chars, "抽样字数", "sample_chars", 1, 1 << 40),
                                       (candidates, "候选词数", "candidates", 1, 1 << 20)):
        bounded_int(str(value), label, name, lo, hi)
    if not 0 <= min_share <= 1:
        raise QueryError(f"最低报告比例超出范围：{min_share} (min_share must be between 0 and 1)")


DEFAULT_LIMIT, DEFAULT_MIN_FREQ = 50, 3
# A keyword as a table row: over (key for A) or under (key for B), then its counts.
TABLE = {"direction": "string", "word": "string", "freq_a": "int64", "freq_b": "int64", "docs_a": "int64",
         "docs_b": "int64", "g2": "float64", "log_ratio": "float64"}


def table_rows(answer: dict[str, Any]) -> list[dict[str, Any]]:
    """A keyness answer's two lists as one table, each row marked over or under."""
    return [{"direction": direction, **row} for direction in ("over", "under") for row in answer[direction]]


def keyness(a: Selected, b: Selected, *, limit: int = DEFAULT_LIMIT, min_freq: int = DEFAULT_MIN_FREQ,
            min_share: float = MIN_SHARE,
            sample_chars: int = SAMPLE_CHARS, candidates: int = CANDIDATES) -> dict[str, Any]:
    """The ``limit`` words most over-represented in A against B (``over``)
    and most under-represented (``under``), by G², each at least
    ``min_freq`` times in at least ``min_share`` of the reports of the side
    it is key for: a keyword characterizes a set of reports, not one report
    that says a name a hundred times - and a word spread so is one the
    samples find.  ``sample_chars`` bounds each side's sample,
    ``candidates`` the words counted exactly.  A side that selects no
    report gives empty lists (its ``reports`` 0).  JSON-able."""
    _checked(limit, min_freq, min_share, sample_chars, candidates)
    sa, sb = _sampled(a, sample_chars), _sampled(b, sample_chars)
    if not sa.reports or not sb.reports:  # nothing to compare with: say so, and how large the other side is
        return {"a": sa.to_dict(), "b": sb.to_dict(), "min_freq": min_freq, "min_share": min_share,
                "candidates": 0, "over": [], "under": []}
    words = _candidates(sa, sb, candidates, min_share)
    (fa, da), (fb, db) = sa.counts(words), sb.counts(words)
    ta, tb = sa.tokens(), sb.tokens()
    rows = {"freq_a": fa, "freq_b": fb, "docs_a": da, "docs_b": db,
            "g2": log_likelihood(*cells(fa, ta, fb, tb)), "log_ratio": log_ratio(fa, ta, fb, tb)}
    over = (fa * tb > fb * ta) & (fa >= min_freq) & (da >= min_share * sa.reports)
    under = (fb * ta > fa * tb) & (fb >= min_freq) & (db >= min_share * sb.reports)
    return {"a": sa.to_dict(), "b": sb.to_dict(), "min_freq": min_freq, "min_share": min_share,
            "candidates": len(words), "over": _listed(words, rows, over, limit),
            "under": _listed(words, rows, under, limit)}
