"""Concordance (KWIC): every occurrence of the query in every matching report.

A line is one occurrence of a query term as a whole (punctuation inside it
ignored) - what the substring layer counts.  So the number of lines per
report is known before its text is read, and a page of a concordance sorted
by report or year reads only the reports on that page.  Sorted by context,
a page is found in the substring layer (search.context_walk), which reads
only the reports of the lines near it; where that cannot be (``near``, few
reports, the layer and the text disagreeing) every matching text is read,
and the order found is kept with the index generation, so each later page
reads only its own reports.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

import numpy as np

from govsearch.index.normalize import fold, normalize_query
from govsearch.search import context_walk
from govsearch.search.context_walk import Unwalkable, context_key
from govsearch.search.matching import TextMatcher, exact_regex
from govsearch.search.query import QueryError, Term
from govsearch.search.records import HIT_FIELDS, public

if TYPE_CHECKING:
    from govsearch.search.engine import Matches

DEFAULT_WIDTH = 30
MAX_WIDTH = 200
SORTS = ("year", "report", "left", "right")


@dataclass
class Line:
    """One occurrence: its report (the hit schema's fields, as a search hit
    gives them) and its context."""

    report: dict[str, Any]
    left: str
    match: str
    right: str
    position: int  # character offset of the match in the report text

    def to_dict(self) -> dict[str, Any]:
        return {**public(self.report, HIT_FIELDS), **{name: getattr(self, name) for name in CONTEXT_COLUMNS}}


CONTEXT_COLUMNS = tuple(f.name for f in fields(Line) if f.name != "report")
# A concordance line's columns (CSV and JSON): its report's, then its context's.
LINE_COLUMNS = (*HIT_FIELDS, *CONTEXT_COLUMNS)


def _flat(text: str) -> str:
    return text.replace("\n", " ")


def _left(text: str, start: int, width: int) -> str:
    return _flat(text[max(0, start - width):start])


def _right(text: str, end: int, width: int) -> str:
    return _flat(text[end:end + width])


def _report(record: dict[str, Any]) -> dict[str, Any]:
    return {name: record.get(name, "") for name in HIT_FIELDS}


def _line(report: dict[str, Any], text: str, start: int, end: int, width: int) -> Line:
    return Line(report, _left(text, start, width), _flat(text[start:end]), _right(text, end, width), start)


def lines_of(record: dict[str, Any], matcher: TextMatcher, width: int = DEFAULT_WIDTH) -> Iterator[Line]:
    """The occurrences in one report, in text order."""
    text = record.get("text", "")
    report = _report(record)
    for start, end in matcher.spans(text):
        yield _line(report, text, start, end, width)


def between(records: Iterable[dict[str, Any]], matcher: TextMatcher, start: int, stop: int | None,
            width: int = DEFAULT_WIDTH) -> Iterator[Line]:
    """Lines start..stop of records already in line order, one report's text
    in memory at a time.  A record's ``occurrences`` (from the substring
    layer) says how many lines it has, so records wholly before ``start`` are
    skipped without searching their text."""
    seen = 0
    for record in records:
        if stop is not None and seen >= stop:
            return
        count = record.get("occurrences")
        if count is not None and seen + count <= start:
            seen += count
            continue
        for line in lines_of(record, matcher, width):
            if start <= seen and (stop is None or seen < stop):
                yield line
            seen += 1


def window(records: Iterable[dict[str, Any]], matcher: TextMatcher, start: int, stop: int | None,
           width: int = DEFAULT_WIDTH) -> list[Line]:
    """Lines start..stop as a list (one page)."""
    return list(between(records, matcher, start, stop, width))


def _ordered(records: Matches, matcher: TextMatcher, sort: str, width: int,
             keep: Callable[[str, int, int], bool] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Every line's place (rank of its report, start, end of its match), in
    report order or sorted by context, and how many reports have a line -
    only those lines that ``keep`` holds (given a text and a match's span).
    Every line must be seen before the first, but only its place and sort key
    are kept, and only texts are read (Matches.texts), so memory and work per
    line are one short string; the places are arrays, 12 bytes a line, which
    the view remembers (Matches.remembered) for the pages after the first."""
    key_of = functools.partial(context_key, sort=sort, width=width) if sort in ("left", "right") else None
    keys: list[str] = []
    places: list[tuple[int, int, int]] = []  # per line, in the order the texts are read
    for rank, text in records.texts():
        for begin, end in matcher.spans(text):
            if keep is None or keep(text, begin, end):
                if key_of is not None:
                    keys.append(key_of(text, begin, end))
                places.append((rank, begin, end))
    table = np.array(places, dtype=np.int32).reshape(-1, 3)
    in_report_order = np.lexsort((table[:, 1], table[:, 0]))
    if key_of is not None:  # stable over report order: equal contexts keep it
        in_report_order = sorted(in_report_order.tolist(), key=keys.__getitem__)
    ranks, starts, ends = (np.ascontiguousarray(column) for column in table[in_report_order].T)
    return ranks, starts, ends, len(np.unique(ranks))


