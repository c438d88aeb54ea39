"""Load test: the production server under a bounded, mixed query load.

    python scripts/load.py --docs 10000 --duration 60 --out load.json

1. A generated corpus (:mod:`govsearch.corpus`) and its index, both kept
   under ``--workdir`` and reused by later runs.
2. ``govsearch serve --workers W`` (gunicorn, pre-forked workers) on
   127.0.0.1.
3. ``--clients`` threads, each with a keep-alive connection, send the mix
   for ``--duration`` seconds and stop by themselves: the JSON search API,
   the HTML results page, exact measure lookups, trend, concordance and
   report pages, with filters, built from the benchmark's query mix.
4. Prints req/s, latency p50/p95/p99 and errors, overall and per kind, and
   the server's peak RSS; writes the same as JSON to ``--out``.

An error is any answer other than 200 or a dropped connection.  The target
(issue 8) is at least 50 req/s with 0 errors on 2 cores at 10k reports.
``scripts/load.py`` is the command line; the corpus, the query mix and the
server's start and stop are the benchmark's.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import subprocess
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

from govsearch.bench.console import BenchError, bar, log
from govsearch.bench.corpus import ensure_corpus
from govsearch.bench.machine import machine, proc_status
from govsearch.bench.process import free_port, start_server, stop_server
from govsearch.bench.queries import CANDIDATES, query_mix
from govsearch.bench.server import FILTER_PARAMS
from govsearch.bench.stats import latency, percentile

# Share of each request kind in the load (they sum to 1).
KINDS = {"api_search": 0.35, "results_page": 0.25, "exact": 0.15, "trend": 0.1, "concordance": 0.1,
         "report_page": 0.05}
PATHS = {"api_search": "/api/search?{query}&per_page=10", "results_page": "/?{query}",
         "exact": "/api/search?{query}&exact=1", "trend": "/api/trend?{query}",
         "concordance": "/api/concordance?{query}&per_page=20"}


def ensure_index(workdir: Path, docs: int, seed: int) -> tuple[Path, list[dict[str, Any]]]:
    """The corpus and its index, built once per (docs, seed) and reused."""
    from govsearch.index.build import ingest

    corpus = workdir / f"corpus-n{docs}-s{seed}"
    rows, _ = ensure_corpus(corpus, docs, seed)
    index_dir = workdir / f"index-n{docs}-s{seed}"
    done = index_dir / "LOAD-INDEX-COMPLETE"
    if not done.exists():
        log(f"load: indexing {docs} pages into {index_dir} (once; later runs reuse it) …")
        summary = ingest([corpus], index_dir, base=corpus,
                         progress=lambda items, total=None: bar(items, total=total, desc="ingest"))
        log(f"load: indexed {summary.counts()}")
        done.write_text(json.dumps(summary.counts()))
    return index_dir, rows


def build_requests(mix: list[dict[str, Any]], report_ids: list[str], n: int, seed: int) -> list[tuple[str, str]]:
    """(kind, path) pairs in a fixed shuffled order."""
    rng = random.Random(seed)
    out: list[tuple[str, str]] = []
    for i in range(n):
        item = mix[i % len(mix)]
        kind = rng.choices(list(KINDS), weights=list(KINDS.values()))[0]
        params: list[tuple[str, str]] = [("q", item["q"])]
        for key, values in (item.get("filters") or {}).items():
            params.extend((FILTER_PARAMS[key], str(v)) for v in values)
        if kind in PATHS:
            path = PATHS[kind].format(query=urllib.parse.urlencode(params))
        else:
            path = f"/reports/{rng.choice(report_ids)}?{urllib.parse.urlencode({'q': item['q']})}"
        out.append((kind, path))
    return out


class Client(threading.Thread):
    """One keep-alive connection sending requests until the deadline."""

    def __init__(self, port: int, requests: list[tuple[str, str]], start: int, deadline: float):
        super().__init__(daemon=True)
        self.port, self.requests, self.i, self.deadline = port, requests, start, deadline
        self.samples: list[tuple[str, float, int]] = []  # (kind, ms, status; 0 = connection failed)
        self.failures: list[str] = []

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        while time.monotonic() < self.deadline:
            kind, path = self.requests[self.i % len(self.requests)]
            self.i += 1
            started = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                status = 0
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                self.failures.append(f"{path}: {exc}")
            self.samples.append((kind, (time.perf_counter() - started) * 1000, status))
            if status != 200 and len(self.failures) < 20:
                self.failures.append(f"{path}: HTTP {status}")
        conn.close()


def server_rss_mb(proc: subprocess.Popen) -> tuple[float, float]:
    """(sum of peak RSS, largest peak RSS) over the server's processes, in MB."""
    pids = [proc.pid]
    with contextlib.suppress(OSError):
        pids += [int(p) for p in Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()]
    peaks = [proc_status(pid).get("VmHWM", 0) / 1024 for pid in pids]
    return round(sum(peaks), 1), round(max(peaks, default=0), 1)


