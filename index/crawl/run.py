"""Run a crawl: SITES.toml in; WARC, an event log and indexed reports out.

The output folder holds everything a crawl keeps:

- ``warc/``: every response, for re-ingesting without re-crawling;
- ``events.jsonl``: one line per fetch outcome (indexed, unchanged,
  skipped, fault …) with its reason;
- ``crawl.log``: Scrapy's own log;
- ``state.sqlite``: ETag / Last-Modified of indexed pages, for the next
  crawl, and which WARC files are wholly committed to the index;
- ``job/``: Scrapy's JOBDIR, so an interrupted crawl (Ctrl-C, SIGTERM)
  resumes with ``--resume`` (not with ``--redis``, whose frontier lives in
  Redis).  After ``kill -9`` see :mod:`index.crawl.recover`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from govsearch.index.crawl.monitor import CrawlMonitor
from govsearch.index.crawl.recover import mark_stopped_cleanly, prepare_jobdir, recover_uncommitted
from govsearch.index.crawl.settings import scrapy_settings
from govsearch.index.crawl.sites import SitesFile
from govsearch.index.crawl.state import CrawlState
from govsearch.index.crawl.warcstore import WarcStore


@dataclass
class CrawlOptions:
    out: Path
    contact: str
    index_dir: Path | None = None  # None: keep WARC only (--no-index)
    max_pages: int | None = None
    resume: bool = False
    redis_url: str | None = None
    job: str = ""
    progress: bool = True
    log_level: str = "INFO"


@dataclass
class CrawlContext:
    """What the spider, middlewares and pipeline of one crawl share."""

    monitor: CrawlMonitor
    warc: WarcStore
    state: CrawlState
    feed: object | None = None  # index.feed.IndexFeed


@dataclass
class CrawlSummary:
    counts: dict[str, int] = field(default_factory=dict)
    finish_reason: str = ""
    notes: list[str] = field(default_factory=list)


def default_job(sites: SitesFile) -> str:
    """Processes started the same (UTC) day on the same file share a frontier."""
    return f"{sites.path.stem}-{datetime.now(UTC):%Y%m%d}"


def run_crawl(sites: SitesFile, options: CrawlOptions) -> CrawlSummary:
    """Crawl until the frontier is empty, --max-pages is reached, or the
    process is asked to stop (SIGINT/SIGTERM: finishes in-flight requests
    and saves the frontier)."""
    out = options.out
    out.mkdir(parents=True, exist_ok=True)
    summary = CrawlSummary()
    if options.redis_url:
        from govsearch.index.crawl.peers import check_redis

        check_redis(options.redis_url)
    else:
        summary.notes.append(prepare_jobdir(out, options.resume))
    settings = scrapy_settings(sites, contact=options.contact, out=out, max_pages=options.max_pages,
                               redis_url=options.redis_url, job=options.job or default_job(sites),
                               log_level=options.log_level)
    state = CrawlState(out / "state.sqlite")
    try:
        if options.index_dir is not None:
            summary.notes.append(_recover(out, options.index_dir, state, options.progress))
        _crawl(sites, settings, options, state, summary)
    finally:
        state.close()
    summary.notes = [note for note in summary.notes if note]
    return summary


def _recover(out: Path, index_dir: Path, state: CrawlState, progress: bool) -> str:
    recovered = recover_uncommitted(out, index_dir, state, progress=progress)
    if recovered is None:
        return ""
    c = recovered.counts()
    return (f"补索引上次抓取已下载、未提交的报告 (indexed what an unfinished crawl had fetched but not "
            f"committed, from its WARC): 新增 {c['added']}, 更新 {c['updated']}, 跳过 {c['skipped']}, "
            f"失败 {c['failed']}")


def _crawl(sites: SitesFile, settings, options: CrawlOptions, state: CrawlState, summary: CrawlSummary) -> None:
    from scrapy.crawler import CrawlerProcess

    from govsearch.index.crawl.spider import ReportSpider

    out = options.out
    context = CrawlContext(monitor=CrawlMonitor(out / "events.jsonl", progress=options.progress),
                           warc=WarcStore(out / "warc"), state=state)
    if options.index_dir is not None:
        from govsearch.index.feed import IndexFeed

        context.feed = IndexFeed(options.index_dir)
    try:
        process = CrawlerProcess(settings)
        crawler = process.create_crawler(ReportSpider)
        process.crawl(crawler, sites=sites, context=context)
        _tick_while_running(context)
        process.start()
        summary.finish_reason = str(crawler.stats.get_value("finish_reason") or "")
    finally:
        try:
            if context.feed is not None:
                context.feed.close()
        finally:
            context.monitor.close()
            context.warc.close()
    summary.counts = dict(context.monitor.counts)
    # Reached only when the last batch is committed: what this run fetched is
    # in the index, and Scrapy has saved its frontier.
    if context.feed is not None:
        state.mark_indexed(context.warc.paths)
    if summary.finish_reason and not options.redis_url:
        mark_stopped_cleanly(out)


def _tick_while_running(context: CrawlContext) -> None:
    """Commit a waiting batch every few seconds, even while no page arrives."""
    if context.feed is None:
        return
    from twisted.internet import reactor, task

    loop = task.LoopingCall(context.feed.tick)
    reactor.callWhenRunning(loop.start, 5.0, False)
