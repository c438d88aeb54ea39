"""The one interface every engine of the bench implements, govsearch
included: index a corpus into a folder, answer the query mix, and report
sizes and latencies as plain dicts.

The run loop (:mod:`govsearch.bench.run`) knows engines only through this
class and the list in :mod:`govsearch.bench.peers`: a new peer is a new
adapter module and one entry in that list, not an edit of the loop.
"""

from __future__ import annotations

import argparse
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar


@dataclass
class Work:
    """What an engine is given: the pages to index and the queries to answer."""

    corpus: Path  # the corpus folder (its manifest.jsonl beside the pages)
    pages: list[Path]  # the pages this engine indexes, in manifest order
    rows: list[dict[str, Any]]  # their manifest rows
    chars: int  # their characters (ingest chars/s)
    mix: list[dict[str, Any]]  # the query mix (govsearch.bench.queries)
    index_dir: Path  # where its index goes, inside the run folder
    run_dir: Path  # the run folder (logs; removed after the run unless --keep)
    args: argparse.Namespace  # the command line, for engine-specific settings


class Peer(ABC):
    """An engine the bench measures.  ``name`` is its column in the table and
    its key in the JSON results."""

    name: ClassVar[str]
    whole_corpus: ClassVar[bool] = False  # index every page (govsearch), not the first --peer-docs

    def missing(self) -> str | None:
        """Why the engine cannot run here (a module not installed), or None."""
        return None

    def cleaner(self) -> Callable[[Path], object] | None:
        """How the engine reads one HTML page, timed on real government pages; None: not measured."""
        return None

    def marker(self) -> Callable[[str, Any], object] | None:
        """How it marks every match of a TextMatcher on a report page's text; None: not measured."""
        return None

    @abstractmethod
    def ingest(self, work: Work) -> dict[str, Any]:
        """Index ``work.pages`` into ``work.index_dir``: seconds, files, reports_per_s, chars_per_s, index_mb."""

    @abstractmethod
    def queries(self, work: Work) -> dict[str, Any]:
        """Answer the mix on that index: at least ``results_page`` and ``exact`` latencies (stats.latency)."""

    def extra(self, work: Work, results: dict[str, Any]) -> None:
        """More measures once its queries ran, written into ``results`` (the whole run's)."""
        return None

    def notes(self, results: dict[str, Any]) -> list[str]:
        """Lines under the table about how this engine ran (``results[self.name]`` is there)."""
        return []


def bullets(notes: list[str]) -> list[str]:
    """Notes as the indented list under an engine's line in the report."""
    return [f"  - {note}" for note in notes]
