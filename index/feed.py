"""Reports that arrive one at a time (a crawl, a WARC replay) into the index.

``govsearch ingest`` holds the writer for a whole batch of files.  A crawl
runs for hours and may run in several processes at once, so the feed holds
Whoosh's single-writer lock only while it writes a small batch: other crawler
processes, and an ``ingest``, wait for the lock in turn instead of failing.
Reports become searchable within ``max_batch`` reports or ``max_wait`` seconds.
"""

from __future__ import annotations

import time
from pathlib import Path

from govsearch.index import corrections
from govsearch.index.report import Report
from govsearch.index.schema import check_schema, open_or_create, open_searcher
from govsearch.index.writer import WRITE_LOCK_WAIT, Holdings, Prepared, ReportWriter, prepare


class IndexFeed:
    """Offer reports; unchanged ones are dropped, the rest are committed in
    small batches.  Use as a context manager so the last batch is written."""

    def __init__(self, index_dir: Path, *, max_batch: int = 50, max_wait: float = 15.0,
                 lock_wait: float = WRITE_LOCK_WAIT):
        check_schema(index_dir)
        self.index_dir = Path(index_dir)
        self._ix = open_or_create(self.index_dir)
        self._searcher = open_searcher(self._ix)
        self._holdings = Holdings(self._searcher)
        self._pending: list[tuple[Report, Prepared]] = []
        self._pending_ids: dict[str, str] = {}  # id → content hash, for offers within one batch
        self._since = time.monotonic()
        self.max_batch, self.max_wait, self.lock_wait = max_batch, max_wait, lock_wait
        self.committed = 0
        self._corrections = corrections.stored(self.index_dir)  # a re-fetched page keeps its corrections

    def __enter__(self) -> IndexFeed:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def stored_hash(self, report_id: str) -> str | None:
        """The content hash the index (or the pending batch) holds for this
        id, or None when the report is not indexed."""
        if report_id in self._pending_ids:
            return self._pending_ids[report_id]
        docnum = self._holdings.find(id=report_id)
        return None if docnum is None else self._holdings.digest(docnum)

    def holds(self, report_id: str, digest: str) -> bool:
        """Whether the index (or the pending batch) already has these bytes
        under this id (no need to clean them again)."""
        return self.stored_hash(report_id) == digest

    def offer(self, report: Report, prepared: Prepared | None = None) -> str:
        """Queue a report unless the index already holds these bytes.
        Returns ``unchanged``, ``added`` or ``updated``."""
        stored = self.stored_hash(report.id)  # one lookup: unchanged, or added or updated
        if stored == report.content_hash:
            return "unchanged"
        self._pending.append((report, prepared or prepare(report)))  # cut before the lock is taken
        self._pending_ids[report.id] = report.content_hash
        if len(self._pending) >= self.max_batch or time.monotonic() - self._since >= self.max_wait:
            self.flush()
        return "added" if stored is None else "updated"

    def tick(self) -> None:
        """Write a batch that has waited long enough (call it when idle)."""
        if self._pending and time.monotonic() - self._since >= self.max_wait:
            self.flush()

    def flush(self) -> None:
        """Write the pending batch under the writer lock and commit it."""
        self._since = time.monotonic()
        if not self._pending:
            return
        # Small batches, merged by Whoosh's policy, so a long crawl's segments stay few.
        with ReportWriter(self.index_dir, lock_wait=self.lock_wait, commit_every=None, merge=True,
                          active=self._corrections, ix=self._ix) as out:
            for report, prepared in self._pending:
                out.put(report, prepared)
        self.committed += len(self._pending)
        self._pending, self._pending_ids = [], {}
        self._refresh()

    def _refresh(self) -> None:
        if self._searcher.up_to_date():
            return
        self._searcher.close()
        self._searcher = open_searcher(self._ix)
        self._holdings = Holdings(self._searcher)

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self._searcher.close()
