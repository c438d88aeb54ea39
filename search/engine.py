"""Run a query against the index: match, filter, rank, count facets, page, highlight.

One long-lived searcher serves every request and is refreshed only when a
commit has landed, so a running server sees new reports without a restart.
Two paths: the common one lets Whoosh rank, sort and count facets; when the
query is scoped to sections or sorted by occurrences, every match is checked
against its stored text first, and facets count what passed.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import query as wq
from whoosh import scoring, sorting

from index.analysis import segmenter
from index.schema import from_stored, open_index, read_meta
from search import aliases
from search.compile import FACET_FIELDS, Selection, filter_query, match_query, passes, selection
from search.highlight import snippets
from search.matching import TextMatcher
from search.query import Filters, ParsedQuery, parse

log = logging.getLogger(__name__)

MAX_PER_PAGE = 100
HIT_FIELDS = ("id", "title", "url", "source", "publisher", "publish_date", "report_year",
              "level", "province", "doc_type", "duplicate_of")
COLLAPSE = sorting.FieldFacet("dup_group")


def _docnum(searcher, docnum: int) -> int:
    return docnum


# Within a group keep the earliest-indexed match (the canonical report when it
# matches).  Ordering by docnum also means a kept document is never replaced
# by a later one, the path in which Whoosh's CollapseCollector (2.7) forgets
# to count the document it drops.
COLLAPSE_ORDER = sorting.FunctionFacet(_docnum)


@dataclass
class Hit:
    fields: dict[str, Any]
    score: float
    snippets: list[str]
    sections: list[dict[str, Any]] = field(default_factory=list)  # sections where the query matched
    occurrences: int | None = None
    duplicates: int = 0  # near-duplicates collapsed under this hit

    def to_dict(self) -> dict[str, Any]:
        out = {**self.fields, "score": round(self.score, 4), "snippets": self.snippets,
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

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "parsed": self.parsed.to_dict(),
            "total": self.total,
            "page": self.page,
            "per_page": self.per_page,
            "sort": self.sort,
            "collapse": self.collapse,
            "took_ms": round(self.took_ms, 2),
            "hits": [h.to_dict() for h in self.hits],
            "facets": self.facets,
        }


def _sort_facet(sort: str) -> sorting.FacetType | None:
    if sort in ("relevance", "occurrences"):
        return None
    reverse = sort == "newest"
    return sorting.MultiFacet([sorting.FieldFacet("report_year", reverse=reverse),
                               sorting.FieldFacet("publish_date", reverse=reverse)])


def _facet_list(name: str, counts: dict) -> list[dict[str, Any]]:
    items = [(v, n) for v, n in counts.items() if v not in (None, "", 0)]
    if name == "year":
        items.sort(key=lambda vn: -vn[0])
    else:
        items.sort(key=lambda vn: (-vn[1], str(vn[0])))
    return [{"value": v, "count": n} for v, n in items]


def _score(hit) -> float:
    """A hit's relevance; when Whoosh sorted by a field, score holds the sort
    key instead, and relevance was not computed."""
    return float(hit.score) if isinstance(hit.score, int | float) else 0.0


def _collapse(rows: list[dict[str, Any]], collapse: bool) -> list[dict[str, Any]]:
    """The first row of each near-duplicate group, counting the others."""
    if not collapse:
        return rows
    first: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row["group"] in first:
            first[row["group"]]["duplicates"] += 1
        else:
            first[row["group"]] = {**row, "duplicates": 0}
    return list(first.values())


def _sort_rows(rows: list[dict[str, Any]], sort: str) -> None:
    """Stable orders for the checked path; ties fall back to id."""
    def year(r):
        return r["fields"].get("report_year") or 0

    if sort == "occurrences":
        rows.sort(key=lambda r: (-r["occurrences"], -year(r), -r["score"], r["fields"]["id"]))
    elif sort == "relevance":
        rows.sort(key=lambda r: (-r["score"], r["fields"]["id"]))
    else:  # newest / oldest: year, then publication date, then id
        reverse = sort == "newest"
        rows.sort(key=lambda r: r["fields"]["id"])
        rows.sort(key=lambda r: r["fields"].get("publish_date") or "", reverse=reverse)
        rows.sort(key=year, reverse=reverse)


class Engine:
    """The read path over one index directory."""

    def __init__(self, index_dir: Path):
        self.index_dir = Path(index_dir)
        self._ix = open_index(self.index_dir)
        self._searcher = self._ix.searcher(weighting=scoring.BM25F())
        self._lock = threading.Lock()
        self._year_totals: tuple[object, dict[int, int]] = (None, {})
        segmenter()  # load jieba's dictionary now, not in the first request
        self.warnings = self._check_version()
        for warning in self.warnings:
            log.warning(warning)

    def _check_version(self) -> list[str]:
        meta = read_meta(self.index_dir)
        if meta is None:
            return [f"{self.index_dir}: no govsearch.json; the index may predate versioning"]
        problems = meta.mismatches()
        if problems:
            return [f"索引与当前程序不一致，请运行 govsearch reindex (index built with other settings: "
                    f"{'; '.join(problems)})"]
        return []

    def _current(self):
        """The searcher, reopened if a writer has committed since."""
        if not self._searcher.up_to_date():
            self._searcher = self._searcher.refresh()
        return self._searcher

    def _province_values(self, searcher, prefixes: list[str]) -> list[str]:
        indexed = [v.decode("utf-8") if isinstance(v, bytes) else v
                   for v in searcher.reader().field_terms("province")]
        return [v for v in indexed if any(v.startswith(p) for p in prefixes)]

    def prepare(self, q: str, filters: Filters | None = None, *, exact: bool = False,
                expand: bool = False) -> tuple[ParsedQuery, Filters, TextMatcher]:
        """Parse, expand aliases if asked, and merge the query's own filters."""
        parsed = parse(q, exact=exact)
        if expand:
            parsed = aliases.expand(parsed)
        return parsed, parsed.filters.merged(filters or Filters()), TextMatcher(parsed)

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
            searcher = self._current()
            query = match_query(parsed)
            chosen = selection(filters, self._province_values(searcher, filters.provinces))
            if parsed.sections or sort == "occurrences":
                total, rows, facets = self._checked(searcher, query, chosen, parsed, matcher, sort, collapse)
            else:
                total, rows, facets = self._ranked(searcher, query, chosen, sort, page * per_page, collapse)
            hits = [self._hit(row, matcher) for row in rows[(page - 1) * per_page : page * per_page]]
        return SearchResult(parsed.raw, parsed, total, page, per_page,
                            (time.perf_counter() - started) * 1000, sort, collapse, hits, facets)

    def _ranked(self, searcher, query, chosen: Selection, sort: str, limit: int, collapse: bool):
        """Whoosh ranks or sorts, collapses near-duplicates and counts facets
        over sortable columns.  A facet with a selection is counted in its
        own pass without that selection, so its other values keep counts."""
        grouping = {"collapse": COLLAPSE, "collapse_limit": 1, "collapse_order": COLLAPSE_ORDER} if collapse else {}
        own = [name for name, values in chosen.items() if values is not None]
        facets = {name: sorting.FieldFacet(FACET_FIELDS[name]) for name in FACET_FIELDS if name not in own}
        results = searcher.search(query, limit=limit, filter=filter_query(chosen), groupedby=facets or None,
                                  maptype=sorting.Count, sortedby=_sort_facet(sort), **grouping)
        counts = {name: results.groups(name) for name in facets}
        for name in own:
            # Only counts are needed here: no scoring.
            alone = searcher.search(query, limit=1, filter=filter_query(chosen, skip=name), scored=False,
                                    maptype=sorting.Count, groupedby={name: sorting.FieldFacet(FACET_FIELDS[name])},
                                    **grouping)
            counts[name] = alone.groups(name)
        collapsed = results.collapsed_counts if collapse else {}
        rows = []
        for hit in results[:limit]:
            stored = hit.fields()
            rows.append({"fields": from_stored(stored), "score": _score(hit),
                         "duplicates": collapsed.get(stored.get("dup_group"), 0)})
        return len(results), rows, {name: _facet_list(name, counts[name]) for name in FACET_FIELDS}

    def _checked(self, searcher, query, chosen: Selection, parsed: ParsedQuery, matcher: TextMatcher,
                 sort: str, collapse: bool):
        """Every match is read and checked (section scope) or counted
        (occurrences); filters, facets and collapsing then run in Python."""
        rows = []
        for hit in searcher.search(query, limit=None):
            stored = hit.fields()
            record = from_stored(stored)
            text = record.get("text", "")
            if parsed.sections and not matcher.matches_in_sections(text, record.get("sections") or [],
                                                                   parsed.sections):
                continue
            rows.append({"fields": record, "score": _score(hit), "occurrences": matcher.report_occurrences(record),
                         "group": stored.get("dup_group") or record["id"]})
        _sort_rows(rows, sort)
        facets = {}
        for name, column in FACET_FIELDS.items():
            kept = _collapse([r for r in rows if passes(r["fields"], chosen, skip=name)], collapse)
            facets[name] = _facet_list(name, Counter(r["fields"].get(column) for r in kept))
        hits = _collapse([r for r in rows if passes(r["fields"], chosen)], collapse)
        return len(hits), hits, facets

    def iter_matches(self, q: str, filters: Filters | None = None, *, exact: bool = False,
                     expand: bool = False, collapse: bool = True):
        """Every matching record, best first, with the matcher - for export,
        concordance and trend; with ``collapse`` only the first of each group
        of near-duplicates.  Uses its own searcher, so a long stream never
        holds up other requests."""
        parsed, filters, matcher = self.prepare(q, filters, exact=exact, expand=expand)

        def records():
            with self._ix.searcher(weighting=scoring.BM25F()) as searcher:
                chosen = selection(filters, self._province_values(searcher, filters.provinces))
                seen: set[str] = set()
                for hit in searcher.search(match_query(parsed), limit=None, filter=filter_query(chosen)):
                    stored = hit.fields()
                    record = from_stored(stored)
                    if parsed.sections and not matcher.matches_in_sections(
                            record.get("text", ""), record.get("sections") or [], parsed.sections):
                        continue
                    group = stored.get("dup_group") or record["id"]
                    if collapse and group in seen:
                        continue
                    seen.add(group)
                    record["score"] = _score(hit)
                    yield record
        return parsed, matcher, records()

    def year_totals(self) -> dict[int, int]:
        """Reports per report year in the whole index (the trend's denominator),
        cached until the index changes."""
        with self._lock:
            searcher = self._current()
            key = self._ix.latest_generation()
            if self._year_totals[0] != key:
                results = searcher.search(wq.Every(), limit=1, maptype=sorting.Count,
                                          groupedby={"year": sorting.FieldFacet("report_year")})
                self._year_totals = (key, {y: n for y, n in results.groups("year").items() if y})
            return dict(self._year_totals[1])

    def _hit(self, row: dict[str, Any], matcher: TextMatcher) -> Hit:
        stored = row["fields"]
        text = stored.get("text", "")
        return Hit({k: stored.get(k) for k in HIT_FIELDS}, row["score"], snippets(text, matcher.highlight),
                   matcher.matched_sections(text, stored.get("sections") or []), row.get("occurrences"),
                   row.get("duplicates", 0))

    def get(self, report_id: str) -> dict[str, Any] | None:
        """The full stored record of one report, or None."""
        with self._lock:
            stored = self._current().document(id=report_id)
        return from_stored(stored) if stored else None

    def versions(self, report_id: str) -> list[dict[str, Any]]:
        """The other members of a report's near-duplicate group."""
        with self._lock:
            searcher = self._current()
            stored = searcher.document(id=report_id)
            if not stored:
                return []
            members = searcher.documents(dup_group=stored.get("dup_group") or report_id)
            return [{"id": d["id"], "title": d.get("title", ""), "source": d.get("source", ""),
                     "url": d.get("url", ""), "script": d.get("script", "")}
                    for d in members if d["id"] != report_id]

    def stored_reports(self):
        """Every stored record (for reindexing), in index order."""
        with self._lock:
            docs = list(self._current().all_stored_fields())
        return [from_stored(d) for d in docs]

    def stats(self) -> dict[str, Any]:
        meta = read_meta(self.index_dir)
        with self._lock:
            count = self._current().doc_count()
        return {"reports": count, "index_dir": str(self.index_dir),
                "meta": meta.__dict__ if meta else None, "warnings": self.warnings}
