"""The index a first ``serve`` needs: the bundled corpus, built when there
is no index and completed when an index of an older bundle lacks part of it.

govsearch ships the five seeds and the labelled real reports
(:data:`govsearch.index.bundled.BUNDLED_CORPUS`), so that the research
instruments have 100+ real reports from 20+ provinces on a first run.  An
index an earlier version built on first serve holds the seeds but none of
the real reports; it is completed by ingesting the bundled reports it lacks,
which adds and never removes, so whatever a user ingested stays.  An index
that holds no bundled report at all is somebody's own corpus and is left as
it is.
"""

from __future__ import annotations

from pathlib import Path

from govsearch.index.build import source_name
from govsearch.index.bundled import SEEDS_BASE, bundled_reports
from govsearch.index.schema import open_index, open_searcher


def bundled_sources() -> dict[str, Path]:
    """Each bundled report by the source it is stored under (its path from
    SEEDS_BASE: the same in a checkout and an installation)."""
    return {source_name(path, SEEDS_BASE): path for path in bundled_reports()}


def held_sources(index_dir: Path, sources: list[str]) -> set[str]:
    """Which of ``sources`` the index holds a live report of."""
    ix = open_index(index_dir)
    try:
        with open_searcher(ix) as searcher:
            return {name for name in sources if searcher.document_number(source=name) is not None}
    finally:
        ix.close()


def lacking(index_dir: Path) -> list[Path]:
    """The bundled reports an index of the bundled corpus lacks: none when
    it holds them all, or when it holds none (then it is not ours to fill)."""
    sources = bundled_sources()
    held = held_sources(index_dir, list(sources))
    return [] if not held else [path for name, path in sources.items() if name not in held]
