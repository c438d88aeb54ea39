"""Scrapy settings for a govsearch crawl: politeness first.

robots.txt is obeyed; AutoThrottle adapts the delay to each server's
latency; no host gets more than two requests at once; every request has a
timeout and a size cap; 5xx and timeouts are retried with a growing wait;
the User-Agent names govsearch and the operator's contact.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from govsearch.index.crawl.sites import SitesFile
from govsearch.index.limits import cap_bytes

VERSION = "0.1"
_MW = "govsearch.index.crawl.middlewares"


def user_agent(contact: str) -> str:
    return (f"govsearch/{VERSION} (+{contact}; research crawler for Chinese government annual reports; "
            "obeys robots.txt)")


def hosts(sites: SitesFile) -> set[str]:
    return {urlsplit(url).hostname for site in sites.sites for url in site.start_urls}


def download_slots(sites: SitesFile) -> dict[str, dict[str, Any]]:
    """Per-host delay for sites that set one (Scrapy slots are per host)."""
    slots: dict[str, dict[str, Any]] = {}
    for site in sites.sites:
        if site.delay is None:
            continue
        for url in site.start_urls:
            slots[urlsplit(url).hostname] = {"delay": site.delay,
                                             "concurrency": sites.crawler.concurrency_per_host}
    return slots


def scrapy_settings(sites: SitesFile, *, contact: str, out: Path, max_pages: int | None = None,
                    redis_url: str | None = None, job: str = "", log_level: str = "INFO") -> dict[str, Any]:
    c = sites.crawler
    settings: dict[str, Any] = {
        "BOT_NAME": "govsearch",
        "USER_AGENT": user_agent(contact),
        "ROBOTSTXT_OBEY": True,
        "AUTOTHROTTLE_ENABLED": True,
        "AUTOTHROTTLE_START_DELAY": max(c.delay, 0.1),
        "AUTOTHROTTLE_MAX_DELAY": 60.0,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
        "DOWNLOAD_DELAY": c.delay,
        "RANDOMIZE_DOWNLOAD_DELAY": True,
        # No more in flight than the hosts allow: requests a process holds
        # locally are requests its --redis peers cannot take.
        "CONCURRENT_REQUESTS": min(16, c.concurrency_per_host * len(hosts(sites))),
        "CONCURRENT_REQUESTS_PER_DOMAIN": c.concurrency_per_host,
        "DOWNLOAD_SLOTS": download_slots(sites),
        "DOWNLOAD_TIMEOUT": c.timeout,
        "DOWNLOAD_MAXSIZE": cap_bytes(c.max_size_mb),
        "DOWNLOAD_WARNSIZE": cap_bytes(c.max_size_mb) // 2,
        "RETRY_ENABLED": True,
        "RETRY_TIMES": c.retries,
        "RETRY_BACKOFF_BASE": max(c.delay, 0.5),
        "RETRY_BACKOFF_MAX": 60.0,
        "REDIRECT_MAX_TIMES": 10,
        "DOWNLOADER_MIDDLEWARES": {
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            f"{_MW}.BackoffRetryMiddleware": 550,
            f"{_MW}.ConditionalMiddleware": 450,
            f"{_MW}.WarcMiddleware": 950,
        },
        "ITEM_PIPELINES": {"govsearch.index.crawl.pipeline.IndexPipeline": 300},
        "TELNETCONSOLE_ENABLED": False,
        "LOG_FILE": str(out / "crawl.log"),
        "LOG_FILE_APPEND": True,
        "LOG_LEVEL": log_level,
    }
    if max_pages:
        settings["CLOSESPIDER_PAGECOUNT"] = max_pages
    if redis_url:
        settings.update({
            "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
            "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
            "SCHEDULER_PERSIST": True,  # another process may still be crawling this job
            "SCHEDULER_QUEUE_KEY": f"govsearch:{job}:requests",
            "SCHEDULER_DUPEFILTER_KEY": f"govsearch:{job}:dupefilter",
            "REDIS_URL": redis_url,
            "EXTENSIONS": {"govsearch.index.crawl.peers.WaitForPeers": 500},
        })
    else:
        settings["JOBDIR"] = str(out / "job")
    return settings
