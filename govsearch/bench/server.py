"""govsearch's real server measured over HTTP: ``govsearch serve`` on the
index the bench built, the query mix as ``/api/search`` requests (a warm-up
pass, then a timed one), and the server's resident memory idle and at its
peak.
"""

from __future__ import annotations

import time
import urllib.parse
from pathlib import Path
from typing import Any

from govsearch.bench.console import bar, log
from govsearch.bench.machine import proc_status
from govsearch.bench.process import free_port, start_server, stop_server, try_get
from govsearch.bench.queries import PER_PAGE
from govsearch.bench.stats import by_kind, latency

FILTER_PARAMS = {"years": "year", "levels": "level", "provinces": "province"}  # a mix item's filters → query keys


def api_url(base: str, item: dict[str, Any]) -> str:
    params: list[tuple[str, str]] = [("q", item["q"]), ("per_page", str(PER_PAGE))]
    if item["exact"]:
        params.append(("exact", "1"))
    for key, values in (item.get("filters") or {}).items():
        params.extend((FILTER_PARAMS[key], str(v)) for v in values)
    return f"{base}/api/search?{urllib.parse.urlencode(params)}"


def govsearch_server(index_dir: Path, mix: list[dict[str, Any]], log_path: Path) -> dict[str, Any]:
    """The real server as a subprocess: the mix over HTTP, then its peak RSS."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc, ready_s = start_server(["--index", str(index_dir), "--host", "127.0.0.1"], port, log_path)
    try:
        idle = proc_status(proc.pid)
        log(f"server: ready in {ready_s:.1f} s (pid {proc.pid}); warm-up and timed passes over HTTP …")
        for item in bar(mix, desc="http warm-up"):
            try_get(api_url(base, item))
        timed = [_timed(base, item) for item in bar(mix, desc="http")]
        peak = proc_status(proc.pid)
    finally:
        stop_server(proc)
    log(f"server: stopped (peak RSS {peak.get('VmHWM', 0) / 1024:.0f} MB)")
    per_query = [row for row, _ in timed]
    return {"ready_s": round(ready_s, 3), "rss_idle_mb": round(idle.get("VmRSS", 0) / 1024, 1),
            "rss_peak_mb": round(peak.get("VmHWM", 0) / 1024, 1), "http": latency([ms for _, ms in timed]),
            "http_results_page": latency([q["ms"] for q, i in zip(per_query, mix, strict=True) if not i["exact"]]),
            "http_exact": latency([q["ms"] for q, i in zip(per_query, mix, strict=True) if i["exact"]]),
            "by_kind": {"http": by_kind(per_query, "ms")}, "errors": sum(q["status"] != 200 for q in per_query),
            "per_query": per_query}


def _timed(base: str, item: dict[str, Any]) -> tuple[dict[str, Any], float]:
    """One request of the timed pass, with what the server said it took, and its milliseconds."""
    t = time.perf_counter()
    status, body = try_get(api_url(base, item))
    ms = (time.perf_counter() - t) * 1000
    return {"q": item["q"], "kind": item["kind"], "status": status, "ms": round(ms, 3),
            "server_took_ms": body.get("took_ms") if body else None,
            "total": body.get("total") if body else None}, ms