def _collected(records: Matches, matcher: TextMatcher, sort: str, width: int, start: int, stop: int | None,
               near: Near | None = None) -> tuple[int, int, list[Line]]:
    """Lines start..stop of every line (those holding ``near``'s word), in
    report order or sorted by context, with how many lines and reports there
    were.  The lines' places come from the view when an earlier page of the
    same concordance put them there; else every matching text is read."""
    ranks, starts, ends, reports = records.remembered(
        ("lines", sort, width, near),
        lambda: _ordered(records, matcher, sort, width, near.holds if near is not None else None))
    chosen = list(zip(ranks[start:stop].tolist(), starts[start:stop].tolist(), ends[start:stop].tolist(),
                      strict=True))
    return len(ranks), reports, _made(records, chosen, width)


class _PageReports:
    """The reports a walked page reads (search.context_walk), each once: its
    hit fields, text, and the span of each of its lines in the text."""

    def __init__(self, records: Matches, matcher: TextMatcher, ranks: np.ndarray):
        self._records, self._matcher, self._ranks = records, matcher, ranks
        self._first = np.searchsorted(ranks, ranks)  # a line's first sibling: ranks run in report order
        self._count = np.bincount(ranks, minlength=records.reports)
        self._read: dict[int, tuple[dict[str, Any], str, list[tuple[int, int]]]] = {}

    def _fill(self, idx: np.ndarray) -> None:
        missing = sorted(set(self._ranks[idx].tolist()) - self._read.keys())
        for rank, record in zip(missing, self._records.at(missing), strict=True):
            text = record.get("text", "")
            spans = self._matcher.spans(text)
            if len(spans) != self._count[rank]:  # the layer and the text disagree: sort by the text
                raise Unwalkable(f"report {rank}: {len(spans)} lines in the text, {self._count[rank]} in the layer")
            self._read[rank] = (_report(record), text, spans)

    def _at(self, i: int) -> tuple[dict[str, Any], str, int, int]:
        report, text, spans = self._read[int(self._ranks[i])]
        start, end = spans[i - int(self._first[i])]
        return report, text, start, end

    def keys(self, idx: np.ndarray, sort: str, width: int) -> list[str]:
        self._fill(idx)
        return [context_key(text, start, end, sort, width) for text, start, end in
                (self._at(i)[1:] for i in idx.tolist())]

    def lines(self, idx: np.ndarray, width: int) -> list[Line]:
        self._fill(idx)
        return [_line(*self._at(i), width) for i in idx.tolist()]


def _walked(records: Matches, matcher: TextMatcher, sort: str, width: int, start: int, stop: int) -> list[Line]:
    """Lines start..stop sorted by context, ordered in the substring layer
    (search.context_walk): only the reports near the page are read.  The
    places and what the walk learnt are kept for the next page.  Raises
    Unwalkable where the layer's counts are not the matches' (then the text
    decides), or where reading every report costs less (WORTH_FROM)."""
    terms = matcher.parsed.terms
    if records.reports_with_occurrences < context_walk.WORTH_FROM:
        raise Unwalkable("few enough reports to read them all")
    places, memo = records.remembered(("walk", sort, width), lambda: (
        records.places([term.folded for term in terms]), context_walk.Memo()))
    if len(places.ranks) != records.occurrences:
        raise Unwalkable("the matches' counts are not the layer's occurrences")
    reports = _PageReports(records, matcher, places.ranks)
    chosen = context_walk.page(places, sort, width, start, stop, lambda idx: reports.keys(idx, sort, width), memo)
    return reports.lines(chosen, width)


def _made(records: Matches, places: list[tuple[int, int, int]], width: int) -> list[Line]:
    """The lines at ``places`` (rank, start, end), in that order, their
    reports read again in report order, one text in memory at a time."""
    at_rank: dict[int, list[int]] = {}
    for i, (rank, _, _) in enumerate(places):
        at_rank.setdefault(rank, []).append(i)
    lines: list[Line] = [None] * len(places)  # type: ignore[list-item]  # every slot is filled below
    ranks = sorted(at_rank)
    for rank, record in zip(ranks, records.at(ranks), strict=True):
        report, text = _report(record), record.get("text", "")
        for i in at_rank[rank]:
            lines[i] = _line(report, text, places[i][1], places[i][2], width)
    return lines


