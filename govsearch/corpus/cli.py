"""Write a deterministic synthetic corpus of 法治政府建设 report pages.

    python scripts/make_corpus.py N OUT [--seed S] [--html-share 0.8] [--force] [--jobs J]

The command line of :func:`govsearch.corpus.driver.generate`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from govsearch.corpus.driver import generate
from govsearch.corpus.shape import DUP_SHARE, MANIFEST


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of pages")
    parser.add_argument("out", type=Path, help="output folder (created; must be empty unless --force)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--html-share", type=float, default=0.8, help="share of .html pages (the rest are .txt)")
    parser.add_argument("--dup-share", type=float, default=DUP_SHARE, help="share of traditional-script mirrors")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: CPUs for large N)")
    parser.add_argument("--force", action="store_true", help="write into a non-empty folder, replacing earlier pages")
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("n must be >= 0")
    try:
        paths = generate(args.n, args.out, seed=args.seed, html_share=args.html_share, dup_share=args.dup_share,
                         jobs=args.jobs, progress=False if args.no_progress else None, force=args.force)
    except FileExistsError as exc:
        print(f"make_corpus: refusing to write: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:
        parser.error(str(exc))
    print(f"wrote {len(paths)} pages and {MANIFEST} to {args.out}", file=sys.stderr)
    return 0
