"""govsearch itself as an engine of the bench: ``index.build.ingest`` over
the corpus folder, then ``Engine.search`` (facets and 10 highlighted hits,
what ``/api/search`` returns), exact measure lookups, the first 100
concordance lines, the trend table, and the real server over HTTP
(:mod:`govsearch.bench.server`) unless ``--no-server``.
"""

from __future__ import annotations

import inspect
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from govsearch.bench import compaction
from govsearch.bench.console import bar, log
from govsearch.bench.protocol import Peer, Work
from govsearch.bench.queries import PER_PAGE, filters_of
from govsearch.bench.server import govsearch_server
from govsearch.bench.stats import by_kind, dir_mb, latency, page_and_exact

CONCORDANCE_LINES = 100
SIDES = ("left", "right")  # concordance sorts by context


def _ingest_progress(items, total=None):
    return bar(items, total=total, desc="govsearch ingest")


class GovsearchPeer(Peer):
    name = "govsearch"
    whole_corpus = True

    def cleaner(self) -> Callable[[Path], object]:
        from govsearch.index.clean import clean_file

        return clean_file  # decode, body extraction, metadata, gazetteer

    def marker(self) -> Callable[[str, Any], object]:
        from govsearch.search.highlight import mark_paragraphs

        return lambda text, matcher: mark_paragraphs(text, matcher.spans(text))  # numbered marks per paragraph

    def ingest(self, work: Work) -> dict[str, Any]:
        return govsearch_ingest(work.corpus, work.index_dir, work.args.ingest_workers, work.chars)

    def queries(self, work: Work) -> dict[str, Any]:
        return govsearch_queries(work.index_dir, work.mix)

    def extra(self, work: Work, results: dict[str, Any]) -> None:
        if not work.args.no_server:
            results[self.name]["server"] = govsearch_server(work.index_dir, work.mix, work.run_dir / "server.log")
        if compaction.wanted(work.args, len(work.pages)):  # last: it changes the index
            results[self.name]["compaction"] = compaction.compaction(work.corpus, work.rows, work.index_dir,
                                                                     work.run_dir, work.mix)


def govsearch_ingest(corpus: Path, index_dir: Path, workers: int | None, chars: int) -> dict[str, Any]:
    from govsearch.index import build
    from govsearch.index.footprint import index_parts

    params = inspect.signature(build.ingest).parameters
    worker_param = next((p for p in ("workers", "procs", "processes", "jobs") if p in params), None)
    kwargs: dict[str, Any] = {"base": corpus}
    if "progress" in params:
        kwargs["progress"] = _ingest_progress
    if worker_param and workers:
        kwargs[worker_param] = workers
    elif workers:
        log(f"index.build.ingest has no workers setting; --ingest-workers {workers} is ignored")
    used: Any = None
    if worker_param:
        if workers:
            used = workers
        elif callable(getattr(build, "default_workers", None)):
            used = build.default_workers()
        else:
            default = params[worker_param].default
            used = default if default not in (None, inspect.Parameter.empty) else "default"
    log(f"govsearch: ingesting into {index_dir} (workers: {used if worker_param else 'not configurable'}) …")
    started = time.perf_counter()
    summary = build.ingest([corpus], index_dir, **kwargs)
    seconds = time.perf_counter() - started
    counts = summary.counts()
    files = sum(counts.values())
    log(f"govsearch: ingested {files} files in {seconds:.1f} s ({counts})")
    failures = [f"{o.path}: {o.reason}" for o in summary.by_status("failed")][:5]
    return {"seconds": round(seconds, 3), "files": files, "counts": counts,
            "reports_per_s": files / seconds, "chars_per_s": chars / seconds,
            "cpu_count": os.cpu_count(), "workers_setting": worker_param, "workers": used,
            "first_failures": failures, "index_mb": round(dir_mb(index_dir), 3), "parts": index_parts(index_dir)}


