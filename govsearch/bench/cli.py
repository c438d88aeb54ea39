"""The bench's command line (``scripts/bench.py``): its flags, the report on
stdout, the JSON to ``--out``, exit status 2 on a problem the user must fix.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from govsearch.bench.console import BenchError, log
from govsearch.bench.peers import OPTIONAL, PEERS
from govsearch.bench.run import run
from govsearch.bench.table import render
from govsearch.config import data_dir


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Benchmark govsearch against naive Whoosh and tantivy-py.")
    p.add_argument("--docs", type=int, required=True, help="pages in the generated corpus")
    p.add_argument("--out", type=Path, help="write the results as JSON here")
    p.add_argument("--corpus", type=Path, help="corpus directory: reused when its manifest has --docs pages, "
                                               "else generated there (default: WORKDIR/corpus-n{docs}-s{seed})")
    p.add_argument("--workdir", type=Path, default=data_dir() / "bench",
                   help="indexes, server log and the default corpus cache (default: var/bench)")
    p.add_argument("--queries", type=int, default=40, help="queries in the mix (default 40)")
    p.add_argument("--peers", default=",".join(OPTIONAL),
                   help=f"comma-separated: {', '.join(OPTIONAL)} (default all)")
    p.add_argument("--seed", type=int, default=0, help="corpus and query-mix seed")
    p.add_argument("--ingest-workers", type=int, help="govsearch ingest workers (default: ingest's own default)")
    p.add_argument("--naive-queries", type=int, default=12,
                   help="queries the naive peer runs, a prefix of the mix (default 12)")
    p.add_argument("--naive-query-budget", type=float, default=30.0,
                   help="seconds per naive results page before highlighting stops (default 30)")
    p.add_argument("--naive-budget", type=float, default=180.0,
                   help="seconds for all naive queries (default 180)")
    p.add_argument("--peer-docs", type=int,
                   help="run the peers on only the first N pages (a 100k naive ingest takes hours); their "
                        "ingest rates stay comparable, their query times are then underestimates")
    p.add_argument("--naive-docs", type=int,
                   help="run the naive peer on only the first N pages (default: --peer-docs), so tantivy "
                        "and SQLite can index the whole corpus while naive Whoosh (~16 reports/s) takes a prefix")
    p.add_argument("--no-server", action="store_true", help="skip the HTTP server measurement")
    p.add_argument("--keep", action="store_true", help="keep the indexes under WORKDIR/run-*")
    p.add_argument("--compaction", action="store_true",
                   help="re-ingest a fifth of the reports and time govsearch optimize also above 20,000 reports "
                        "(it runs by default up to there; never with --reuse)")
    p.add_argument("--reuse", type=Path, metavar="RUN_DIR",
                   help="time the queries on the indexes a --keep run left in RUN_DIR (no ingest; its figures "
                        "are that run's); the corpus and --docs must be that run's")
    args = p.parse_args(argv)
    if args.reuse is not None and not args.reuse.is_dir():
        p.error(f"--reuse: no such run directory: {args.reuse}")
    if args.docs < 1 or args.queries < 1:
        p.error("--docs and --queries must be positive")
    if args.peer_docs is not None and not 1 <= args.peer_docs <= args.docs:
        p.error("--peer-docs must be between 1 and --docs")
    if args.naive_docs is not None and not 1 <= args.naive_docs <= args.docs:
        p.error("--naive-docs must be between 1 and --docs")
    args.peers = [x.strip() for x in args.peers.split(",") if x.strip() and x.strip() != "none"]
    unknown = set(args.peers) - set(OPTIONAL)
    if unknown:
        p.error(f"unknown peers: {', '.join(sorted(unknown))} (choose from {', '.join(OPTIONAL)})")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        results = run(args)
    except BenchError as exc:
        print(f"bench: error: {exc}", file=sys.stderr)
        return 2
    print(render(results, PEERS))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        log(f"wrote {args.out}")
    log(f"done in {results['duration_s']:.0f} s")
    return 0
