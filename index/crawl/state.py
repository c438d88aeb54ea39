"""What earlier crawls learnt about each report URL: its validators.

With an ETag or Last-Modified kept from the last fetch, a re-crawl asks
"has this changed?" (If-None-Match / If-Modified-Since) and an unchanged
page costs the site a 304 instead of the whole page.  SQLite in WAL mode, so
several crawler processes sharing an output folder can all use it.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path


class CrawlState:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), timeout=60, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS pages (url TEXT PRIMARY KEY, etag TEXT, "
                         "last_modified TEXT, digest TEXT, fetched_at TEXT)")

    def validators(self, url: str) -> tuple[str, str] | None:
        """(etag, last_modified) from the last successful fetch, or None."""
        row = self._db.execute("SELECT etag, last_modified FROM pages WHERE url = ?", (url,)).fetchone()
        if row is None or not (row[0] or row[1]):
            return None
        return row[0] or "", row[1] or ""

    def remember(self, url: str, etag: str, last_modified: str, digest: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?)",
                         (url, etag, last_modified, digest, datetime.now(UTC).isoformat(timespec="seconds")))

    def close(self) -> None:
        self._db.close()
