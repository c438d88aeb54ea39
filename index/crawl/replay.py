"""``govsearch ingest --warc DIR``: index from the raw store, never re-crawl.

Every 200 response that played a report or attachment role is cleaned with
today's pipeline (the same :func:`report_from_fetch` the crawl uses) and
offered to the index; bytes the index already holds are skipped before any
cleaning.  Files are read in name order (oldest crawl first), so a page
fetched twice ends up as its latest copy.  WARC from other crawlers (no
role header) is read too: HTML pages and documents count as reports.
Cleaning runs in worker processes, as in ``ingest``.

Every record that could have held a report and is not indexed is in the
summary as skipped, with the reason: a URL that is not http(s) (``dns:``,
``file:``, ``ftp:``), a 1xx or 2xx answer other than 200 (206 is a partial
body), a record type other than response.  Passed over in silence: what is
a crawl's bookkeeping, not a document - redirects and error answers (3xx,
4xx, 5xx: the server sent no report, and a redirect's target is its own
record; our crawl's events.jsonl lists each), list pages, robots.txt, and
request, metadata and warcinfo records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path

from govsearch.index.build import IngestSummary, Outcome, Worked, default_workers, mapper
from govsearch.index.clean import CleanError, NotAReport
from govsearch.index.crawl.attachments import AttachmentError, Skipped
from govsearch.index.crawl.documents import INDEXED_ROLES, LIST, Fetched, clean_fetched
from govsearch.index.crawl.warcstore import not_http, read_warc, warc_files
from govsearch.index.decode import DecodeError
from govsearch.index.feed import IndexFeed
from govsearch.index.report import report_id
from govsearch.index.writer import WRITE_LOCK_WAIT, prepare

BATCH = 64


def _clean(fetched: Fetched) -> Worked:
    """Worker step: clean and prepare one response."""
    warnings: list[str] = []
    try:
        report = clean_fetched(fetched, warnings)
    except (Skipped, NotAReport) as exc:
        return Worked(Outcome(fetched.url, "skipped", str(exc)))
    except (CleanError, AttachmentError, DecodeError) as exc:
        return Worked(Outcome(fetched.url, "failed", str(exc)))
    return Worked(report, prepare(report), warnings)


def skip_reason(fetched: Fetched) -> str | None:
    """Why a response is not indexed: a reason for the summary, ``""`` for
    a crawl's bookkeeping passed over in silence (see the module notes), or
    None for a response to index."""
    if reason := not_http(fetched.url):
        return reason
    if fetched.role == LIST or fetched.url.endswith("/robots.txt") or fetched.status >= 300:
        return ""
    if fetched.status != 200:
        return (f"HTTP {fetched.status} 不是完整的页面 (HTTP {fetched.status}, not a whole page: only 200 answers "
                "are indexed)" if fetched.status else "没有 HTTP 状态行 (no HTTP status line in the record)")
    if fetched.role and fetched.role not in INDEXED_ROLES:
        return f"crawl role {fetched.role!r} is not a report or attachment"
    return None


def _responses(files: list[Path], problems: list[str], passed: list[tuple[str, str]]) -> Iterator[Fetched]:
    """The responses to index; what is passed over with a reason goes to ``passed``."""
    for path in files:
        for fetched in read_warc(path, problems, passed):
            reason = skip_reason(fetched)
            if reason is None:
                yield fetched
            elif reason:
                passed.append((fetched.url, reason))


def ingest_warc(paths: Iterable[Path], index_dir: Path, *,
                progress: Callable[[Iterable, int | None], Iterable] | None = None,
                workers: int | None = None, indexed: Callable[[Fetched], None] | None = None,
                lock_wait: float = WRITE_LOCK_WAIT) -> IngestSummary:
    """``indexed`` is told of each response whose report the index now
    holds (added, updated or already there)."""
    files = warc_files(paths)
    summary = IngestSummary()
    problems: list[str] = []
    passed: list[tuple[str, str]] = []
    records = _responses(files, problems, passed)
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
            for fetched, worked in zip(todo, map_fn(_clean, todo), strict=True):
                if isinstance(worked.result, Outcome):
                    summary.outcomes.append(worked.result)
                    continue
                status = feed.offer(worked.result, worked.prepared)
                summary.outcomes.append(Outcome(fetched.url, "skipped", "unchanged") if status == "unchanged"
                                        else Outcome(fetched.url, status, warnings=worked.warnings))
                if indexed:
                    indexed(fetched)
    summary.outcomes.extend(Outcome(url, "skipped", reason) for url, reason in passed)
    summary.outcomes.extend(Outcome(problem, "failed") for problem in problems)
    return summary
