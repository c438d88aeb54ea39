"""With ``--redis``, an idle crawler process waits for its peers.

A plain Scrapy process closes as soon as its scheduler is empty.  With a
shared frontier, "empty" may only mean that another process is fetching a
list page and is about to push its links, so an idle process stays while
the shared queue has requests and for a grace period after it last had any.
"""

from __future__ import annotations

import time

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured


class RedisUnreachable(RuntimeError):
    """--redis names a server this process cannot use."""


def check_redis(url: str) -> None:
    """Fail before the crawl starts, with the reason, rather than inside Scrapy."""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=5).ping()
    except (redis.RedisError, ValueError, OSError) as exc:
        raise RedisUnreachable(f"无法连接 Redis (cannot use Redis at {url}): {exc}") from None


class WaitForPeers:
    def __init__(self, crawler):
        from scrapy_redis.connection import get_redis_from_settings

        settings = crawler.settings
        if not settings.get("REDIS_URL"):
            raise NotConfigured
        self.server = get_redis_from_settings(settings)
        self.key = settings["SCHEDULER_QUEUE_KEY"] % {"spider": "govsearch"}
        self.grace = settings.getfloat("GOVSEARCH_PEER_GRACE", 15.0)
        self._quiet_since: float | None = None
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def pending(self) -> int:
        """Requests waiting in the shared queue (a sorted set: scrapy-redis's PriorityQueue)."""
        return int(self.server.zcard(self.key))

    def spider_idle(self) -> None:
        now = time.monotonic()
        if self.pending() > 0:
            self._quiet_since = None
            raise DontCloseSpider
        if self._quiet_since is None:
            self._quiet_since = now
        if now - self._quiet_since < self.grace:
            raise DontCloseSpider
