"""Files that readers must never see half-written: written whole, then renamed over."""

from __future__ import annotations

import os
from pathlib import Path


def write_text_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through ``<name>.<pid>.tmp`` beside it: each
    process its own temporary (two committers at once never share one), and
    the rename makes the new content appear all at once."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
