"""What earlier crawls learnt: each report URL's validators, and which WARC
files are wholly committed to the index.

With an ETag or Last-Modified kept from the last fetch, a re-crawl asks
"has this changed?" (If-None-Match / If-Modified-Since) and an unchanged
page costs the site a 304 instead of the whole page.  SQLite in WAL mode, so
several crawler processes sharing an output folder can all use it.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from govsearch.index.crawl.documents import Fetched


class CrawlState:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), timeout=60, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS pages (url TEXT PRIMARY KEY, etag TEXT, "
                         "last_modified TEXT, digest TEXT, fetched_at TEXT)")
        self._db.execute("CREATE TABLE IF NOT EXISTS warc (name TEXT PRIMARY KEY, indexed_at TEXT)")

    def validators(self, url: str) -> tuple[str, str] | None:
        """(etag, last_modified) from the last successful fetch, or None."""
        row = self._db.execute("SELECT etag, last_modified FROM pages WHERE url = ?", (url,)).fetchone()
        if row is None or not (row[0] or row[1]):
            return None
        return row[0] or "", row[1] or ""

    def remember(self, fetched: Fetched) -> None:
        """Keep the validators of a response whose report is in the index."""
        self._db.execute("INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?)",
                         (fetched.url, fetched.headers.get("etag", ""), fetched.headers.get("last-modified", ""),
                          fetched.digest, datetime.now(UTC).isoformat(timespec="seconds")))

    def mark_indexed(self, warc_files: list[Path]) -> None:
        """Every report in these WARC files has been committed to the index."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        self._db.executemany("INSERT OR REPLACE INTO warc VALUES (?, ?)", [(p.name, now) for p in warc_files])

    def not_indexed(self, warc_files: list[Path]) -> list[Path]:
        """The files no crawl has marked committed: written by a crawl that
        was killed, or whose last batch could not be written."""
        done = {row[0] for row in self._db.execute("SELECT name FROM warc")}
        return [p for p in warc_files if p.name not in done]

    def close(self) -> None:
        self._db.close()
