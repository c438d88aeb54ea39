"""Downloader middlewares: the raw store, conditional requests, and retries
that back off.

- :class:`WarcMiddleware` sits next to the downloader (order 950), so it
  sees every response as the server sent it: 3xx before the redirect, 5xx
  before the retry, bodies still compressed.
- :class:`ConditionalMiddleware` asks "changed since?" for report URLs the
  index already holds, using the ETag / Last-Modified the last fetch gave.
- :class:`BackoffRetryMiddleware` is Scrapy's retry with a wait that doubles
  on each attempt: a struggling server gets room, not a hammering.
"""

from __future__ import annotations

import asyncio

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response

from govsearch.index.crawl.documents import INDEXED_ROLES
from govsearch.index.report import report_id


def _context(crawler):
    spider = crawler.spider
    return getattr(spider, "context", None) if spider is not None else None


class CrawlerBound:
    """A component that reaches the crawl's shared context through its crawler."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)


class WarcMiddleware(CrawlerBound):
    def process_response(self, request: Request, response: Response) -> Response:
        context = _context(self.crawler)
        if context is None:
            return response
        role = request.meta.get("govsearch_role") or "other"  # robots.txt
        # Where the record went: the report cleaned from this response keeps it (its archived copy).
        request.meta["govsearch_capture"] = context.warc.write_response(
            response.url, response.status, _reason(response.status),
            ((k, v) for k, values in response.headers.items() for v in values),
            response.body, role=role, link=request.meta.get("govsearch_link"))
        context.monitor.event("fetched", response.url, role, status=response.status)
        return response


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


class ConditionalMiddleware(CrawlerBound):
    def process_request(self, request: Request) -> None:
        context = _context(self.crawler)
        if context is None or request.meta.get("govsearch_role") not in INDEXED_ROLES:
            return None
        known = context.state.validators(request.url)
        if known is None or (context.feed is not None and context.feed.stored_hash(report_id(request.url)) is None):
            return None  # never fetched, or no longer in the index: fetch it whole
        etag, last_modified = known
        if etag:
            request.headers.setdefault("If-None-Match", etag)
        if last_modified:
            request.headers.setdefault("If-Modified-Since", last_modified)
        return None


class BackoffRetryMiddleware(RetryMiddleware):
    """Waits RETRY_BACKOFF_BASE × 2^(attempt-1) seconds (at most
    RETRY_BACKOFF_MAX) before handing a retry back to the scheduler."""

    def __init__(self, settings):
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 2.0)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)

    async def _wait(self, request: Request, result, reason: str):
        if isinstance(result, Request):
            attempt = result.meta.get("retry_times", 1)
            context = _context(self.crawler)
            if context is not None:
                context.monitor.event("retry", request.url, reason, attempt=attempt)
            await asyncio.sleep(min(self.backoff_max, self.backoff_base * 2 ** (attempt - 1)))
        return result

    async def process_response(self, request: Request, response: Response):
        result = super().process_response(request, response)
        return await self._wait(request, result, f"HTTP {response.status}")

    async def process_exception(self, request: Request, exception: Exception):
        result = super().process_exception(request, exception)
        return await self._wait(request, result, f"{type(exception).__name__}: {exception}")
