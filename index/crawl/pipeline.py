"""The item pipeline: each fetched report is cleaned and indexed as it arrives.

An unchanged page (HTTP 304, or the same bytes as the indexed copy) costs
no cleaning.  A page that cannot be cleaned is logged with its reason; it
never stops the crawl.  With ``--no-index`` the crawl only keeps WARC.
"""

from __future__ import annotations

from govsearch.index.clean import CleanError, NotAReport
from govsearch.index.crawl.attachments import AttachmentError, Skipped
from govsearch.index.crawl.documents import Fetched, clean_fetched
from govsearch.index.crawl.middlewares import CrawlerBound
from govsearch.index.crawl.spider import NOT_MODIFIED
from govsearch.index.decode import DecodeError
from govsearch.index.report import report_id


def handle(fetched: Fetched, context) -> str:
    """Clean and index one fetched resource; log and return what happened."""
    monitor, feed = context.monitor, context.feed
    url = fetched.url
    if fetched.status == NOT_MODIFIED:
        monitor.event("unchanged", url, "HTTP 304 not modified")
        return "unchanged"
    if feed is None:
        monitor.event("stored", url, "kept in WARC (--no-index)")
        return "stored"
    if feed.holds(report_id(url), fetched.digest):
        status, detail = "unchanged", "same bytes as the indexed copy"
    else:
        try:
            report = clean_fetched(fetched)
        except (Skipped, NotAReport) as exc:
            monitor.event("skipped", url, str(exc))
            return "skipped"
        except (CleanError, AttachmentError, DecodeError) as exc:
            monitor.event("failed", url, str(exc))
            return "failed"
        status = feed.offer(report)
        detail = report.title
    monitor.event(status, url, detail)
    context.state.remember(fetched)
    return status


class IndexPipeline(CrawlerBound):
    def process_item(self, item: dict) -> dict:
        context = self.crawler.spider.context
        handle(item["fetched"], context)
        if context.feed is not None:
            context.feed.tick()
        return item