def summarize(samples: list[tuple[str, float, int]], seconds: float) -> dict[str, Any]:
    ok = [ms for _, ms, status in samples if status == 200]
    result = {"requests": len(samples), "seconds": round(seconds, 2), "req_per_s": round(len(samples) / seconds, 1),
              "errors": sum(1 for _, _, status in samples if status != 200),
              "latency_ms": latency(ok),
              "p99_ms": round(percentile(ok, 0.99), 3) if ok else None, "by_kind": {}}
    for kind in KINDS:
        times = [ms for k, ms, status in samples if k == kind and status == 200]
        result["by_kind"][kind] = {"requests": sum(1 for k, _, _ in samples if k == kind),
                                   "latency_ms": latency(times)}
    return result


def first_ids(port: int, mix: list[dict[str, Any]], limit: int = 50) -> list[str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    ids: list[str] = []
    for item in mix[:20]:
        conn.request("GET", "/api/search?" + urllib.parse.urlencode({"q": item["q"], "per_page": 10}))
        response = conn.getresponse()
        body = response.read()
        if response.status == 200:
            ids.extend(hit["id"] for hit in json.loads(body)["hits"])
        if len(ids) >= limit:
            break
    conn.close()
    return ids[:limit]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--docs", type=int, default=10000, help="reports in the index (default 10000)")
    p.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60)")
    p.add_argument("--clients", type=int, default=8, help="concurrent keep-alive clients (default 8)")
    p.add_argument("--workers", type=int, default=3, help="gunicorn worker processes (default 3)")
    p.add_argument("--threads", type=int, default=2,
                   help="waitress threads with --workers 1 (default 2; gunicorn uses gevent)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--workdir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "govsearch-load")
    p.add_argument("--out", type=Path, help="write the results as JSON here")
    args = p.parse_args(argv)
    if args.docs < 1 or args.duration <= 0 or not 1 <= args.clients <= 256 or not 1 <= args.workers <= 32:
        p.error("--docs, --duration must be positive; --clients 1-256; --workers 1-32")
    return args


def _load(port: int, mix: list[dict[str, Any]], args: argparse.Namespace) -> tuple[list[Client], float]:
    """The clients' run against the server on ``port``, after a few seconds' warm-up; (clients, seconds)."""
    requests = build_requests(mix, first_ids(port, mix) or ["0" * 40], 5000, args.seed)
    warm = Client(port, requests, 0, time.monotonic() + 5)  # a few seconds to warm the workers' caches
    warm.run()
    log(f"load: {args.clients} clients for {args.duration:.0f} s against {args.workers} workers …")
    started = time.monotonic()
    deadline = started + args.duration
    clients = [Client(port, requests, i * 97, deadline) for i in range(args.clients)]
    for client in clients:
        client.start()
    for client in clients:
        client.join(timeout=args.duration + 120)
    return clients, time.monotonic() - started


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    workdir = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        index_dir, rows = ensure_index(workdir, args.docs, args.seed)
        mix = query_mix(200, rows, set(CANDIDATES), args.seed)
        port = free_port()
        proc, _ = start_server(["--index", str(index_dir), "--workers", str(args.workers), "--threads",
                                str(args.threads)], port, workdir / "server.log", who="load")
    except BenchError as exc:
        raise SystemExit(f"load: {exc}") from None
    try:
        clients, seconds = _load(port, mix, args)
        rss_total, rss_worker = server_rss_mb(proc)
    finally:
        stop_server(proc, timeout=30)
    samples = [s for c in clients for s in c.samples]
    result = {"docs": args.docs, "clients": args.clients, "workers": args.workers, "threads": args.threads,
              "machine": machine(), **summarize(samples, seconds),
              "server_peak_rss_mb": {"all_processes": rss_total, "largest": rss_worker},
              "first_failures": [f for c in clients for f in c.failures][:10]}
    lat = result["latency_ms"] or {}
    print(f"\n{result['requests']} requests in {seconds:.1f} s: {result['req_per_s']} req/s, "
          f"p50 {lat.get('p50')} ms, p95 {lat.get('p95')} ms, p99 {result['p99_ms']} ms, "
          f"errors {result['errors']}; server peak RSS {rss_total} MB over all processes")
    for kind, row in result["by_kind"].items():
        k = row["latency_ms"] or {}
        print(f"  {kind:13} {row['requests']:6} requests  p50 {k.get('p50')} ms  p95 {k.get('p95')} ms")
    if args.out:
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    return 1 if result["errors"] else 0
