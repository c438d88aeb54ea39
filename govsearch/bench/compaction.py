"""Re-ingest and compaction on the bench's index (govsearch alone): a fifth
of the reports re-ingested changed, then the index's size and query times
before and after ``govsearch optimize`` (index.optimize).

Runs after every other measure, since it changes the index; never on a
reused index (a kept run is not altered), and only up to COMPACTION_DOCS
reports unless asked (``--compaction``): Whoosh merges segments by
re-adding every posting in Python, so optimizing 100k reports takes long.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from govsearch.bench.console import log
from govsearch.bench.corpus import manifest_path
from govsearch.bench.queries import PER_PAGE, filters_of
from govsearch.bench.stats import page_and_exact

SHARE = 5  # every fifth report
COMPACTION_DOCS = 20_000
MARKER = "补记：本年度另有整改事项一项。"


def changed_copies(corpus: Path, rows: list[dict[str, Any]], folder: Path) -> int:
    """Every SHARE-th page with a line added, under the same relative path
    in ``folder``: ingested with ``base=folder``, each replaces its report."""
    count = 0
    for row in rows[::SHARE]:
        source = manifest_path(corpus, row)
        target = folder / source.relative_to(corpus)
        target.parent.mkdir(parents=True, exist_ok=True)
        data, line = source.read_bytes(), MARKER.encode()
        target.write_bytes(data.replace(b"</body>", b"<p>" + line + b"</p></body>", 1)
                           if source.suffix.lower() in (".html", ".htm") else data + b"\n" + line)
        count += 1
    return count


def _timed(index_dir: Path, mix: list[dict[str, Any]]) -> dict[str, Any]:
    """Results pages and exact lookups over the mix (a warm-up pass, then the timed one)."""
    from govsearch.search.engine import Engine

    engine = Engine(index_dir)
    for item in mix:
        engine.search(item["q"], filters_of(item), per_page=PER_PAGE, exact=item["exact"]).to_dict()
    per_query = []
    for item in mix:
        started = time.perf_counter()
        engine.search(item["q"], filters_of(item), per_page=PER_PAGE, exact=item["exact"]).to_dict()
        per_query.append({"exact": item["exact"], "page_ms": (time.perf_counter() - started) * 1000})
    return page_and_exact(per_query)


def compaction(corpus: Path, rows: list[dict[str, Any]], index_dir: Path, run_dir: Path,
               mix: list[dict[str, Any]]) -> dict[str, Any]:
    """Re-ingest a fifth, then optimize: sizes, times and what optimize dropped."""
    from govsearch.index.build import ingest
    from govsearch.index.optimize import optimize

    folder = run_dir / "reingested"
    changed = changed_copies(corpus, rows, folder)
    log(f"govsearch: re-ingesting {changed} changed reports, then optimize …")
    started = time.perf_counter()
    counts = ingest([folder], index_dir, base=folder).counts()
    reingest_s = time.perf_counter() - started
    timed_before = _timed(index_dir, mix)
    done = optimize(index_dir)  # it measures the index's size before and after
    before = {"index_mb": done.mb_before, **timed_before}
    after = {"index_mb": done.mb_after, **_timed(index_dir, mix)}
    log(f"govsearch: optimized in {done.seconds:.1f} s: {done.mb_before:.0f} → {done.mb_after:.0f} MB")
    return {"reingested": changed, "counts": counts, "reingest_s": round(reingest_s, 3), "before": before,
            "after": after, "optimize": done.to_dict()}


def wanted(args, docs: int) -> bool:
    """Whether this run measures compaction (see the module notes)."""
    return not args.reuse and (args.compaction or docs <= COMPACTION_DOCS)
