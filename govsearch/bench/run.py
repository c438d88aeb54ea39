"""One benchmark run: the corpus and the query mix, then every selected
engine in turn through the :class:`~govsearch.bench.protocol.Peer`
interface (reading, marking, ingest, queries, extra measures), then the
table.  Engines run one after the other in this process, never at once.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from govsearch.bench.cleaning import SHARED_HTML, clean_speeds, report_marking
from govsearch.bench.console import BenchError, log
from govsearch.bench.corpus import corpus_stats, ensure_corpus, manifest_path, scan
from govsearch.bench.machine import load_average, machine
from govsearch.bench.peers import PEERS, selected
from govsearch.bench.protocol import Peer, Work
from govsearch.bench.queries import CANDIDATES, query_mix
from govsearch.bench.stats import dir_mb
from govsearch.bench.table import table_rows

BENCH_VERSION = 1


def run(args: argparse.Namespace) -> dict[str, Any]:
    began = time.perf_counter()
    peers = selected(args.peers)
    for peer in peers:
        reason = peer.missing()
        if reason:
            raise BenchError(reason)
    workdir = args.workdir.resolve()
    corpus = (args.corpus or workdir / f"corpus-n{args.docs}-s{args.seed}").resolve()
    rows, corpus_info = ensure_corpus(corpus, args.docs, args.seed)
    pages = [manifest_path(corpus, row) for row in rows]
    found, read_lengths = scan(pages, CANDIDATES)
    stats = corpus_stats(corpus, rows, read_lengths)
    mix = query_mix(args.queries, rows, found, args.seed)
    # The bench's own tables (a row and a path per page: millions of objects at 100k) are left out of
    # the garbage collector, so that its full collections do not land in an engine's timings; what
    # each engine allocates is still collected as in any process.
    gc.freeze()
    fresh = workdir / f"run-{datetime.now().strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"
    run_dir = args.reuse.resolve() if args.reuse else fresh
    run_dir.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {
        "bench_version": BENCH_VERSION,
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "machine": machine(),
        "corpus": {**corpus_info, **stats},
        "queries": mix,
        "query_kinds": dict(Counter(item["kind"] for item in mix)),
        "peer_pages": args.peer_docs or len(pages),
    }
    results["pages_by_peer"] = {peer.name: _pages_for(peer, args, len(pages)) for peer in peers}
    try:
        speeds = clean_speeds(SHARED_HTML, peers) or {}
        log("report page marking at 1 and 8 MB …")
        marking = report_marking(peers)
        for peer in peers:
            n = results["pages_by_peer"][peer.name]
            chars = stats["chars_total"] if peer.whole_corpus else sum(read_lengths[:n])
            work = Work(corpus=corpus, pages=pages[:n], rows=rows[:n], chars=chars, mix=mix,
                        index_dir=run_dir / f"{peer.name}-index", run_dir=run_dir, args=args)
            run_peer(peer, work, results, speeds, marking)
    finally:
        if not args.keep and not args.reuse:
            shutil.rmtree(run_dir, ignore_errors=True)
    results["table"] = table_rows(results, [peer.name for peer in PEERS])
    results["machine"]["loadavg_end"] = load_average()
    results["duration_s"] = round(time.perf_counter() - began, 1)
    return results


def _pages_for(peer: Peer, args: argparse.Namespace, pages: int) -> int:
    """How many pages (a prefix) a peer indexes: all for govsearch, --naive-docs
    for the naive peer when given, else --peer-docs."""
    if peer.whole_corpus:
        return pages
    if peer.name == "naive" and args.naive_docs:
        return args.naive_docs
    return args.peer_docs or pages


def run_peer(peer: Peer, work: Work, results: dict[str, Any], speeds: dict[str, float],
             marking: dict[str, dict[str, float]]) -> None:
    """One engine's measures, into ``results[peer.name]``."""
    mine: dict[str, Any] = {}
    results[peer.name] = mine
    if peer.cleaner() is not None:
        mine["clean"] = {"ms_per_100kb": speeds.get(peer.name)}
    if peer.name in marking:
        mine["marking"] = marking[peer.name]
    if work.args.reuse and work.index_dir.is_dir():
        log(f"{peer.name}: reusing the index in {work.index_dir} (no ingest)")
        mine["ingest"] = {"reused": str(work.index_dir), "index_mb": round(dir_mb(work.index_dir), 3)}
    else:
        mine["ingest"] = peer.ingest(work)
    mine["queries"] = peer.queries(work)
    peer.extra(work, results)
