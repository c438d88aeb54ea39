"""The spider: list pages → report pages → attachments, as SITES.toml says.

It decides *what* to fetch and hands each fetched report or attachment on
as an item; cleaning and indexing happen in the pipeline, politeness in
Scrapy's settings.  Links are classified by the site's rules: pagination
links are followed as list pages, report links become report pages, and a
document link (PDF, DOCX) becomes an attachment, fetched with the linking
page's heading and metadata.  Formats we cannot extract (.doc, .wps …) are
logged as skipped without being downloaded.
"""

from __future__ import annotations

from typing import Any

import scrapy
from scrapy import signals
from scrapy.exceptions import CannotResolveHostError, DownloadCancelledError, DownloadTimeoutError, IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.defer import CancelledError
from twisted.internet.error import DNSLookupError, TCPTimedOutError
from twisted.internet.error import TimeoutError as TwistedTimeout

from govsearch.index.crawl.attachments import EXTRACTED, link_format, skip_reason
from govsearch.index.crawl.documents import ATTACHMENT, LIST, REPORT, Fetched
from govsearch.index.crawl.sites import Site, SitesFile

# Report and attachment responses reach the callback even when they say
# "not modified", so an unchanged page is counted rather than an error.
NOT_MODIFIED = 304


def classify_failure(failure) -> tuple[str, str]:
    """(kind, reason) for a failed request: robots, http, timeout,
    oversized, redirect, network or other."""
    exc = failure.value
    if isinstance(exc, HttpError):
        return "http", f"HTTP {exc.response.status}"
    if isinstance(exc, IgnoreRequest):
        text = str(exc) or type(exc).__name__
        if "robots" in text.lower():
            return "robots", "forbidden by robots.txt"
        if "redirect" in text.lower():
            return "redirect", text
        return "ignored", text
    if isinstance(exc, DownloadTimeoutError | TwistedTimeout | TCPTimedOutError | TimeoutError):
        return "timeout", f"timed out: {exc}"
    if isinstance(exc, DownloadCancelledError | CancelledError):
        text = str(exc)
        return ("oversized", text) if "size" in text.lower() else ("cancelled", text or "cancelled")
    if isinstance(exc, CannotResolveHostError | DNSLookupError):
        return "network", f"DNS lookup failed: {exc}"
    return "network" if "twisted" in type(exc).__module__ else "other", f"{type(exc).__name__}: {exc}"


class ReportSpider(scrapy.Spider):
    name = "govsearch"

    def __init__(self, sites: SitesFile, context: Any = None, **kwargs):
        super().__init__(**kwargs)
        self.sites = {site.name: site for site in sites.sites}
        self.allowed_domains = sorted({d for site in sites.sites for d in site.allowed_domains})
        self.context = context
        self._links = LinkExtractor(deny_extensions=[], unique=True, canonicalize=False)

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.on_dropped, signal=signals.request_dropped)
        return spider

    def on_dropped(self, request: scrapy.Request) -> None:
        """A redirect to a URL already fetched in this crawl is a loop (or a
        duplicate); the dupefilter drops it silently, so say so here."""
        chain = request.meta.get("redirect_urls")
        if chain:
            self._event("fault", chain[0], "redirect loop: " + " → ".join([*chain, request.url]),
                        fault="redirect")

    def _event(self, kind: str, url: str, detail: str = "", **extra) -> None:
        if self.context is not None:
            self.context.monitor.event(kind, url, detail, **extra)

    def _request(self, url: str, site: Site, role: str, link: dict | None = None) -> scrapy.Request:
        callback = self.parse_list if role == LIST else self.parse_document
        meta: dict[str, Any] = {"govsearch_role": role}
        if role != LIST:
            meta["handle_httpstatus_list"] = [NOT_MODIFIED]
        if link:
            meta["govsearch_link"] = link
        return scrapy.Request(url, callback=callback, errback=self.on_error, meta=meta,
                              cb_kwargs={"site_name": site.name})

    async def start(self):
        for site in self.sites.values():
            for url in site.start_urls:
                yield self._request(url, site, LIST)

    # ------------------------------------------------------------ links
    def _document_link(self, url: str, text: str, site: Site, link: dict) -> scrapy.Request | None:
        fmt = link_format(url, text)
        if fmt not in EXTRACTED:
            self._event("skipped", url, skip_reason(fmt), page=link.get("page", ""))
            return None
        return self._request(url, site, ATTACHMENT, {**link, "text": text})

    def parse_list(self, response: Response, site_name: str):
        site = self.sites[site_name]
        if not isinstance(response, TextResponse):
            self._event("failed", response.url, "list page is not HTML")
            return
        for link in self._links.extract_links(response):
            role = site.role_of(link.url)
            if role is None:
                continue
            if link_format(link.url, link.text):
                request = self._document_link(link.url, link.text, site, {"page": response.url})
            else:
                request = self._request(link.url, site, role)
            if request is not None:
                yield request

    def parse_document(self, response: Response, site_name: str):
        site = self.sites[site_name]
        role = response.meta.get("govsearch_role", REPORT)
        attachments = []
        if role == REPORT and isinstance(response, TextResponse) and response.status != NOT_MODIFIED:
            attachments = [link for link in self._links.extract_links(response)
                           if link_format(link.url, link.text) and site.allows(link.url)]
        yield {"fetched": Fetched(url=response.url, status=response.status,
                                  headers={k.decode("latin-1").lower(): b", ".join(v).decode("latin-1")
                                           for k, v in response.headers.items()},
                                  body=response.body, role=role,
                                  link=response.meta.get("govsearch_link") or {},
                                  capture=response.meta.get("govsearch_capture") or {}),
               "site": site_name}
        if attachments:
            context = page_context(response)
            for link in attachments:
                request = self._document_link(link.url, link.text, site, context)
                if request is not None:
                    yield request

    def on_error(self, failure) -> None:
        kind, reason = classify_failure(failure)
        self._event("robots" if kind == "robots" else "fault", failure.request.url, reason, fault=kind)


def page_context(response: TextResponse) -> dict:
    """What an attachment inherits from the page linking to it: the URL,
    the page's heading and its 索引号/发布机构/日期 label/value pairs."""
    from govsearch.index.extract import extract

    try:
        page = extract(response.text)
    except (ValueError, AttributeError):
        return {"page": response.url}
    return {"page": response.url, "heading": page.heading, "metadata": [list(pair) for pair in page.metadata]}
