"""The numbers the bench reports: latency percentiles (numpy's linear
interpolation, without numpy), per-kind latencies, best-of-N timings and
index sizes on disk.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def percentile(samples: list[float], p: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    ordered = sorted(samples)
    if len(ordered) == 1:
        return ordered[0]
    k = (len(ordered) - 1) * p
    lo, hi = math.floor(k), math.ceil(k)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def latency(samples_ms: list[float]) -> dict[str, Any] | None:
    """p50/p95/max/mean in milliseconds, or None without samples."""
    if not samples_ms:
        return None
    return {"n": len(samples_ms), "p50": round(percentile(samples_ms, 0.5), 3),
            "p95": round(percentile(samples_ms, 0.95), 3), "max": round(max(samples_ms), 3),
            "mean": round(statistics.fmean(samples_ms), 3)}


def by_kind(per_query: list[dict[str, Any]], key: str = "page_ms") -> dict[str, Any]:
    """Latency per kind of query (single, multi, exact, facet, common)."""
    kinds = dict.fromkeys(r["kind"] for r in per_query)
    return {k: latency([r[key] for r in per_query if r["kind"] == k]) for k in kinds}


def page_and_exact(per_query: list[dict[str, Any]], key: str = "page_ms") -> dict[str, Any]:
    """Latency of the results pages and of the exact lookups among ``per_query``."""
    return {"results_page": latency([r[key] for r in per_query if not r["exact"]]),
            "exact": latency([r[key] for r in per_query if r["exact"]])}


def timed_pages(name: str, mix: list[dict[str, Any]], page: Callable[[dict[str, Any]], dict[str, Any]]
                ) -> list[dict[str, Any]]:
    """A peer's results pages over the mix: a warm-up pass, then the timed
    one; each query's row holds what ``page`` answered and its time."""
    from govsearch.bench.console import bar, log

    log(f"{name}: warm-up pass and timed pass over {len(mix)} queries …")
    for item in mix:
        page(item)
    per_query = []
    for item in bar(mix, desc=f"{name} search"):
        started = time.perf_counter()
        answer = page(item)
        ms = (time.perf_counter() - started) * 1000
        per_query.append({"kind": item["kind"], "q": item["q"], "exact": item["exact"], **answer,
                          "page_ms": round(ms, 3)})
    return per_query


def best_of(work: Callable[[], object], times: int = 3) -> float:
    """The shortest of ``times`` runs of ``work``, in seconds: a busy moment does not count."""
    best = float("inf")
    for _ in range(times):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def dir_mb(path: Path) -> float:
    """An index folder's size in MB, as govsearch's own footprint counts it."""
    from govsearch.index.footprint import dir_mb as counted

    return counted(path)
