"""Run a query against the index: match, filter, rank, count facets, page, highlight.

One long-lived searcher serves every request and is refreshed only when a
commit has landed, so a running server sees new reports without a restart.
With each searcher comes a View (search.accel): its columns, postings and
substrings as arrays, over which a query is matched, scored, counted,
collapsed and ordered (search.evaluate).  Stored records are read only for
the page shown - and for every match when a query is scoped to sections,
which the arrays do not know.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from whoosh import scoring
from whoosh.index import EmptyIndexError

from govsearch.index.analysis import segmenter
from govsearch.index.schema import PRIVATE, check_schema, from_stored, index_identity, open_index, read_meta
from govsearch.search import aliases, budget
from govsearch.search.accel import Places, SegmentCache, View
from govsearch.search.distribution import distribution
from govsearch.search.evaluate import Match, contains, evaluate, facet_counts, filter_mask, order
from govsearch.search.evaluate import collapse as collapse_matches
from govsearch.search.highlight import snippets
from govsearch.search.kwic import DEFAULT_WIDTH, Near, concordance
from govsearch.search.matching import TextMatcher
from govsearch.search.query import Filters, ParsedQuery, parse
from govsearch.search.records import HIT_FIELDS, public
from govsearch.search.selection import FACETS, Selection, selection

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_PER_PAGE = 100
# Tries to open the latest commit when files vanish under a refresh.
REOPEN_ATTEMPTS = 5


@dataclass
class Hit:
    fields: dict[str, Any]
    score: float
    snippets: list[str]
    sections: list[dict[str, Any]] = field(default_factory=list)  # sections where the query matched
    occurrences: int | None = None
    duplicates: int = 0  # near-duplicates collapsed under this hit

    def to_dict(self) -> dict[str, Any]:
        out = {**public(self.fields, HIT_FIELDS), "score": round(self.score, 4), "snippets": self.snippets,
               "sections": self.sections, "duplicates": self.duplicates}
        if self.occurrences is not None:
            out["occurrences"] = self.occurrences
        return out


@dataclass
class SearchResult:
    query: str
    parsed: ParsedQuery
    total: int
    page: int
    per_page: int
    took_ms: float
    sort: str
    collapse: bool = True
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # Known values per facet among the matches: more than a facet lists when its list is capped.
    facet_values: dict[str, int] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "aliases": self.parsed.aliases,  # what 包含别名 (expand) added to the query
            "parsed": self.parsed.to_dict(),
            "total": self.total,
            "page": self.page,
            "per_page": self.per_page,
            "sort": self.sort,
            "collapse": self.collapse,
            "took_ms": round(self.took_ms, 2),
            "hits": [h.to_dict() for h in self.hits],
            "facets": self.facets,
            "facet_values": self.facet_values,
        }


def _each(lock: threading.Lock, docnums: Iterable[int], read: Callable[[int], T]) -> Iterator[tuple[int, T]]:
    """(docnum, read(docnum)) of ``docnums``, one at a time, each read under
    the lock (the searcher may be shared with other requests) and within the
    request's budget."""
    for docnum in docnums:
        budget.check()
        with lock:
            value = read(docnum)
        yield docnum, value


@dataclass
class Selected:
    """A query's selected reports over one view (see Engine.selected)."""

    view: View
    parsed: ParsedQuery
    matcher: TextMatcher
    match: Match
    kept: np.ndarray  # docnums of the matching reports, ascending, near-duplicates collapsed
    population: np.ndarray  # docnums the filters select (query aside), collapsed the same way
    lock: threading.Lock  # held while reading stored records of the view

    def records(self, docnums: np.ndarray) -> Iterator[tuple[int, dict[str, Any]]]:
        """(docnum, stored record) of ``docnums``, read one at a time."""
        return _each(self.lock, np.asarray(docnums).tolist(), self.view.record)

    def texts(self, docnums: np.ndarray) -> Iterator[tuple[int, str]]:
        """(docnum, text) of ``docnums``: cheaper than their records
        (index.stored_record), for readers that need only text."""
        return _each(self.lock, np.asarray(docnums).tolist(), self.view.text)


