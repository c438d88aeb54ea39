"""``govsearch optimize``: compact an index in place while it is served.

Bulk writes never merge Whoosh segments (merging re-adds every posting in
Python: index.writer), and a re-ingested report leaves its old version in
a segment as a deleted document and in the substring layer as a dead entry
until a merge happens to reach it.  Optimizing merges every segment into
one (Whoosh drops the deleted documents as it does), then takes the dead
entries out of the layer and merges its chunks as far as a chunk may grow.

Everything happens under the index's write lock, so no writer interleaves;
readers are never locked out: the Whoosh commit is atomic (a searcher
opened before keeps reading the old segments' files), and layer chunks are
replaced by manifest, never changed in place (index.grams), so a request
sees either the old index or the new one.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from govsearch.index.footprint import dir_mb
from govsearch.index.grams import GRAMS_DIR, compact, layer_reports, read_manifest
from govsearch.index.schema import open_index, write_meta
from govsearch.index.writer import WRITE_LOCK_WAIT, open_writer


@dataclass
class Optimized:
    """What an optimize changed, for the command's summary and the bench."""

    segments_before: int
    segments_after: int
    chunks_before: int
    chunks_after: int
    deleted_documents: int  # Whoosh documents merged away
    dead_entries: int  # layer entries of reports Whoosh no longer holds
    mb_before: float
    mb_after: float
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _segments(ix) -> tuple[int, int]:
    """(segments, deleted documents) of the latest commit."""
    with ix.reader() as reader:
        return len(list(reader.leaf_readers())), reader.doc_count_all() - reader.doc_count()


def optimize(index_dir: Path, lock_wait: float = WRITE_LOCK_WAIT) -> Optimized:
    """Merge the index's segments and layer chunks, dropping what is dead
    (see the module notes); IndexLocked if another writer keeps the lock
    past ``lock_wait`` seconds, FileNotFoundError if there is no index."""
    index_dir = Path(index_dir)
    started = time.perf_counter()
    ix = open_index(index_dir)
    mb_before = dir_mb(index_dir)
    root = index_dir / GRAMS_DIR
    writer = open_writer(ix, index_dir, lock_wait)  # the lock, and a killed writer's leftovers cleared
    try:
        segments_before, deleted = _segments(ix)
        chunks_before = len(read_manifest(root)) if root.is_dir() else 0
    except BaseException:
        writer.cancel()
        raise
    writer.commit(optimize=True)  # one segment; the deleted documents are gone
    write_meta(index_dir)
    held = layer_reports(root) if root.is_dir() else 0
    # The lock again, for the layer: taking it drops every entry no Whoosh document has now.
    writer = open_writer(ix, index_dir, lock_wait)
    try:
        dead = held - (layer_reports(root) if root.is_dir() else 0)
        if root.is_dir():
            compact(root)
        segments_after, _ = _segments(ix)
        chunks_after = len(read_manifest(root)) if root.is_dir() else 0
    finally:
        writer.cancel()
    return Optimized(segments_before, segments_after, chunks_before, chunks_after, deleted, dead,
                     round(mb_before, 3), round(dir_mb(index_dir), 3), round(time.perf_counter() - started, 3))
