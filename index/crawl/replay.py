"""``govsearch ingest --warc DIR``: index from the raw store, never re-crawl.

Every 200 response that played a report or attachment role is cleaned with
today's pipeline (the same :func:`report_from_fetch` the crawl uses) and
offered to the index; bytes the index already holds are skipped before any
cleaning.  Files are read in name order (oldest crawl first), so a page
fetched twice ends up as its latest copy.  WARC from other crawlers (no
role header) is read too: HTML pages and documents count as reports.
Cleaning runs in worker processes, as in ``ingest``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path

from index.build import WRITE_LOCK_WAIT, IngestSummary, Outcome, Prepared, default_workers, mapper, prepare
from index.clean import CleanError
from index.crawl.attachments import AttachmentError, Skipped
from index.crawl.documents import INDEXED_ROLES, Fetched, clean_fetched
from index.crawl.warcstore import read_warc, warc_files
from index.decode import DecodeError
from index.feed import IndexFeed
from index.report import Report, report_id

BATCH = 64


def _clean(fetched: Fetched) -> tuple[Report | Outcome, Prepared | None]:
    """Worker step: clean and prepare one response."""
    try:
        report = clean_fetched(fetched)
    except Skipped as exc:
        return Outcome(fetched.url, "skipped", str(exc)), None
    except (CleanError, AttachmentError, DecodeError) as exc:
        return Outcome(fetched.url, "failed", str(exc)), None
    return report, prepare(report)


def _responses(files: list[Path], problems: list[str]) -> Iterator[Fetched]:
    for path in files:
        for fetched in read_warc(path, problems):
            foreign = not fetched.role and not fetched.url.endswith("/robots.txt")  # another crawler's WARC
            if fetched.status == 200 and (fetched.role in INDEXED_ROLES or foreign):
                yield fetched


def ingest_warc(paths: Iterable[Path], index_dir: Path, *,
                progress: Callable[[Iterable, int | None], Iterable] | None = None,
                workers: int | None = None, indexed: Callable[[Fetched], None] | None = None,
                lock_wait: float = WRITE_LOCK_WAIT) -> IngestSummary:
    """``indexed`` is told of each response whose report the index now
    holds (added, updated or already there)."""
    files = warc_files(paths)
    summary = IngestSummary()
    problems: list[str] = []
    records = _responses(files, problems)
    stream = progress(records, None) if progress else records
    with IndexFeed(index_dir, max_batch=500, max_wait=float("inf"), lock_wait=lock_wait) as feed, \
            mapper(workers or default_workers(), BATCH) as map_fn:
        while batch := list(islice(stream, BATCH)):
            todo = []
            for fetched in batch:
                if feed.holds(report_id(fetched.url), fetched.digest):
                    summary.outcomes.append(Outcome(fetched.url, "skipped", "unchanged"))
                    if indexed:
                        indexed(fetched)
                else:
                    todo.append(fetched)
            for fetched, (result, prepared) in zip(todo, map_fn(_clean, todo), strict=True):
                if isinstance(result, Outcome):
                    summary.outcomes.append(result)
                    continue
                status = feed.offer(result, prepared)
                summary.outcomes.append(Outcome(fetched.url, "skipped", "unchanged") if status == "unchanged"
                                        else Outcome(fetched.url, status))
                if indexed:
                    indexed(fetched)
    summary.outcomes.extend(Outcome(problem, "failed") for problem in problems)
    return summary