class Matches:
    """A query's matching records in order, read lazily from the searcher of
    the moment the query ran, so a long stream sees one consistent index;
    totals come from the arrays without reading anything."""

    def __init__(self, lock: threading.Lock, view: View, ranked: np.ndarray, match: Match,
                 key: Hashable | None = None):
        """``key``: what selected and ordered these matches (query, filters,
        order), so that work derived from them can be remembered for the
        view's generation (:meth:`remembered`); None remembers nothing."""
        self._lock, self._view, self._ranked, self._match, self._key = lock, view, ranked, match, key
        counts = match.in_text[ranked]
        self.reports = len(ranked)
        self.occurrences = int(counts.sum())
        self.reports_with_occurrences = int(np.count_nonzero(counts))

    def __iter__(self):
        return self.at(range(self.reports))

    def texts(self) -> Iterator[tuple[int, str]]:
        """(rank, text) of every record, in the order they are stored, not
        ranked: all a sort by context reads of a report, read front to back
        through the stored records - a disk reads ahead, where the ranked
        order would jump about a file that may be larger than its cache."""
        ranks = np.argsort(self._ranked)  # the ranks of the docnums, ascending
        docnums = self._ranked[ranks].tolist()
        return zip(ranks.tolist(), (text for _, text in _each(self._lock, docnums, self._view.text)), strict=True)

    def places(self, folded: list[str]) -> Places:
        """Every occurrence of some folded strings in these records' texts,
        from the substring layer (View.substring_places), in report order."""
        return self._view.substring_places(folded, self._ranked)

    def remembered(self, what: Hashable, make: Callable[[], T]) -> T:
        """``make()``, kept under ``what`` for as long as this generation's
        view keeps it (its byte budget), so that the next page of a
        concordance sorted by context does not sort again."""
        if self._key is None:
            return make()
        key = (self._key, what)
        found = self._view.line_orders.get(key)
        return found if found is not None else self._view.line_orders.put(key, make())

    def at(self, ranks: Iterable[int]):
        """The records of the given places in the order (0 is the first match), in the order given."""
        docnums = (int(self._ranked[rank]) for rank in ranks)
        for docnum, record in _each(self._lock, docnums, self._view.record):
            record["score"] = float(self._match.scores[docnum])
            record["occurrences"] = int(self._match.in_text[docnum])
            yield record


