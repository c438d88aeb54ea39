"""The naive peer: the common naive Whoosh setup - ``jieba.analyse.ChineseAnalyzer``
on stored ``title``/``content``, BeautifulSoup text, one writer, one
commit, ``MultifieldParser``, top 10 with Whoosh's default
``hit.highlights``.  Its highlighting is slow, so it runs a capped prefix of
the mix with a time budget per query and per phase, and says so; govsearch's
latencies on that same prefix are what its ratios compare.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from govsearch.bench.console import bar, log
from govsearch.bench.corpus import read_page
from govsearch.bench.protocol import Peer, Work, bullets
from govsearch.bench.queries import PER_PAGE
from govsearch.bench.stats import by_kind, dir_mb, page_and_exact
from govsearch.bench.table import fmt


class NaivePeer(Peer):
    name = "naive"

    def cleaner(self) -> Callable[[Path], object]:
        return read_page  # BeautifulSoup's get_text

    def marker(self) -> Callable[[str, Any], object]:
        # One escape-and-substitute pass over the whole text: no numbering, no paragraphs.
        return lambda text, matcher: matcher.highlight.sub(r"<mark>\g<0></mark>", html.escape(text))

    def ingest(self, work: Work) -> dict[str, Any]:
        return naive_ingest(work.pages, work.index_dir, work.chars)

    def queries(self, work: Work) -> dict[str, Any]:
        args = work.args
        return naive_queries(work.index_dir, work.mix, args.naive_queries, args.naive_query_budget,
                             args.naive_budget)

    def extra(self, work: Work, results: dict[str, Any]) -> None:
        """govsearch on the prefix of the mix this peer ran: what the ratios compare."""
        ran = results[self.name]["queries"]["queries_run"]
        gov = results["govsearch"]["queries"]["per_query"][:ran]
        results["govsearch"]["queries"][f"{self.name}_subset"] = {"queries": ran, **page_and_exact(gov)}

    def notes(self, results: dict[str, Any]) -> list[str]:
        q = results[self.name].get("queries")
        if not q:
            return []
        subset = results["govsearch"]["queries"].get(f"{self.name}_subset") or {}
        page, exact = subset.get("results_page") or {}, subset.get("exact") or {}
        return [f"naive: {q['queries_run']} of {q['queries_planned']} queries" + (" (capped)" if q["capped"] else ""),
                f"  - govsearch÷naive page and exact ratios compare the same {q['queries_run']} queries "
                f"(govsearch on them: page p50 {fmt(page.get('p50'))} / p95 {fmt(page.get('p95'))} ms, "
                f"exact p50 {fmt(exact.get('p50'))} / p95 {fmt(exact.get('p95'))} ms)",
                *bullets(q["notes"])]


def naive_ingest(pages: list[Path], index_dir: Path, chars: int) -> dict[str, Any]:
    from jieba.analyse import ChineseAnalyzer
    from whoosh import fields
    from whoosh import index as whoosh_index

    schema = fields.Schema(path=fields.ID(stored=True, unique=True),
                           title=fields.TEXT(stored=True, analyzer=ChineseAnalyzer()),
                           content=fields.TEXT(stored=True, analyzer=ChineseAnalyzer()))
    index_dir.mkdir(parents=True, exist_ok=True)
    log(f"naive: ingesting {len(pages)} pages (one writer, one commit) …")
    started = time.perf_counter()
    ix = whoosh_index.create_in(str(index_dir), schema)
    writer = ix.writer()
    for path in bar(pages, desc="naive ingest"):
        title, text = read_page(path)
        writer.add_document(path=str(path), title=title, content=text)
    writer.commit()
    seconds = time.perf_counter() - started
    log(f"naive: ingested in {seconds:.1f} s")
    return {"seconds": round(seconds, 3), "files": len(pages), "reports_per_s": len(pages) / seconds,
            "chars_per_s": chars / seconds, "index_mb": round(dir_mb(index_dir), 3), "workers": 1}


def _page(searcher, parser, item: dict[str, Any], budget: float) -> tuple[int, int, bool]:
    """(total, hits highlighted, cut by the budget) of one results page."""
    # An exact lookup is typed unquoted: quoted, MultifieldParser makes a
    # Phrase that never matches, as ChineseTokenizer's positions skip
    # punctuation and leave gaps (counted apart, in phrase_total).
    t = time.perf_counter()
    results = searcher.search(parser.parse(item["q"]), limit=PER_PAGE)
    total, highlighted = len(results), 0
    for hit in results:
        hit.highlights("content")
        highlighted += 1
        if time.perf_counter() - t > budget:
            return total, highlighted, True
    return total, highlighted, False


def naive_queries(index_dir: Path, mix: list[dict[str, Any]], limit: int, query_budget: float,
                  phase_budget: float) -> dict[str, Any]:
    """Top 10 with Whoosh's default highlighting, on a capped prefix of the mix."""
    from whoosh import index as whoosh_index
    from whoosh.qparser import MultifieldParser

    ix = whoosh_index.open_dir(str(index_dir))
    parser = MultifieldParser(["title", "content"], ix.schema)
    subset = mix[:limit]
    notes = ["no facets: the naive schema has no year/level/province fields, so filters are dropped",
             f"ran {len(subset)} of {len(mix)} queries (--naive-queries {limit})"]
    per_query, capped, phase_started = [], False, time.perf_counter()
    with ix.searcher() as searcher:
        if subset:
            log("naive: warm-up query …")
            _page(searcher, parser, subset[0], query_budget)
        log(f"naive: {len(subset)} results pages (budget {query_budget:.0f} s a query, {phase_budget:.0f} s "
            "in all) …")
        for item in bar(subset, desc="naive search"):
            if time.perf_counter() - phase_started > phase_budget:
                capped = True
                notes.append(f"stopped after {len(per_query)} queries: the phase budget of {phase_budget:.0f} s "
                             "ran out (--naive-budget)")
                break
            t = time.perf_counter()
            total, highlighted, cut = _page(searcher, parser, item, query_budget)
            ms = (time.perf_counter() - t) * 1000
            row = {"kind": item["kind"], "q": item["q"], "exact": item["exact"], "total": total,
                   "highlighted": highlighted, "cut_by_budget": cut, "page_ms": round(ms, 3)}
            if item["exact"]:
                row["phrase_total"] = len(searcher.search(parser.parse(f'"{item["q"]}"'), limit=1))
            per_query.append(row)
    capped = _outcome_notes(per_query, query_budget, notes) or capped
    return {"queries_planned": len(mix), "queries_run": len(per_query), "capped": capped or limit < len(mix),
            **page_and_exact(per_query), "by_kind": {"results_page": by_kind(per_query)}, "notes": notes,
            "per_query": per_query}


def _outcome_notes(per_query: list[dict[str, Any]], query_budget: float, notes: list[str]) -> bool:
    """Notes on empty results, unquoted exact lookups and budget cuts; True when a query was cut."""
    empty = [r["q"] for r in per_query if not r["total"]]
    if empty:
        notes.append(f"{len(empty)} queries found nothing: "
                     + " | ".join(empty))
    phrases = [r for r in per_query if r["exact"]]
    if phrases:
        notes.append("exact lookups run unquoted (AND of jieba words, so a superset of the exact matches); quoted, "
                     "they found " + " | ".join(f"{r['q']} {r['phrase_total']}" for r in phrases)
                     + " (govsearch's exact totals are in govsearch.queries.per_query)")
    cut = [r["q"] for r in per_query if r["cut_by_budget"]]
    if cut:
        notes.append(f"{len(cut)} queries hit the {query_budget:.0f} s budget before highlighting 10 hits "
                     "(their latency is a lower bound): " + " | ".join(cut))
    return bool(cut)