# Characters a context-sorted concordance may hold at once, counted as
# lines × (2·width + LINE_OVERHEAD): about 100,000 lines at the default width,
# 22,000 at the widest - tens of MB, whatever the query.
SORT_BUDGET = 10_000_000
LINE_OVERHEAD = 40


def max_sorted_lines(width: int) -> int:
    """How many lines a sort by context may collect at ``width``."""
    return SORT_BUDGET // (2 * width + LINE_OVERHEAD)


# A page sorted by context that the substring layer orders (search.context_walk)
# holds, per line, its place (40 bytes, kept for the next page) and the walk's
# working arrays: at most ~160 bytes a line (measured at 100k reports: 118 MB at
# the peak for 968,001 lines, 93 MB for 627,869), whatever the width.
WALK_BUDGET = 100 * 1024 * 1024
WALK_LINE_BYTES = 160


def max_walked_lines() -> int:
    """How many lines a page sorted by context may have when the layer orders them."""
    return WALK_BUDGET // WALK_LINE_BYTES


class TooManyLines(QueryError):
    """A context sort over more lines than the budget: the user narrows it."""

    def __init__(self, total: int, cap: int, width: int):
        super().__init__(
            f"此查询有 {total} 行，按左/右语境排序最多 {cap} 行（语境宽度 {width}）：请改为按报告或按年份排序，"
            f"缩小语境宽度，或用年份、层级、省份等条件缩小范围 (sorting by context holds at most {cap} lines "
            f"at width {width}; this query has {total}: sort by report or year, use a smaller width, "
            "or narrow the query with filters)")
        self.total, self.cap = total, cap


@dataclass
class Concordance:
    """One page (or all) of a concordance: lines, and the totals they come from."""

    total: int  # lines in the whole concordance
    reports: int  # reports with at least one line
    lines: Iterable[Line]  # a list for a page; a stream for ``everything`` sorted by report or year


@dataclass(frozen=True)
class Near:
    """Only the lines with ``word`` overlapping the ``window`` characters on
    either side of the match: a collocate's lines, what a click on it shows."""

    word: str
    window: int

    @functools.cached_property
    def _pattern(self) -> re.Pattern:
        return re.compile(exact_regex(Term(self.word)), re.IGNORECASE)

    @classmethod
    def of(cls, raw: str, window: int) -> Near:
        """The word as a user typed it, normalized as a query is."""
        word = normalize_query(raw).strip()
        if not fold(word):
            raise QueryError(f"参数 near 无效：{raw[:40]!r} (near needs a letter, digit or ideograph)")
        return cls(word, window)

    def holds(self, text: str, start: int, end: int) -> bool:
        """The word overlaps the ``window`` characters before ``start`` or
        after ``end`` (as collocates count a word), outside the match."""
        pattern = self._pattern
        reach = self.window + 3 * len(self.word)  # a word with marks inside is longer than its text
        for found in pattern.finditer(text, max(0, start - reach), end + reach):
            lo, hi = found.span()
            if start - self.window < hi <= start or end <= lo < end + self.window:
                return True
        return False


def concordance(records: Matches, matcher: TextMatcher, *, sort: str = "report", width: int = DEFAULT_WIDTH,
                start: int = 0, stop: int | None = None, near: Near | None = None) -> Concordance:
    """Lines ``start``..``stop`` (all of them with ``stop`` None) of the
    concordance of ``records`` (given in relevance order, or newest year
    first for ``sort="year"``).

    Memory is bounded whatever the query.  In report or year order the lines
    follow the records, so a page reads only its own reports and the whole
    concordance streams.  A sort by context must see every line before the
    first: the number of lines is known from the substring layer before any
    text is read.  A page the layer orders holds up to :func:`max_walked_lines`
    lines as arrays; any other sort by context (``near``, the whole
    concordance, few reports) holds every line's context, and above
    :func:`max_sorted_lines` the query is refused with the count
    (:class:`TooManyLines`) instead of filling memory.
    """
    total, reports = records.occurrences, records.reports_with_occurrences
    if near is None and sort in ("report", "year"):
        lines = between(records, matcher, start, stop, width)
        return Concordance(total, reports, list(lines) if stop is not None else lines)
    walkable = near is None and stop is not None
    if walkable and total <= max_walked_lines():
        try:
            return Concordance(total, reports, _walked(records, matcher, sort, width, start, stop))
        except Unwalkable:
            pass
    cap = max_sorted_lines(width)  # with near, how many lines hold the word is known only once all are seen
    if total > cap:
        raise TooManyLines(total, max_walked_lines() if walkable and total > max_walked_lines() else cap, width)
    if near is None:
        return Concordance(total, reports, _collected(records, matcher, sort, width, start, stop)[2])
    return Concordance(*_collected(records, matcher, sort, width, start, stop, near))
