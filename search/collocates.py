"""Collocates: the words most associated with a query near its occurrences.

A query's occurrences are the concordance's lines (``matcher.spans`` over
the texts of the selected reports).  Around each, the words within
``window`` characters on either side in its paragraph are counted, as the
index cut them (search.analysis' jieba words: a named measure such as
枫桥经验 is one word, and a long word's dictionary sub-words count too, as
in the index).  A word counts when it overlaps a window and not an
occurrence; a word in two windows counts once, so the windows are a set of
the reference's tokens.

The reference is the whole index's text field: each word's frequency and
the token count come from the Whoosh index itself (one term lookup per
candidate, no text read), the same for every query, so scores compare
across queries and filters.  Each word's table is (in the windows, in the
rest of the reference) - search.association's cells - ranked by G², with MI
beside it; only words more frequent in the windows than expected (O11 >
E11) are listed.

Interactive, so bounded: reports are read in a seeded pseudo-random order
(the same selection gives the same sample, spread over the whole index
rather than its oldest part) until ``max_lines`` lines or ``max_reports``
reports; the answer says how many of how many were used.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from collections import Counter
from typing import TYPE_CHECKING, Any

import numpy as np

from govsearch.index.analysis import cut_words, query_words, segmenter
from govsearch.search.association import cells, expected, log_likelihood, mutual_information
from govsearch.search.query import ParsedQuery, QueryError, bounded_int

if TYPE_CHECKING:
    from govsearch.search.engine import Selected

FIELD = "text"
MAX_WINDOW = 50
MAX_LIMIT = 500
# What one answer reads at most: ~150 ms of reading and cutting on one core.
MAX_LINES = 2000
MAX_REPORTS = 300
SAMPLE_SEED = 17

# The words listed are content words.  jieba's dictionary tags (ICTCLAS) of
# closed, grammatical classes - conjunctions, interjections, onomatopoeia,
# prepositions, pronouns, particles, modal particles - are never listed;
# a one-character word is not listed either when it is an adverb, a
# locality word, a numeral, a measure word or a non-morpheme (也, 中, 年,
# 个): as single characters these are grammar, while 进一步 or 全面 carry
# meaning.  One-character content words (省, 市, 抓) stay.  A word with no
# letter or ideograph (2022, 3.5%) is a number, never listed.  The filter
# chooses what is shown; every token counts in the totals.
FUNCTION_TAGS = ("c", "e", "o", "p", "r", "u", "y")
MORPHEME_TAGS = ("d", "f", "m", "q", "x")

# A character never inside one of jieba's runs of Han, letters, digits and
# +#&._%-: text is cut run by run, so a stretch between two of these is cut
# exactly as within the whole text.
_BOUNDARY = re.compile(r"[^\w+#&.%\-]")


@functools.lru_cache(maxsize=1 << 16)
def _tag(word: str) -> str:
    """The word's part of speech by the index's dictionary ('' if jieba would cut it)."""
    tagged = segmenter().tag(word)
    return tagged[0][1] if len(tagged) == 1 else ""


def is_content_word(word: str) -> bool:
    """Whether a word may be listed as a collocate or keyword (see FUNCTION_TAGS)."""
    if not any(c.isalpha() for c in word):
        return False
    tag = _tag(word)
    return not (tag.startswith(FUNCTION_TAGS) or (len(word) == 1 and tag.startswith(MORPHEME_TAGS)))


def own_words(parsed: ParsedQuery) -> set[str]:
    """The query's terms and their words: never their own collocates."""
    return {w for t in parsed.terms for w in (t.folded, t.text.lower(), *query_words(t.text))}


def reading_order(docnums: np.ndarray) -> np.ndarray:
    """``docnums`` in a seeded pseudo-random order: a prefix is a sample
    spread over the whole index, the same for the same selection."""
    return np.asarray(docnums)[np.random.default_rng(SAMPLE_SEED).permutation(len(docnums))]


