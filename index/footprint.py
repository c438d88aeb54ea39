"""What an index's bytes are: Whoosh's postings, terms, stored records and
columns (read from its compound segment files), and the substring layer.

The bench prints these beside the total, so a change to one part shows
where the bytes went."""

from __future__ import annotations

from pathlib import Path

from whoosh.filedb.compound import CompoundStorage

from govsearch.index.grams import GRAMS_DIR
from govsearch.index.schema import open_index

# A segment's sub-file suffix → the part it belongs to.
_PARTS = {"pst": "whoosh_postings", "trm": "whoosh_terms", "_stored.col": "stored_records"}


def _bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.is_dir() else 0


def dir_mb(path: Path) -> float:
    """Every file under ``path``, in MB (0 when it is no folder)."""
    return _bytes(Path(path)) / 1e6


def index_parts(index_dir: Path) -> dict[str, float]:
    """MB per part: whoosh_postings, whoosh_terms, stored_records,
    whoosh_columns (facets, lengths, the rest of Whoosh), substring_layer,
    and total."""
    index_dir = Path(index_dir)
    ix = open_index(index_dir)
    parts = dict.fromkeys(("whoosh_postings", "whoosh_terms", "stored_records", "whoosh_columns"), 0)
    for segment in ix._segments():  # Whoosh lists a commit's segments only here (pinned: setup.cfg)
        name = segment.make_filename(".seg")
        if not ix.storage.file_exists(name):
            continue
        compound = CompoundStorage(ix.storage.open_file(name), use_mmap=False)
        try:
            for sub in compound.list():
                suffix = sub.split(".", 1)[-1]
                parts[_PARTS.get(suffix, "whoosh_columns")] += compound.file_length(sub)
        finally:
            compound.close()
    layer = _bytes(index_dir / GRAMS_DIR)
    total = _bytes(index_dir)
    out = {name: round(size / 1e6, 3) for name, size in parts.items()}
    out["substring_layer"] = round(layer / 1e6, 3)
    out["other"] = round((total - layer - sum(parts.values())) / 1e6, 3)  # tables of contents, metadata
    out["total"] = round(total / 1e6, 3)
    return out
