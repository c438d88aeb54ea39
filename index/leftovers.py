"""What a killed writer leaves behind, cleared by the next one.

A writer can die at any instant (``kill -9``, a crash, a power cut).  Whoosh
only ever commits whole segments, and the kernel drops a dead process's
lock, but two things outlive it:

- a reindex's staging folder ``<index>.reindex-<pid>``, as large as the
  index (118 MB at 10k reports);
- substring-layer chunks listed before the Whoosh commit that never came
  (:mod:`index.grams` writes a commit's chunk first, so that a committed
  report always has its substrings).

Every writer clears both right after it takes the index's write lock
(:func:`clear_leftovers`), before it writes anything itself: then no other
writer is mid-commit, and everything the layer holds that Whoosh does not
is dead.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import numpy as np

from govsearch.index.grams import GRAMS_DIR, drop_dead
from govsearch.index.schema import SERIAL_FIELD


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine (a reused id
    counts as alive: leaving a leftover is safer than removing live work)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def staging_dir(index_dir: Path, pid: int) -> Path:
    """The folder a reindex by process ``pid`` builds the new index in."""
    return index_dir.with_name(f"{index_dir.name}.reindex-{pid}")


def dead_staging(index_dir: Path) -> list[Path]:
    """Staging folders of this index whose reindex process no longer exists."""
    pattern = re.compile(re.escape(index_dir.name) + r"\.reindex-(\d+)")
    try:
        entries = list(index_dir.parent.iterdir())
    except FileNotFoundError:
        return []
    return sorted(p for p in entries if (m := pattern.fullmatch(p.name)) and p.is_dir() and not p.is_symlink()
                  and not process_alive(int(m[1])))


def indexed_serials(ix) -> np.ndarray:
    """The layer serial of every Whoosh document, live or deleted (a
    deleted one may still be read by a searcher opened before)."""
    with ix.reader() as reader:
        if not reader.doc_count_all():
            return np.zeros(0, np.int64)
        return np.fromiter(reader.column_reader(SERIAL_FIELD), dtype=np.int64)


def clear_leftovers(ix, index_dir: Path) -> tuple[list[Path], int]:
    """Remove dead reindex staging folders and the layer entries no Whoosh
    document has.  Call only while holding the index's write lock and
    before writing.  Returns the folders removed and the reports dropped."""
    folders = dead_staging(index_dir)
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
    root = index_dir / GRAMS_DIR
    dropped = drop_dead(root, indexed_serials(ix)) if root.is_dir() else 0
    return folders, dropped
