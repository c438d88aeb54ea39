"""How the command behaves in a shell pipeline: its exit statuses and error
line, progress a log can read when stderr is not a terminal, and a reader
that stops early (``| head``) ends the command quietly instead of with a
BrokenPipeError traceback."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

# Without a terminal, a progress line at most this often (and at the end).
LINE_EVERY_SECONDS = 5.0
# Exit statuses, as grep's: 1 when a command failed or found nothing, 2 for bad input.
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def fail(message: str, code: int = EXIT_FAILED) -> int:
    """A one-line message on stderr, and the status to exit with."""
    print(f"govsearch: 错误: {message}", file=sys.stderr)
    return code


def progress(items: Iterable, total: int | None = None, desc: str = "ingest") -> Iterable:
    """A tqdm bar on a terminal; elsewhere (a log, CI, a pipe) periodic lines
    such as ``ingest: 120/500 (24%)`` instead of carriage-return redraws."""
    if sys.stderr.isatty():
        from tqdm import tqdm

        return tqdm(items, total=total, desc=desc, unit="file", file=sys.stderr, dynamic_ncols=True)
    return _lines(items, total, desc)


def _lines(items: Iterable, total: int | None, desc: str) -> Iterator:
    started = last = time.monotonic()
    done = 0
    for item in items:
        yield item
        done += 1
        now = time.monotonic()
        if now - last >= LINE_EVERY_SECONDS:
            last = now
            print(_line(desc, done, total, now - started), file=sys.stderr, flush=True)
    if done:
        print(_line(desc, done, total, time.monotonic() - started), file=sys.stderr, flush=True)


def _line(desc: str, done: int, total: int | None, seconds: float) -> str:
    share = f" ({done / total:.0%})" if total else ""
    return f"{desc}: {done}/{total if total is not None else '?'}{share}, {seconds:.0f} s"


def closed_pipe_is_quiet(command: Callable[[], int]) -> int:
    """Run ``command``; if the reader of stdout went away, stop with status 0
    and nothing on stderr, as a filter in a pipeline should."""
    try:
        status = command()
        sys.stdout.flush()
        return status
    except BrokenPipeError:
        # Python flushes stdout again at exit; point it at /dev/null so that
        # flush cannot raise a second time.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def write_lines(chunks: Iterable[Any]) -> None:
    """Text chunks to stdout as they come (a pipe's reader sees the first at once)."""
    for chunk in chunks:
        sys.stdout.write(chunk)
