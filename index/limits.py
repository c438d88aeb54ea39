"""How large an input may be: one cap for the crawler's downloads and ingest's files.

Cleaning a page costs memory and time in proportion to its size (a 50 MB
HTML file took 51 s and 4.9 GB), so neither path takes an input over the
cap.  The crawler passes it to Scrapy (``DOWNLOAD_MAXSIZE``); ingest checks
a file's size before reading any of it.
"""

from __future__ import annotations

import os
from pathlib import Path

MAX_INPUT_MB = 32.0  # SITES.toml [crawler] max_size_mb and ingest --max-size-mb default to this
MB = 1 << 20


def cap_bytes(max_mb: float) -> int:
    """A cap given in MB (as users give it), in bytes."""
    return int(max_mb * MB)


class TooLarge(ValueError):
    """A file over the size cap: refused before it is read."""

    def __init__(self, size: int, max_mb: float):
        super().__init__(f"文件过大: {size / MB:.3g} MB，超过上限 {max_mb:g} MB (too large: {size / MB:.3g} MB "
                         f"({size} bytes), over the {max_mb:g} MB cap; raise it with --max-size-mb)")
        self.size, self.max_mb = size, max_mb


def read_capped(path: Path, max_mb: float | None) -> bytes:
    """A file's bytes, unless it is larger than ``max_mb`` (None: no cap).

    The size is taken from the open file (fstat) before anything is read,
    and at most one byte past the cap is ever read, so a file that grows
    between the check and the read is refused too, never loaded whole."""
    with open(path, "rb") as stream:
        if max_mb is None:
            return stream.read()
        limit = cap_bytes(max_mb)
        size = os.fstat(stream.fileno()).st_size
        if size > limit:
            raise TooLarge(size, max_mb)
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(len(data), max_mb)
    return data