class Engine:
    """The read path over one index directory."""

    def __init__(self, index_dir: Path):
        self.index_dir = Path(index_dir)
        self._ix = open_index(self.index_dir)
        check_schema(self.index_dir)
        self._lock = threading.Lock()
        self._identity = index_identity(self.index_dir)
        self._segments = SegmentCache()  # per-segment arrays and postings, reused across commits
        self._view = self._fresh_view()
        segmenter()  # load the dictionary now, not in the first request
        self.warnings = self._check_version()
        for warning in self.warnings:
            log.warning(warning)

    def _check_version(self) -> list[str]:
        meta = read_meta(self.index_dir)
        if meta is None:
            return ["索引缺少 govsearch.json，可能由早期版本建立 (no govsearch.json; the index may predate "
                    "versioning)"]
        problems = meta.mismatches()
        if problems:
            return [f"索引与当前程序不一致，请运行 govsearch reindex (index built with other settings: "
                    f"{'; '.join(problems)})"]
        return []

    def _current(self) -> View:
        """The view, rebuilt over a fresh searcher if a writer has committed
        since, or over a fresh index if a reindex swapped the directory.
        Callers hold ``self._lock``.

        A fresh searcher, never ``Searcher.refresh()``: Whoosh-Reloaded's
        refresh keeps the readers of segments a commit merged away, so their
        reports would count twice.  A commit that merges segments deletes
        the files of the old ones; opening a searcher while it runs can find
        a listed file gone.  Then the latest table of contents is read
        again: the race never reaches a request.
        """
        for attempt in range(REOPEN_ATTEMPTS):
            try:
                if index_identity(self.index_dir) != self._identity:
                    self._reopen()
                elif not self._view.searcher.up_to_date():
                    self._view = self._fresh_view()
                return self._view
            except (FileNotFoundError, EmptyIndexError):
                if attempt == REOPEN_ATTEMPTS - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
        return self._view

    def _reopen(self) -> None:
        """Open the directory now at the index path (after a reindex swap)."""
        fresh_identity = index_identity(self.index_dir)
        self._ix = open_index(self.index_dir)
        self._view = self._fresh_view()
        self._identity = fresh_identity

    def _fresh_view(self) -> View:
        """A view over a new searcher of the latest commit.  The old view is
        not closed here: a streaming export may still be reading it; its
        files close when the last request using it lets it go."""
        return View(self._ix.searcher(weighting=scoring.BM25F()), self.index_dir, self._segments)

    def prepare(self, q: str, filters: Filters | None = None, *, exact: bool = False,
                expand: bool = False) -> tuple[ParsedQuery, Filters, TextMatcher]:
        """Parse, expand aliases if asked, and merge the query's own filters."""
        parsed = parse(q, exact=exact)
        if expand:
            parsed = aliases.expand(parsed)
        return parsed, parsed.filters.merged(filters or Filters()), TextMatcher(parsed)

    def _matched(self, view: View, parsed: ParsedQuery, filters: Filters, matcher: TextMatcher,
                 counts: bool = True) -> tuple[Match, Selection]:
        """The query's matches before facet filters, and the facet selection;
        ``counts``: whether plain terms' occurrences must be complete."""
        match = evaluate(view, parsed, counts)
        if parsed.sections:
            match.mask &= self._in_sections(view, match.mask, parsed, matcher)
        return match, selection(filters, view)

    @staticmethod
    def _in_sections(view: View, mask: np.ndarray, parsed: ParsedQuery, matcher: TextMatcher) -> np.ndarray:
        """Matches whose sections of the asked kinds contain the query: the
        stored text of every candidate is read (sections are not in the arrays)."""
        keep = np.zeros(view.n, dtype=bool)
        for docnum in np.flatnonzero(mask):
            budget.check()
            record = view.record(int(docnum))
            keep[docnum] = matcher.matches_in_sections(record.get("text", ""), record.get("sections") or [],
                                                       parsed.sections)
        return keep

    def search(self, q: str, filters: Filters | None = None, *, page: int = 1, per_page: int = 10,
               sort: str | None = None, exact: bool = False, expand: bool = False,
               collapse: bool = True) -> SearchResult:
        """Parse ``q`` and run it.  ``exact`` is measure lookup mode (every
        term exact, ranked by occurrences); ``expand`` ORs in aliases;
        ``collapse`` shows one hit per group of near-duplicates."""
        started = time.perf_counter()
        parsed, filters, matcher = self.prepare(q, filters, exact=exact, expand=expand)
        sort = sort or ("occurrences" if exact else "relevance")
        with self._lock:
            view = self._current()
            match, chosen = self._matched(view, parsed, filters, matcher, counts=sort == "occurrences")
            kept, duplicates = collapse_matches(view, match.mask & filter_mask(view, chosen), collapse)
            facets = facet_counts(view, match.mask, chosen, collapse)
            shown = order(view, kept, match, sort, page * per_page)[(page - 1) * per_page:]
            collapsed = duplicates[np.searchsorted(kept, shown)]  # kept is ascending: only the page is looked up
            with_occurrences = sort == "occurrences" or bool(parsed.sections)
            hits = [self._hit(view, int(d), matcher, float(match.scores[d]), int(n),
                              int(match.occurrences[d]) if with_occurrences else None)
                    for d, n in zip(shown, collapsed, strict=True)]
        return SearchResult(parsed.raw, parsed, len(kept), page, per_page,
                            (time.perf_counter() - started) * 1000, sort, collapse, hits,
                            {name: facet.listed(facets[name][0]) for name, facet in FACETS.items()},
                            {name: facets[name][1] for name in FACETS})

    def iter_matches(self, q: str, filters: Filters | None = None, *, exact: bool = False,
                     expand: bool = False, collapse: bool = True, sort: str = "relevance", also: str = ""):
        """Every matching record, best first (or newest year first with
        ``sort="year"``), with the matcher - for export and concordance; with
        ``collapse`` only the first of each group of near-duplicates.  Each
        record carries ``occurrences``: how often the query's terms occur in
        its text.  ``also``: text every match must contain too, which the
        matcher does not mark (a collocate's reports)."""
        parsed, filters, matcher = self.prepare(q, filters, exact=exact, expand=expand)
        with self._lock:
            view = self._current()
            match, chosen = self._matched(view, parsed, filters, matcher)
            if also:  # narrows the matches; their order and counts stay the query's
                match.mask &= contains(view, also)
            kept, _ = collapse_matches(view, match.mask & filter_mask(view, chosen), collapse)
            ranked = order(view, kept, match, sort, None)
        key = (parsed.raw, exact, expand, repr(filters), collapse, sort, also)  # filters: merged with the query's
        return parsed, matcher, Matches(self._lock, view, ranked, match, key)

    def selected(self, q: str, filters: Filters | None = None, *, exact: bool = False, expand: bool = False,
                 collapse: bool = True, counts: bool = True) -> Selected:
        """What the research instruments count over: the reports ``q`` and
        the filters select, collapsed as search collapses them, and the
        population they are a share of (the filters alone, collapsed the
        same way).  An empty ``q`` selects the whole population.  Arrays
        only: no record is read.  Without ``counts`` the occurrences of plain
        terms are left incomplete (an instrument that counts reports, not
        occurrences, is spared a substring lookup over every report)."""
        if q.strip():
            parsed, filters, matcher = self.prepare(q, filters, exact=exact, expand=expand)
        else:
            parsed, filters = ParsedQuery(""), filters or Filters()
            matcher = TextMatcher(parsed)
        with self._lock:
            view = self._current()
            match, chosen = self._matched(view, parsed, filters, matcher, counts)
            within = filter_mask(view, chosen)
            kept, _ = collapse_matches(view, match.mask & within, collapse)
            population, _ = collapse_matches(view, view.live & within, collapse)
        return Selected(view, parsed, matcher, match, kept, population, self._lock)

    def concordance(self, q: str, filters: Filters | None = None, *, sort: str = "report",
                    width: int = DEFAULT_WIDTH, page: int = 1, per_page: int = 50, everything: bool = False,
                    exact: bool = False, expand: bool = False, collapse: bool = True,
                    near: Near | None = None) -> dict[str, Any]:
        """One page of the concordance of ``q`` (every occurrence with its
        context), or with ``everything`` a stream of all its lines - what the
        UI, the API and the CLI show (see search.kwic.concordance for the
        memory bound); with ``near``, only the lines that hold its word."""
        _, matcher, records = self.iter_matches(q, filters, exact=exact, expand=expand, collapse=collapse,
                                                sort="year" if sort == "year" else "relevance",
                                                also=near.word if near else "")
        start = 0 if everything else (page - 1) * per_page
        stop = None if everything else start + per_page
        found = concordance(records, matcher, sort=sort, width=width, start=start, stop=stop, near=near)
        return {"query": q, "total": found.total, "reports": found.reports, "page": page, "per_page": per_page,
                "sort": sort, "width": width, "lines": found.lines}

    def trend(self, q: str, filters: Filters | None = None, *, exact: bool = False, expand: bool = False,
              collapse: bool = True) -> list[dict[str, Any]]:
        """Per report year: matching reports, occurrences, the year's reports
        the filters select and the share that match - the distribution by
        year, so both give one share - the 未识别 year last."""
        return distribution(self.selected(q, filters, exact=exact, expand=expand, collapse=collapse), ["year"])

    def year_totals(self) -> dict[int | None, int]:
        """Reports per report year in the whole index (the trend's
        denominator); None counts the reports of no known year."""
        with self._lock:
            view = self._current()
            years, counts = np.unique(view.year[view.live], return_counts=True)
        return {int(y) or None: int(n) for y, n in zip(years, counts, strict=True)}

    def _hit(self, view: View, docnum: int, matcher: TextMatcher, score: float, duplicates: int,
             occurrences: int | None) -> Hit:
        stored = view.record(docnum)
        text = stored.get("text", "")
        return Hit({k: stored.get(k) for k in HIT_FIELDS}, score, snippets(text, matcher.highlight),
                   matcher.matched_sections(text, stored.get("sections") or []), occurrences, duplicates)

    def get(self, report_id: str) -> dict[str, Any] | None:
        """The full stored record of one report (what the index keeps for
        itself aside), or None."""
        with self._lock:
            stored = self._current().searcher.document(id=report_id)
        return {k: v for k, v in from_stored(stored).items() if k not in PRIVATE} if stored else None

    def renamed(self, old_id: str) -> str | None:
        """The id of the report that had ``old_id`` before (an earlier version
        of its file, the older id scheme), or None."""
        with self._lock:
            stored = self._current().searcher.document(aliases=old_id)
        return stored["id"] if stored else None

    def versions(self, report_id: str) -> list[dict[str, Any]]:
        """The other members of a report's near-duplicate group."""
        with self._lock:
            searcher = self._current().searcher
            stored = searcher.document(id=report_id)
            if not stored:
                return []
            members = searcher.documents(dup_group=stored.get("dup_group") or report_id)
            return [{"id": d["id"], "title": d.get("title", ""), "source": d.get("source", ""),
                     "url": d.get("url", ""), "script": d.get("script", "")}
                    for d in members if d["id"] != report_id]

    def issuer_reports(self, key: str, names: tuple[str, ...]) -> list[dict[str, Any]]:
        """``names`` of every live report whose issuer key is ``key``
        (index.issuer_identity), missing values null, in index order."""
        with self._lock:
            docs = list(self._current().searcher.documents(issuer_key=key)) if key else []
        return [public(from_stored(d), names) for d in docs]

    def stored_reports(self):
        """Every stored record (for reindexing), in index order."""
        with self._lock:
            docs = list(self._current().searcher.all_stored_fields())
        return [from_stored(d) for d in docs]

    def stats(self) -> dict[str, Any]:
        meta = read_meta(self.index_dir)
        with self._lock:
            count = self._current().searcher.doc_count()
        # No index path: it names the server's file system, which clients need not know.
        return {"reports": count, "meta": meta.__dict__ if meta else None, "warnings": self.warnings}
