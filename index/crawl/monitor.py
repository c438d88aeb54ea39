"""What a crawl did, as it does it: counters, a live progress line, and an
event log (``events.jsonl``) with one JSON object per fetch outcome.

The log is the crawl's account for a researcher ("why is this report
missing?") and for the tests: every fault (timeout, HTTP error, redirect
loop, oversized page), every robots.txt refusal and every skipped
attachment is a line with its URL and reason.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

log = logging.getLogger("govsearch.crawl")

# Event kinds and the counter each one feeds.
COUNTER_OF = {"fetched": "fetched", "added": "indexed", "updated": "indexed", "stored": "stored",
              "unchanged": "unchanged", "skipped": "skipped", "failed": "errors", "fault": "errors",
              "robots": "robots", "retry": "retries"}
_LABELS = (("fetched", "抓取"), ("indexed", "索引"), ("unchanged", "未变"), ("skipped", "跳过"),
           ("errors", "错误"), ("robots", "robots 禁止"))
_WARN = {"failed", "fault"}


class CrawlMonitor:
    def __init__(self, events_path: Path | None = None, *, progress: bool = True):
        self.counts: Counter[str] = Counter()
        self._events = open(events_path, "a", encoding="utf-8") if events_path else None  # noqa: SIM115
        self._bar = None
        if progress:
            from tqdm import tqdm

            self._bar = tqdm(total=None, bar_format="{desc}", file=sys.stderr, disable=None,
                             desc=self.line())
        self._drawn = 0.0

    def line(self) -> str:
        return "crawl: " + " · ".join(f"{label} {self.counts[key]}" for key, label in _LABELS)

    def event(self, kind: str, url: str, detail: str = "", **extra) -> None:
        self.counts[COUNTER_OF.get(kind, kind)] += 1
        if self._events is not None:
            record = {"time": datetime.now(UTC).isoformat(timespec="seconds"), "event": kind, "url": url,
                      "detail": detail, **extra}
            self._events.write(json.dumps(record, ensure_ascii=False) + "\n")
            self._events.flush()
        if kind in _WARN:
            message = f"{kind}: {url}: {detail}"
            if self._bar is not None and not self._bar.disable:
                self._bar.write(f"govsearch: {message}", file=sys.stderr)
            log.warning(message)
        if self._bar is not None and time.monotonic() - self._drawn > 0.2:
            self._drawn = time.monotonic()
            self._bar.set_description_str(self.line())

    def close(self) -> None:
        if self._bar is not None:
            self._bar.set_description_str(self.line())
            self._bar.close()
        if self._events is not None:
            self._events.close()
