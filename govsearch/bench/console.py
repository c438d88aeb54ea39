"""What the bench says while it runs: one-line messages and progress on
stderr (a tqdm bar on a terminal, a line every tenth of the way in CI logs),
and the error a user must fix.  stdout carries only the report.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable


class BenchError(RuntimeError):
    """A problem the user must fix; reported in one line, exit status 2."""


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def bar(items: Iterable, total: int | None = None, desc: str = "") -> Iterable:
    """A tqdm bar on stderr when it is a terminal; else a progress line at
    every tenth of the way (CI logs)."""
    if total is None and hasattr(items, "__len__"):
        total = len(items)
    if sys.stderr.isatty():
        from tqdm import tqdm

        return tqdm(items, total=total, desc=desc, unit="doc" if "ingest" in desc else "q", file=sys.stderr,
                    dynamic_ncols=True, leave=False)
    return _lines(items, total, desc)


def _lines(items: Iterable, total: int | None, desc: str) -> Iterable:
    started = last = time.perf_counter()
    step = max(1, (total or 0) // 10)
    for done, item in enumerate(items, 1):
        yield item
        now = time.perf_counter()
        if total and (done % step == 0 or done == total) and now - last >= 5:
            last = now
            log(f"  {desc}: {done}/{total} ({now - started:.0f} s)")
