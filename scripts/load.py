#!/usr/bin/env python
"""Load test: the production server under a bounded, mixed query load.

    python scripts/load.py --docs 10000 --duration 60 --out load.json

1. A generated corpus (``scripts/make_corpus.py``) and its index, both kept
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
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import importlib.util
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

# Share of each request kind in the load (they sum to 1).
KINDS = {"api_search": 0.35, "results_page": 0.25, "exact": 0.15, "trend": 0.1, "concordance": 0.1,
         "report_page": 0.05}
SERVER_START_TIMEOUT = 180.0


def _bench():
    """scripts/bench.py as a module: its corpus, query mix and statistics."""
    spec = importlib.util.spec_from_file_location("govsearch_bench", PROJECT_ROOT / "scripts" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


bench = _bench()
log = bench.log


def ensure_index(workdir: Path, docs: int, seed: int) -> tuple[Path, list[dict[str, Any]]]:
    """The corpus and its index, built once per (docs, seed) and reused."""
    from govsearch.index.build import ingest

    corpus = workdir / f"corpus-n{docs}-s{seed}"
    rows, _ = bench.ensure_corpus(corpus, docs, seed)
    index_dir = workdir / f"index-n{docs}-s{seed}"
    done = index_dir / "LOAD-INDEX-COMPLETE"
    if not done.exists():
        log(f"load: indexing {docs} pages into {index_dir} (once; later runs reuse it) …")
        summary = ingest([corpus], index_dir, base=corpus,
                         progress=lambda items, total=None: bench.bar(items, total=total, desc="ingest"))
        log(f"load: indexed {summary.counts()}")
        done.write_text(json.dumps(summary.counts()))
    return index_dir, rows


def build_requests(mix: list[dict[str, Any]], report_ids: list[str], n: int, seed: int) -> list[tuple[str, str]]:
    """(kind, path) pairs in a fixed shuffled order."""
    rng = random.Random(seed)
    names = {"years": "year", "levels": "level", "provinces": "province"}
    out: list[tuple[str, str]] = []
    for i in range(n):
        item = mix[i % len(mix)]
        kind = rng.choices(list(KINDS), weights=list(KINDS.values()))[0]
        params: list[tuple[str, str]] = [("q", item["q"])]
        for key, values in (item.get("filters") or {}).items():
            params.extend((names[key], str(v)) for v in values)
        query = urllib.parse.urlencode(params)
        if kind == "api_search":
            path = f"/api/search?{query}&per_page=10"
        elif kind == "results_page":
            path = f"/?{query}"
        elif kind == "exact":
            path = f"/api/search?{query}&exact=1"
        elif kind == "trend":
            path = f"/api/trend?{query}"
        elif kind == "concordance":
            path = f"/api/concordance?{query}&per_page=20"
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


def start_server(index_dir: Path, port: int, workers: int, threads: int, log_path: Path) -> subprocess.Popen:
    python = PROJECT_ROOT / ".venv" / "bin" / "python"
    command = [str(python if python.exists() else sys.executable), "-m", "govsearch", "serve", "--index",
               str(index_dir), "--port", str(port), "--workers", str(workers), "--threads", str(threads)]
    log(f"load: starting {' '.join(command[1:])}")
    with log_path.open("wb") as server_log:
        proc = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=server_log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    started = time.monotonic()
    while True:
        if proc.poll() is not None:
            raise SystemExit(f"load: the server exited ({proc.returncode}):\n{log_path.read_text()[-1500:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/stats")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            pass
        if time.monotonic() - started > SERVER_START_TIMEOUT:
            raise SystemExit(f"load: the server did not answer within {SERVER_START_TIMEOUT:.0f} s")
        time.sleep(0.3)


def server_rss_mb(proc: subprocess.Popen) -> tuple[float, float]:
    """(sum of peak RSS, largest peak RSS) over the server's processes, in MB."""
    pids = [proc.pid]
    with contextlib.suppress(OSError):
        pids += [int(p) for p in Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()]
    peaks = [bench.proc_status(pid).get("VmHWM", 0) / 1024 for pid in pids]
    return round(sum(peaks), 1), round(max(peaks, default=0), 1)


def summarize(samples: list[tuple[str, float, int]], seconds: float) -> dict[str, Any]:
    ok = [ms for _, ms, status in samples if status == 200]
    result = {"requests": len(samples), "seconds": round(seconds, 2), "req_per_s": round(len(samples) / seconds, 1),
              "errors": sum(1 for _, _, status in samples if status != 200),
              "latency_ms": bench.latency(ok),
              "p99_ms": round(bench.percentile(ok, 0.99), 3) if ok else None, "by_kind": {}}
    for kind in KINDS:
        times = [ms for k, ms, status in samples if k == kind and status == 200]
        result["by_kind"][kind] = {"requests": sum(1 for k, _, _ in samples if k == kind),
                                   "latency_ms": bench.latency(times)}
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


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    workdir = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    index_dir, rows = ensure_index(workdir, args.docs, args.seed)
    mix = bench.query_mix(200, rows, set(bench.CANDIDATES), args.seed)
    port = bench.free_port()
    proc = start_server(index_dir, port, args.workers, args.threads, workdir / "server.log")
    try:
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
        seconds = time.monotonic() - started
        rss_total, rss_worker = server_rss_mb(proc)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    samples = [s for c in clients for s in c.samples]
    result = {"docs": args.docs, "clients": args.clients, "workers": args.workers, "threads": args.threads,
              "machine": bench.machine(), **summarize(samples, seconds),
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


if __name__ == "__main__":
    sys.exit(main())
