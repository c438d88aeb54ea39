"""After a crawl that was killed: index what it fetched but never committed,
and distrust the frontier it saved.

The crawl feed commits reports in batches, so ``kill -9`` (or a crash, or
a power cut) loses the batch in memory; the pages are in the WARC, which is
written and flushed response by response.  A crawl that ends cleanly marks
its WARC files committed (``state.sqlite``); the next crawl on the same
output folder replays the files nobody marked, with the same cleaning as
``ingest --warc``, before fetching anything.

Scrapy's on-disk queue saves its bookkeeping only when it closes, and its
dupefilter has already recorded requests that were queued but never
fetched.  A killed crawl's JOBDIR would therefore resume with pages
silently missing, so ``--resume`` trusts it only when the last run left
the clean-shutdown mark; otherwise the site is walked again, and pages
already indexed cost a conditional request (304) rather than a download.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from govsearch.index.build import IngestSummary
from govsearch.index.crawl.state import CrawlState
from govsearch.index.crawl.warcstore import being_written, warc_files

CLEAN_MARK = "stopped-cleanly"


def prepare_jobdir(out: Path, resume: bool) -> str:
    """Keep the JOBDIR for --resume when its last run stopped cleanly;
    otherwise start a fresh frontier.  Returns a note for the user."""
    job = out / "job"
    mark = job / CLEAN_MARK
    if resume and mark.exists():
        mark.unlink()  # set again only when this run stops cleanly
        return "resuming the interrupted crawl"
    if not job.exists():
        return "nothing to resume: starting a new crawl" if resume else ""
    shutil.rmtree(job)
    if resume:
        return ("上次抓取未正常结束，保存的队列不完整，将重新遍历站点；已索引的页面只发条件请求 (the last crawl "
                "did not stop cleanly, so its saved frontier is incomplete: walking the sites again; "
                "pages already indexed cost a conditional request)")
    return "a new crawl: the previous frontier was discarded (use --resume to continue one)"


def mark_stopped_cleanly(out: Path) -> None:
    job = out / "job"
    job.mkdir(parents=True, exist_ok=True)
    (job / CLEAN_MARK).touch()


def recover_uncommitted(out: Path, index_dir: Path, state: CrawlState, *,
                        progress: bool = False) -> IngestSummary | None:
    """Replay the WARC files of this output folder that no crawl marked
    committed, except those another live crawler is still writing.
    Returns None when there was nothing to replay.  ``progress`` shows a
    bar: an output folder from before this mark existed replays all of it
    once."""
    from govsearch.index.crawl.replay import ingest_warc

    folder = out / "warc"
    if not folder.is_dir():
        return None
    pending = [p for p in state.not_indexed(warc_files([folder])) if not being_written(p)]
    if not pending:
        return None
    summary = ingest_warc(pending, index_dir, indexed=state.remember,  # the next fetch of each is conditional
                          progress=_bar if progress else None)
    state.mark_indexed(pending)
    return summary


def _bar(items, total=None):
    from tqdm import tqdm

    return tqdm(items, total=total, desc="补索引 (recovering from WARC)", unit="page", file=sys.stderr,
                disable=None)
