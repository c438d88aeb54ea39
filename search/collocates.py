"""Collocates: the words most associated with a query near its occurrences.

A query's occurrences are the concordance's lines (``matcher.spans`` over
the texts of the selected reports).  Around each, the words within
``window`` characters on either side, in its paragraph, are counted as the
index cut them (index.analysis' jieba search-mode words; a long word's
dictionary sub-words count too, as in the index) - except that a named
measure of the dictionary is one word and never its parts, also when a mark
stands inside it (双随机、一公开 is 双随机一公开, not 双随机 and 公开; see
:func:`measures_whole`), and its reference frequency is then the substring
layer's count of it when the windows saw it so.  A word counts when it overlaps a window and no
occurrence; a word in two windows counts once, so the windows are a set of
the index's own tokens.

The reference is the index's text field itself, read without reading any
text: each word's frequency and the token count are Whoosh's term infos and
field lengths, the same for every query, so scores compare across queries
and filters.  Each word's table is A: the windows, B: the reference without
the windows that lie in it (search.association's cells), ranked by G² with
MI beside it; only words more frequent in the windows than expected (O11 >
E11) are listed.  A term lookup costs per segment, so beyond
REFERENCE_REPORTS reports the reference is whole segments spread evenly
over the index (:class:`Reference`), and the answer says so.

Interactive, so bounded: reports are read in a seeded pseudo-random order
(the same selection gives the same sample, spread over the whole index
rather than its oldest part), at most ``max_reports`` of them, sharing
``max_lines`` lines evenly (each report's spread through its text); the
answer says how many lines and reports of how many were used.  The lines
are counted in the texts read, so a selection needs no occurrence counts
(``Engine.selected(counts=False)``), and the lines' total is known (else
null) when every matching report was read.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from collections import Counter
from typing import TYPE_CHECKING, Any

import numpy as np

from govsearch.index.analysis import cut_words, dictionary_words, query_words, segmenter
from govsearch.index.normalize import fold
from govsearch.search.association import cells, expected, log_likelihood, mutual_information
from govsearch.search.query import ParsedQuery, QueryError, bounded_int

if TYPE_CHECKING:
    from govsearch.search.engine import Selected

FIELD = "text"
MAX_WINDOW = 50
MAX_LIMIT = 500
DEFAULT_LIMIT, DEFAULT_MIN_FREQ = 50, 2
# A collocate as a table row (CSV, JSON Lines, Parquet).
TABLE = {"word": "string", "freq": "int64", "reports": "int64", "reference_freq": "int64", "expected": "float64",
         "mi": "float64", "g2": "float64"}
# What one answer reads at most: ~100 ms of reading and cutting on one core at 100k reports (bench).
MAX_LINES = 1000
MAX_REPORTS = 120
SAMPLE_SEED = 17
# The reference (see Reference): ~5,000 reports (~20M tokens), at most 10 term lookups per word.
REFERENCE_REPORTS = 5000
REFERENCE_SEGMENTS = 10

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


# What may stand inside a measure's name (双随机、一公开, 放·管·服) - not quotes or
# sentence marks, which end it (“双随机、一公开”监管 holds 双随机一公开, not …监管).
_INSIDE = "、·•‧・－\\- "
_INNER_PUNCTUATION = re.compile(f"\\w[{_INSIDE}]+\\w")


@functools.lru_cache(maxsize=1)
def _measure_pattern() -> re.Pattern:
    """Any dictionary measure with such marks inside, longest first."""
    words = sorted((w for w in dictionary_words() if len(w) > 1), key=len, reverse=True)
    gap = f"[{_INSIDE}]*"
    return re.compile("|".join(gap.join(map(re.escape, w)) for w in words) or "(?!)", re.IGNORECASE)


def without_inner_words(order: np.ndarray, words: list[str], counts: list[np.ndarray]) -> np.ndarray:
    """``order`` without a word that lies inside another of it with the very
    same counts: the index keeps a long word's dictionary sub-words too
    (十大 in 二十大), and a sub-word counted exactly as often as its word
    occurs only inside it - listing it says nothing new."""
    groups: dict[tuple, list[str]] = {}
    for i in order.tolist():
        groups.setdefault(tuple(int(c[i]) for c in counts), []).append(words[i])
    inner = {w for group in groups.values() for w in group if any(w != o and w in o for o in group)}
    return np.array([i for i in order.tolist() if words[i] not in inner], dtype=np.int64)


def measures_whole(text: str, tokens: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """The tokens of ``text`` with each dictionary measure whole and never
    its parts: the index also keeps 枫桥 and 经验 inside 枫桥经验 (search
    mode), and cuts 双随机、一公开 into 双随机 and 公开; a collocate is the
    measure (经验 alone is no 枫桥经验)."""
    measures = dictionary_words()
    wholes = [(word, start, end) for word, start, end in tokens if word in measures]
    if _INNER_PUNCTUATION.search(text):
        wholes += [(fold(m.group()), m.start(), m.end()) for m in _measure_pattern().finditer(text)
                   if _INNER_PUNCTUATION.search(m.group())]
    if not wholes:
        return tokens
    spans = {(start, end) for _, start, end in wholes}

    def inside(start: int, end: int) -> bool:
        return any(lo <= start and end <= hi and (lo, hi) != (start, end) for lo, hi in spans)

    kept = [(word, start, end) for word, start, end in tokens if not inside(start, end)]
    return kept + [w for w in dict.fromkeys(wholes) if w not in kept and not inside(w[1], w[2])]


def window_words(text: str, used: list[tuple[int, int]], spans: list[tuple[int, int]], window: int,
                 marked: set[str] | None = None) -> list[str]:
    """The words of the windows of the ``used`` spans: each token once,
    overlapping a window and no occurrence (of all ``spans``); into
    ``marked`` the measures that stood with a mark inside (双随机、一公开)."""
    windows = _windows(text, used, window)
    nodes = _merged(spans)
    window_starts, node_starts = [w[0] for w in windows], [n[0] for n in nodes]
    words = []
    for lo, hi in _merged([_region(text, lo, hi) for lo, hi in windows]):
        part = text[lo:hi]
        for word, start, end in measures_whole(part, cut_words(part)):
            start, end = start + lo, end + lo
            if _overlaps(windows, window_starts, start, end) and not _overlaps(nodes, node_starts, start, end):
                words.append(word)
                if marked is not None and text[start:end].lower() != word:
                    marked.add(word)
    return words


def _allowances(lines: np.ndarray, max_lines: int) -> np.ndarray:
    """Lines to use of each report (in reading order): all when they fit;
    else the same number from each (or all it has), so the sample spreads
    over as many reports as it may, the remainder one more each in reading order."""
    if lines.sum() <= max_lines:
        return lines.copy()
    lo, hi = 0, int(lines.max())  # the largest even share that fits
    while lo < hi:
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if np.minimum(lines, mid).sum() <= max_lines else (lo, mid - 1)
    out = np.minimum(lines, lo)
    out[np.flatnonzero(lines > lo)[: max_lines - int(out.sum())]] += 1
    return out


def spread(spans: list[tuple[int, int]], used: int) -> list[tuple[int, int]]:
    """``used`` of a report's spans, evenly spaced through it (not its opening only)."""
    return [spans[i * len(spans) // used] for i in range(used)] if used < len(spans) else spans


class Reference:
    """The reference: whole segments of the index, spread evenly over it,
    holding about REFERENCE_REPORTS reports (every segment of a smaller
    index).  Word frequencies and tokens are exact for them, from Whoosh's
    term infos; a term lookup costs per segment, so the reference is
    bounded to keep the answer interactive (an index of 100k reports has
    ~200 segments).  Deleted reports count until merged away, on both sides."""

    def __init__(self, selected: Selected):
        self.lock, self.view = selected.lock, selected.view
        leaves = list(selected.view.searcher.reader().leaf_readers())
        self.segments = leaves
        for m in range(1, min(len(leaves), REFERENCE_SEGMENTS) + 1):
            self.segments = [leaves[(2 * i + 1) * len(leaves) // (2 * m)] for i in range(m)]
            if sum(seg.doc_count_all() for seg, _ in self.segments) >= REFERENCE_REPORTS:
                break
        self.whole = len(self.segments) == len(leaves)
        self._starts = [offset for _, offset in self.segments]
        self._ends = [offset + seg.doc_count_all() for seg, offset in self.segments]
        with self.lock:
            self.tokens = int(sum(seg.field_length(FIELD) for seg, _ in self.segments))
        self.reports = int(sum(seg.doc_count() for seg, _ in self.segments))

    def holds(self, docnum: int) -> bool:
        i = bisect_left(self._starts, docnum + 1) - 1
        return i >= 0 and docnum < self._ends[i]

    def frequencies(self, words: list[str]) -> np.ndarray:
        """Each word's tokens in the reference, from the index's word postings
        - for a dictionary measure only a lower bound (its punctuated
        spellings are not tokens): see :meth:`measure_frequencies`."""
        with self.lock:
            return np.array([sum(self.view.frequency(seg, FIELD, w) for seg, _ in self.segments) for w in words],
                            dtype=np.float64)

    def measure_frequencies(self, words: list[str]) -> np.ndarray:
        """Dictionary measures' occurrences in the reference from the substring
        layer, punctuated spellings included, as the windows count them - a
        lookup whose cost grows with the index, so asked only for the measures
        that could be listed (see :func:`_ranked`)."""
        within = np.zeros(self.view.n, dtype=bool)
        for a, b in zip(self._starts, self._ends, strict=True):
            within[a:b] = True
        out = []
        for word in words:  # remembered by the view, as its term arrays are
            key = ("reference count", word, tuple(self._starts))
            found = self.view.terms.get(key)
            if found is None:
                count = self.view.substring_counts(word, FIELD, within=within)[within].sum()
                found = self.view.terms.put(key, (np.array([count], dtype=np.float64),))
            out.append(found[0][0])
        return np.array(out, dtype=np.float64)

    def to_dict(self) -> dict[str, Any]:
        return {"tokens": self.tokens, "reports": self.reports, "whole_index": self.whole}


def _checked(window: int, limit: int, min_freq: int, max_lines: int, max_reports: int) -> None:
    """Each parameter within its range, or a QueryError naming it."""
    for value, label, name, lo, hi in ((window, "窗口宽度", "window", 1, MAX_WINDOW),
                                       (limit, "条数", "limit", 1, MAX_LIMIT),
                                       (min_freq, "最低频次", "min_freq", 1, 1 << 31),
                                       (max_lines, "最多行数", "max_lines", 1, 1 << 31),
                                       (max_reports, "最多报告数", "max_reports", 1, 1 << 31)):
        bounded_int(str(value), label, name, lo, hi)


class WindowCounts:
    """What the windows of the read lines hold: each word's tokens (and
    those in the reference), the reports it is in, and how much was read.

    The lines are counted in the reports read, not taken from the
    substring layer: an exact count over every matching report costs a
    lookup that grows with the index, and the sample needs only the lines
    of the reports it reads.  So the total is known only when every
    matching report was read."""

    def __init__(self, selected: Selected, reference: Reference, window: int, max_lines: int, max_reports: int):
        read = reading_order(selected.kept)[:max_reports]
        found = {docnum: (text, selected.matcher.spans(text))
                 for docnum, text in selected.texts(np.sort(read))}
        lines = np.array([len(found[d][1]) for d in read.tolist()], dtype=np.int64)
        allowance = _allowances(lines, max_lines)
        self.reports_total = len(selected.kept)
        self.lines_total = int(lines.sum()) if len(read) == len(selected.kept) else None
        self.marked: set[str] = set()  # measures seen with a mark inside: counted as the substring layer counts
        self.freq: Counter[str] = Counter()
        self.in_reference: Counter[str] = Counter()  # tokens inside the reference's segments
        self.reports: Counter[str] = Counter()
        self.tokens = self.tokens_in_reference = self.lines_used = self.reports_used = 0
        for docnum, allowed in sorted(zip(read.tolist(), allowance.tolist(), strict=True)):
            if allowed:
                self._add(docnum, *found[docnum], allowed, reference, window)

    def _add(self, docnum: int, text: str, spans: list[tuple[int, int]], allowed: int, reference: Reference,
             window: int) -> None:
        used = spread(spans, allowed)
        words = window_words(text, used, spans, window, self.marked)
        self.freq.update(words)
        self.reports.update(set(words))
        if reference.holds(docnum):
            self.in_reference.update(words)
            self.tokens_in_reference += len(words)
        self.tokens += len(words)
        self.lines_used += len(used)
        self.reports_used += 1


def _rounded(values: np.ndarray) -> list[float]:
    return [round(float(v), 4) for v in values]


def _ranked(selected: Selected, reference: Reference, counts: WindowCounts, min_freq: int,
            limit: int) -> list[dict[str, Any]]:
    """The listed words' tables, most associated first: A the windows, B
    the reference without the windows that lie in it."""
    own = own_words(selected.parsed)
    words = sorted(w for w, n in counts.freq.items() if n >= min_freq and w not in own and is_content_word(w))
    if not words:
        return []
    freq = reference.frequencies(words)
    measures = dictionary_words()
    # A measure the windows saw only as a token is counted as every other word; one they saw with a
    # mark inside (双随机、一公开) is not a token there, so its reference count is the substring layer's.
    exact = np.array([w not in measures or w not in counts.marked for w in words])
    o11 = np.array([counts.freq[w] for w in words], dtype=np.float64)
    inside = np.array([counts.in_reference[w] for w in words], dtype=np.float64)
    rest = max(reference.tokens - counts.tokens_in_reference, 0)
    while True:
        # A measure's count so far is a lower bound, its G² an upper one: a
        # larger reference count only lowers an attracted word's G².  So only
        # the measures that rank in the list are counted exactly, until the
        # list holds exact counts alone.
        table = cells(o11, counts.tokens, np.maximum(freq - inside, 0), rest)
        g2, mi, e11 = log_likelihood(*table), mutual_information(*table), expected(*table)[0]
        attracted = np.flatnonzero(o11 > e11)
        ranked = attracted[np.lexsort((attracted, -g2[attracted]))]
        top = without_inner_words(ranked, words, [o11, freq])[:limit]
        pending = top[~exact[top]]
        if not len(pending):
            break
        freq[pending] = np.maximum(reference.measure_frequencies([words[i] for i in pending]), freq[pending])
        exact[pending] = True
    return [{"word": words[i], "freq": int(o11[i]), "reports": counts.reports[words[i]],
             "reference_freq": int(freq[i]), "expected": e, "mi": m, "g2": g}
            for i, e, m, g in zip(top.tolist(), _rounded(e11[top]), _rounded(mi[top]), _rounded(g2[top]),
                                  strict=True)]


def collocates(selected: Selected, *, window: int = 5, limit: int = DEFAULT_LIMIT, min_freq: int = DEFAULT_MIN_FREQ,
               max_lines: int = MAX_LINES, max_reports: int = MAX_REPORTS) -> dict[str, Any]:
    """The ``limit`` words most associated with the query within ``window``
    characters of its occurrences (at least ``min_freq`` times there),
    over at most ``max_lines`` lines of ``max_reports`` reports; a query
    that occurs nowhere gives an empty list.  JSON-able."""
    _checked(window, limit, min_freq, max_lines, max_reports)
    if not selected.parsed.terms:
        raise QueryError("搭配词分析需要检索词，如 执法 (collocates need a query term)")
    reference = Reference(selected)
    counts = WindowCounts(selected, reference, window, max_lines, max_reports)
    return {"query": selected.parsed.raw, "window": window, "min_freq": min_freq,
            "lines_used": counts.lines_used, "lines_total": counts.lines_total,
            "reports_used": counts.reports_used, "reports_total": counts.reports_total,
            "complete": counts.lines_used == counts.lines_total, "window_tokens": counts.tokens,
            "reference": reference.to_dict(), "collocates": _ranked(selected, reference, counts, min_freq, limit)}
