"""The library entry point, :func:`generate`: ``n`` pages and their manifest
written into a folder, in chunks, by one process or by forked workers.

Every page depends only on (seed, index), so the output is byte-identical
for a seed whatever the number of worker processes.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import sys
import traceback
from pathlib import Path

from govsearch.corpus.pages import make_page
from govsearch.corpus.resources import resources
from govsearch.corpus.shape import DUP_SHARE, MANIFEST, PAGE_NAME


def _write_range(indexes: list[int], out: Path, seed: int, n: int, html_share: float, dup_share: float) -> list[dict]:
    res = resources()
    rows = []
    for i in indexes:
        page = make_page(i, seed, n, html_share, dup_share, res)
        (out / page.name).write_bytes(page.data)
        rows.append(page.row)
    return rows


def _worker(tasks, results, out: Path, seed: int, n: int, html_share: float, dup_share: float) -> None:
    while True:
        start = tasks.get()
        if start is None:
            return
        try:
            indexes = list(range(start, min(n, start + CHUNK)))
            results.put((start, _write_range(indexes, out, seed, n, html_share, dup_share), None))
        except Exception:
            results.put((start, [], traceback.format_exc()))


CHUNK = 100


def _prepare(out: Path, force: bool) -> None:
    if out.exists() and not out.is_dir():
        raise FileExistsError(f"{out} exists and is not a folder")
    if out.exists() and any(out.iterdir()):
        if not force:
            raise FileExistsError(f"{out} exists and is not empty (use --force to write into it)")
        for path in out.iterdir():  # only our own pages and manifest: never anything else
            if path.is_file() and (PAGE_NAME.match(path.name) or path.name == MANIFEST):
                path.unlink()
    out.mkdir(parents=True, exist_ok=True)


def generate(n: int, out: Path, seed: int = 0, html_share: float = 0.8, *, dup_share: float = DUP_SHARE,
             jobs: int | None = None, progress: bool | None = None, force: bool = False) -> list[Path]:
    """Write ``n`` pages and ``manifest.jsonl`` into ``out``; return the page paths in order.

    Raises FileExistsError when ``out`` holds files and ``force`` is false;
    with ``force`` only earlier pages of this generator and the manifest are removed.
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    if not 0 <= html_share <= 1 or not 0 <= dup_share < 1:
        raise ValueError("html_share must be in [0, 1] and dup_share in [0, 1)")
    out = Path(out)
    _prepare(out, force)
    resources()  # loaded before forking, shared by the workers
    jobs = jobs if jobs is not None else (min(os.cpu_count() or 1, 8) if n >= 2000 else 1)
    show = progress if progress is not None else n >= 2000
    from tqdm import tqdm

    bar = tqdm(total=n, unit="page", file=sys.stderr, disable=not show, desc="pages")
    rows: list[dict] = []
    try:
        if jobs <= 1 or n < 2 * CHUNK or "fork" not in multiprocessing.get_all_start_methods():
            for start in range(0, n, CHUNK):
                chunk = _write_range(list(range(start, min(n, start + CHUNK))), out, seed, n, html_share, dup_share)
                rows.extend(chunk)
                bar.update(len(chunk))
        else:
            rows = _generate_parallel(n, out, seed, html_share, dup_share, jobs, bar)
    finally:
        bar.close()
    with (out / MANIFEST).open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return [out / row["file"] for row in rows]


def _generate_parallel(n, out, seed, html_share, dup_share, jobs, bar) -> list[dict]:
    ctx = multiprocessing.get_context("fork")
    gc.freeze()  # the workers share the loaded resources; a collection would copy every page of them
    tasks, results = ctx.Queue(), ctx.Queue()
    starts = list(range(0, n, CHUNK))
    for start in starts:
        tasks.put(start)
    for _ in range(jobs):
        tasks.put(None)
    procs = [ctx.Process(target=_worker, args=(tasks, results, out, seed, n, html_share, dup_share), daemon=True)
             for _ in range(jobs)]
    for p in procs:
        p.start()
    chunks: dict[int, list[dict]] = {}
    try:
        while len(chunks) < len(starts):
            start, chunk, error = results.get()
            if error:
                raise RuntimeError(f"page generation failed in chunk {start}:\n{error}")
            chunks[start] = chunk
            bar.update(len(chunk))
    finally:
        for p in procs:
            p.join(timeout=5)
            if p.is_alive():
                p.terminate()
    return [row for start in starts for row in chunks[start]]

