"""Run a query against the index: rank, filter, count facets, page, highlight.

One long-lived searcher serves every request and is refreshed only when a
commit has landed, so a running server sees new reports without a restart.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import query as wq
from whoosh import scoring, sorting

from index.analysis import segmenter
from index.schema import from_stored, open_index, read_meta
from search.highlight import snippets
from search.query import Filters, ParsedQuery, parse

TITLE_BOOST = 3.0
MAX_PER_PAGE = 100
FACET_FIELDS = {"year": "report_year", "level": "level", "province": "province", "doc_type": "doc_type"}
HIT_FIELDS = ("id", "title", "url", "source", "publisher", "publish_date", "report_year",
              "level", "province", "doc_type")


@dataclass
class Hit:
    fields: dict[str, Any]
    score: float
    snippets: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {**self.fields, "score": round(self.score, 4), "snippets": self.snippets}


@dataclass
class SearchResult:
    query: str
    words: list[str]
    total: int
    page: int
    per_page: int
    took_ms: float
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "total": self.total,
            "page": self.page,
            "per_page": self.per_page,
            "took_ms": round(self.took_ms, 2),
            "hits": [h.to_dict() for h in self.hits],
            "facets": self.facets,
        }


def _match_query(parsed: ParsedQuery) -> wq.Query:
    """AND of the words; each may match the (boosted) title or the text."""
    return wq.And([
        wq.Or([wq.Term("title", w, boost=TITLE_BOOST), wq.Term("text", w)])
        for w in parsed.words
    ])


def _filter_query(filters: Filters) -> wq.Query | None:
    parts: list[wq.Query] = []
    if filters.years:
        parts.append(wq.Or([wq.NumericRange("report_year", y, y) for y in filters.years]))
    for name, values in (("level", filters.levels), ("province", filters.provinces),
                         ("doc_type", filters.doc_types)):
        if values:
            parts.append(wq.Or([wq.Term(name, v) for v in values]))
    return wq.And(parts) if parts else None


def _sort_facet(sort: str) -> sorting.FacetType | None:
    if sort == "relevance":
        return None
    reverse = sort == "newest"
    return sorting.MultiFacet([sorting.FieldFacet("report_year", reverse=reverse),
                               sorting.FieldFacet("publish_date", reverse=reverse)])


def _facet_counts(results, name: str) -> list[dict[str, Any]]:
    groups = results.groups(name)
    items = [(v, n) for v, n in groups.items() if v not in (None, "", 0)]
    if name == "year":
        items.sort(key=lambda vn: -vn[0])
    else:
        items.sort(key=lambda vn: (-vn[1], str(vn[0])))
    return [{"value": v, "count": n} for v, n in items]


class Engine:
    """The read path over one index directory."""

    def __init__(self, index_dir: Path):
        self.index_dir = Path(index_dir)
        self._ix = open_index(self.index_dir)
        self._searcher = self._ix.searcher(weighting=scoring.BM25F())
        self._lock = threading.Lock()
        segmenter()  # load jieba's dictionary now, not in the first request

    def _current(self):
        """The searcher, reopened if a writer has committed since."""
        if not self._searcher.up_to_date():
            self._searcher = self._searcher.refresh()
        return self._searcher

    def search(self, q: str, filters: Filters | None = None, *, page: int = 1,
               per_page: int = 10, sort: str = "relevance") -> SearchResult:
        started = time.perf_counter()
        parsed = parse(q)
        filters = filters or Filters()
        facets = {name: sorting.FieldFacet(col) for name, col in FACET_FIELDS.items()}
        with self._lock:
            searcher = self._current()
            results = searcher.search(
                _match_query(parsed), limit=page * per_page, filter=_filter_query(filters),
                groupedby=facets, maptype=sorting.Count, sortedby=_sort_facet(sort),
            )
            hits = []
            for hit in results[(page - 1) * per_page : page * per_page]:
                stored = from_stored(hit.fields())
                hits.append(Hit({k: stored.get(k) for k in HIT_FIELDS}, hit.score or 0.0,
                                snippets(stored.get("text", ""), parsed.highlight_terms())))
            total = len(results)
            facet_counts = {name: _facet_counts(results, name) for name in FACET_FIELDS}
        return SearchResult(parsed.text, parsed.words, total, page, per_page,
                            (time.perf_counter() - started) * 1000, hits, facet_counts)

    def get(self, report_id: str) -> dict[str, Any] | None:
        """The full stored record of one report, or None."""
        with self._lock:
            stored = self._current().document(id=report_id)
        return from_stored(stored) if stored else None

    def stats(self) -> dict[str, Any]:
        meta = read_meta(self.index_dir)
        with self._lock:
            count = self._current().doc_count()
        return {"reports": count, "index_dir": str(self.index_dir),
                "meta": meta.__dict__ if meta else None}