def govsearch_queries(index_dir: Path, mix: list[dict[str, Any]]) -> dict[str, Any]:
    from govsearch.search.engine import Engine

    started = time.perf_counter()
    engine = Engine(index_dir)
    open_s = time.perf_counter() - started

    def page(item):
        result = engine.search(item["q"], filters_of(item), page=1, per_page=PER_PAGE, exact=item["exact"])
        result.to_dict()
        return result

    log(f"govsearch: warm-up pass over {len(mix)} queries …")
    for item in bar(mix, desc="govsearch warm-up"):
        page(item)

    per_query = []
    log("govsearch: results pages …")
    for item in bar(mix, desc="govsearch search"):
        t = time.perf_counter()
        result = page(item)
        ms = (time.perf_counter() - t) * 1000
        per_query.append({"kind": item["kind"], "q": item["q"], "exact": item["exact"],
                          "filters": item["filters"], "total": result.total, "hits": len(result.hits),
                          "snippets": sum(len(h.snippets) for h in result.hits), "page_ms": round(ms, 3)})
    year_totals = engine.year_totals()
    _concordance_and_trend(engine, mix, per_query)
    _context_sorts(engine, mix, per_query)
    from govsearch.bench.instruments import instrument_timings

    instruments = instrument_timings(engine, mix)
    return {
        "instruments": instruments,
        "engine_open_s": round(open_s, 3),
        "year_totals": {str(k or "none"): v for k, v in sorted(year_totals.items(), key=lambda kv: kv[0] or 9999)},
        **page_and_exact(per_query),
        "concordance_100": latency([r["concordance_ms"] for r in per_query]),
        "concordance_by_context": {
            **(latency([r[f"context_{side}_ms"] for r in per_query for side in SIDES
                        if r.get(f"context_{side}_ms") is not None]) or {}),
            "refused": sum(r.get(f"context_{side}_ms") is None for r in per_query for side in SIDES)},
        "concordance_by_context_next_page": latency([r[f"context_{side}_next_ms"] for r in per_query
                                                     for side in SIDES if r.get(f"context_{side}_next_ms")
                                                     is not None]) or {},
        "trend": latency([r["trend_ms"] for r in per_query]),
        "by_kind": {"results_page": by_kind(per_query), "concordance_100": by_kind(per_query, "concordance_ms"),
                    "trend": by_kind(per_query, "trend_ms")},
        "per_query": per_query,
    }


def _concordance_and_trend(engine, mix: list[dict[str, Any]], per_query: list[dict[str, Any]]) -> None:
    """The first page of /api/concordance and the trend table of each query, timed into its row."""
    from govsearch.search.kwic import window

    log("govsearch: concordance (first 100 lines) and trend …")
    for item, row in zip(bar(mix, desc="govsearch kwic+trend"), per_query, strict=True):
        t = time.perf_counter()
        _, matcher, records = engine.iter_matches(item["q"], filters_of(item), exact=item["exact"])
        lines = window(records, matcher, 0, CONCORDANCE_LINES)  # what /api/concordance page 1 does
        row["concordance_ms"] = round((time.perf_counter() - t) * 1000, 3)
        row["concordance_lines"] = len(lines)
        t = time.perf_counter()
        rows = engine.trend(item["q"], filters_of(item), exact=item["exact"])
        row["trend_ms"] = round((time.perf_counter() - t) * 1000, 3)
        row["trend_years"] = len(rows)


def _context_sorts(engine, mix: list[dict[str, Any]], per_query: list[dict[str, Any]]) -> None:
    """The first page (50 lines) of each query's concordance sorted by its
    left and by its right context, then its second page (what a researcher
    paging on asks next), timed into its row; a query over the sort's line
    cap is refused (TooManyLines, what the API answers 400 to) and counted,
    not timed."""
    from govsearch.search.kwic import TooManyLines

    log("govsearch: concordance sorted by left and right context …")
    for item, row in zip(bar(mix, desc="govsearch context sorts"), per_query, strict=True):
        for side in SIDES:
            t = time.perf_counter()
            try:
                first = engine.concordance(item["q"], filters_of(item), sort=side, per_page=50,
                                           exact=item["exact"])
            except TooManyLines:
                row[f"context_{side}_ms"] = None
                continue
            row[f"context_{side}_ms"] = round((time.perf_counter() - t) * 1000, 3)
            if first["total"] > 50:
                t = time.perf_counter()
                engine.concordance(item["q"], filters_of(item), sort=side, page=2, per_page=50, exact=item["exact"])
                row[f"context_{side}_next_ms"] = round((time.perf_counter() - t) * 1000, 3)