def _merged(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(intervals):
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        elif lo < hi:
            out.append((lo, hi))
    return out


def _overlaps(merged: list[tuple[int, int]], starts: list[int], lo: int, hi: int) -> bool:
    """Whether [lo, hi) overlaps one of the disjoint, sorted ``merged`` intervals."""
    i = bisect_left(starts, hi) - 1
    return i >= 0 and merged[i][1] > lo


def _windows(text: str, spans: list[tuple[int, int]], window: int) -> list[tuple[int, int]]:
    """The stretches within ``window`` characters of each span, in its paragraph."""
    out = []
    for start, end in spans:
        newline = text.find("\n", end)
        out.append((max(start - window, text.rfind("\n", 0, start) + 1), start))
        out.append((end, min(end + window, newline if newline >= 0 else len(text))))
    return _merged(out)


def _region(text: str, lo: int, hi: int) -> tuple[int, int]:
    """[lo, hi) widened to whole jieba runs, so cutting it cuts as the index did."""
    while lo > 0 and not _BOUNDARY.match(text, lo - 1):
        lo -= 1
    after = _BOUNDARY.search(text, hi)
    return lo, after.start() if after else len(text)


def window_words(text: str, spans: list[tuple[int, int]], used: int, window: int) -> list[str]:
    """The words of the windows of the first ``used`` spans: each token
    once, overlapping a window and no occurrence (of all ``spans``)."""
    windows = _windows(text, spans[:used], window)
    nodes = _merged(spans)
    window_starts, node_starts = [w[0] for w in windows], [n[0] for n in nodes]
    words = []
    for lo, hi in _merged([_region(text, lo, hi) for lo, hi in windows]):
        for word, start, end in cut_words(text[lo:hi]):
            start, end = start + lo, end + lo
            if _overlaps(windows, window_starts, start, end) and not _overlaps(nodes, node_starts, start, end):
                words.append(word)
    return words


def _allowances(lines: np.ndarray, max_lines: int) -> np.ndarray:
    """Lines to use of each report in reading order: whole reports until
    the budget, the last one cut to fit, none after."""
    before = np.concatenate([[0], np.cumsum(lines)[:-1]])
    return np.clip(max_lines - before, 0, lines)


def _checked(window: int, limit: int, min_freq: int, max_lines: int, max_reports: int) -> None:
    """Each parameter within its range, or a QueryError naming it."""
    for value, label, name, lo, hi in ((window, "窗口宽度", "window", 1, MAX_WINDOW),
                                       (limit, "条数", "limit", 1, MAX_LIMIT),
                                       (min_freq, "最低频次", "min_freq", 1, 1 << 31),
                                       (max_lines, "最多行数", "max_lines", 1, 1 << 31),
                                       (max_reports, "最多报告数", "max_reports", 1, 1 << 31)):
        bounded_int(str(value), label, name, lo, hi)


class WindowCounts:
    """What the windows of the read lines hold: each word's tokens, the
    reports it is in, all tokens, and how much was read of how much."""

    def __init__(self, selected: Selected, window: int, max_lines: int, max_reports: int):
        lines = selected.match.in_text[selected.kept]
        ordered = reading_order(selected.kept[lines > 0])[:max_reports]
        allowance = _allowances(selected.match.in_text[ordered], max_lines)
        chosen = allowance > 0
        allowed = dict(zip(ordered[chosen].tolist(), allowance[chosen].tolist(), strict=True))
        self.lines_total, self.reports_total = int(lines.sum()), int(np.count_nonzero(lines))
        self.freq: Counter[str] = Counter()
        self.reports: Counter[str] = Counter()
        self.tokens = self.lines_used = self.reports_used = 0
        for docnum, record in selected.records(np.sort(ordered[chosen])):
            text = record.get("text") or ""
            spans = selected.matcher.spans(text)
            used = min(allowed[docnum], len(spans))
            words = window_words(text, spans, used, window)
            self.freq.update(words)
            self.reports.update(set(words))
            self.tokens += len(words)
            self.lines_used += used
            self.reports_used += 1


def _rounded(values: np.ndarray) -> list[float]:
    return [round(float(v), 4) for v in values]


def _ranked(selected: Selected, counts: WindowCounts, min_freq: int, limit: int) -> list[dict[str, Any]]:
    """The listed words' tables against the reference, most associated first."""
    own = own_words(selected.parsed)
    words = sorted(w for w, n in counts.freq.items() if n >= min_freq and w not in own and is_content_word(w))
    if not words:
        return []
    searcher = selected.view.searcher
    with selected.lock:
        reference = np.array([searcher.frequency(FIELD, w) for w in words], dtype=np.float64)
        total = float(searcher.field_length(FIELD))
    o11 = np.array([counts.freq[w] for w in words], dtype=np.float64)
    table = cells(o11, counts.tokens, np.maximum(reference - o11, 0), max(total - counts.tokens, 0))
    g2, mi, e11 = log_likelihood(*table), mutual_information(*table), expected(*table)[0]
    attracted = np.flatnonzero(o11 > e11)
    top = attracted[np.lexsort((attracted, -g2[attracted]))][:limit]
    return [{"word": words[i], "freq": int(o11[i]), "reports": counts.reports[words[i]],
             "reference_freq": int(reference[i]), "expected": e, "mi": m, "g2": g}
            for i, e, m, g in zip(top.tolist(), _rounded(e11[top]), _rounded(mi[top]), _rounded(g2[top]),
                                  strict=True)]


def collocates(selected: Selected, *, window: int = 5, limit: int = 50, min_freq: int = 2,
               max_lines: int = MAX_LINES, max_reports: int = MAX_REPORTS) -> dict[str, Any]:
    """The ``limit`` words most associated with the query within ``window``
    characters of its occurrences (at least ``min_freq`` times there),
    over at most ``max_lines`` lines of ``max_reports`` reports; a query
    that occurs nowhere gives an empty list.  JSON-able."""
    _checked(window, limit, min_freq, max_lines, max_reports)
    if not selected.parsed.terms:
        raise QueryError("搭配词分析需要检索词，如 执法 (collocates need a query term)")
    counts = WindowCounts(selected, window, max_lines, max_reports)
    with selected.lock:
        reference_tokens = int(selected.view.searcher.field_length(FIELD))
    return {"query": selected.parsed.raw, "window": window, "min_freq": min_freq,
            "lines_used": counts.lines_used, "lines_total": counts.lines_total,
            "reports_used": counts.reports_used, "reports_total": counts.reports_total,
            "complete": counts.lines_used == counts.lines_total,
            "window_tokens": counts.tokens, "reference_tokens": reference_tokens,
            "collocates": _ranked(selected, counts, min_freq, limit)}
