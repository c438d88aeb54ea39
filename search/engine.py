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

from whoosh import scoring, sorting

from index.analysis import segmenter
from index.schema import from_stored, open_index, read_meta
from search import aliases
from search.compile import filter_query, match_query
from search.highlight import snippets
from search.matching import TextMatcher
from search.query import Filters, ParsedQuery, parse

log = logging.getLogger(__name__)

MAX_PER_PAGE = 100
FACET_FIELDS = {"year": "report_year", "level": "level", "province": "province", "doc_type": "doc_type"}
HIT_FIELDS = ("id", "title", "url", "source", "publisher", "publish_date", "report_year",
              "level", "province", "doc_type", "duplicate_of")


@dataclass
class Hit:
    fields: dict[str, Any]
    score: float
    snippets: list[str]
    sections: list[dict[str, Any]] = field(default_factory=list)  # sections where the query matched
    occurrences: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {**self.fields, "score": round(self.score, 4), "snippets": self.snippets,
               "sections": self.sections}
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

    def search(self, q: str, filters: Filters | None = None, *, page: int = 1, per_page: int = 10,
               sort: str | None = None, exact: bool = False, expand: bool = False) -> SearchResult:
        """Parse ``q`` and run it.  ``exact`` is measure lookup mode (every
        term exact, ranked by occurrences); ``expand`` ORs in aliases."""
        started = time.perf_counter()
        parsed = parse(q, exact=exact)
        if expand:
            parsed = aliases.expand(parsed)
        filters = parsed.filters.merged(filters or Filters())
        sort = sort or ("occurrences" if exact else "relevance")
        matcher = TextMatcher(parsed)
        with self._lock:
            searcher = self._current()
            query = match_query(parsed)
            filt = filter_query(filters, self._province_values(searcher, filters.provinces))
            if parsed.sections or sort == "occurrences":
                total, rows, facets = self._checked(searcher, query, filt, parsed, matcher, sort)
            else:
                total, rows, facets = self._ranked(searcher, query, filt, sort, page * per_page)
            hits = [self._hit(row, matcher) for row in rows[(page - 1) * per_page : page * per_page]]
        return SearchResult(parsed.raw, parsed, total, page, per_page,
                            (time.perf_counter() - started) * 1000, sort, hits, facets)

    def _ranked(self, searcher, query, filt, sort: str, limit: int):
        """Whoosh ranks or sorts and counts the facets over sortable columns."""
        facets = {name: sorting.FieldFacet(col) for name, col in FACET_FIELDS.items()}
        results = searcher.search(query, limit=limit, filter=filt, groupedby=facets,
                                  maptype=sorting.Count, sortedby=_sort_facet(sort))
        rows = [{"fields": from_stored(hit.fields()), "score": hit.score or 0.0} for hit in results]
        return len(results), rows, {name: _facet_list(name, results.groups(name)) for name in FACET_FIELDS}

    def _checked(self, searcher, query, filt, parsed: ParsedQuery, matcher: TextMatcher, sort: str):
        """Every match is read and checked (section scope) or counted (occurrences)."""
        rows = []
        for hit in searcher.search(query, limit=None, filter=filt):
            stored = from_stored(hit.fields())
            text = stored.get("text", "")
            if parsed.sections and not matcher.matches_in_sections(text, stored.get("sections") or [],
                                                                   parsed.sections):
                continue
            occurrences = matcher.occurrences(f"{stored.get('title', '')}\n{text}")
            rows.append({"fields": stored, "score": hit.score or 0.0, "occurrences": occurrences})
        _sort_rows(rows, sort)
        counts: dict[str, Counter] = {name: Counter() for name in FACET_FIELDS}
        for row in rows:
            for name, col in FACET_FIELDS.items():
                counts[name][row["fields"].get(col)] += 1
        return len(rows), rows, {name: _facet_list(name, c) for name, c in counts.items()}

    def _hit(self, row: dict[str, Any], matcher: TextMatcher) -> Hit:
        stored = row["fields"]
        text = stored.get("text", "")
        return Hit({k: stored.get(k) for k in HIT_FIELDS}, row["score"], snippets(text, matcher.highlight),
                   matcher.matched_sections(text, stored.get("sections") or []), row.get("occurrences"))

    def get(self, report_id: str) -> dict[str, Any] | None:
        """The full stored record of one report, or None."""
        with self._lock:
            stored = self._current().document(id=report_id)
        return from_stored(stored) if stored else None

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
