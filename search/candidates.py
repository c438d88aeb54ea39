"""New-measure candidates: the phrases index.phrases finds, counted over selected reports.

A researcher looks for named measures the dictionary does not know yet.  One
report's quotes and formulas are weak evidence; a phrase that several
reports, years and provinces use is a measure spreading.  So every report an
``Engine.selected`` result keeps (near-duplicates collapsed, as search
collapses them) is read once, its phrases found, and each phrase counted:
in how many reports, how often, since which report year, in how many
provinces, with one report to look at.

The stored texts are read one at a time and let go: only the counts stay in
memory, so a scan of the whole index needs no more than its distinct
phrases.  ``progress`` wraps the stream of records (the CLI's progress
line), and the request budget (search.budget) is checked per record, so an
HTTP caller can bound the scan.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from govsearch.index.analysis import dictionary_words
from govsearch.index.phrases import Phrase, phrases

DEFAULT_LIMIT = 100
DEFAULT_MIN_REPORTS = 2
VARIANTS = 5  # spellings listed per candidate, the most frequent first


@dataclass
class _Tally:
    """One phrase's counts so far."""

    reports: int = 0
    occurrences: int = 0
    first_year: int | None = None
    provinces: set[str] = field(default_factory=set)
    example: tuple[str, str] = ("", "")  # (id, title) of the earliest report
    spellings: Counter[str] = field(default_factory=Counter)
    shapes: Counter[str] = field(default_factory=Counter)

    def add(self, found: list[Phrase], record: dict[str, Any]) -> None:
        year = record.get("report_year")
        earlier = year is not None and (self.first_year is None or year < self.first_year)
        if earlier or self.reports == 0:
            self.example = (record.get("id") or "", record.get("title") or "")
        if earlier:
            self.first_year = year
        self.reports += 1
        self.occurrences += len(found)
        if record.get("province"):
            self.provinces.add(record["province"])
        self.spellings.update(p.surface for p in found)
        self.shapes.update(p.shape for p in found)

    def row(self, key: str) -> dict[str, Any]:
        spellings = [s for s, _ in self.spellings.most_common(VARIANTS)]
        return {"phrase": spellings[0], "key": key, "shape": self.shapes.most_common(1)[0][0],
                "reports": self.reports, "occurrences": self.occurrences, "first_year": self.first_year,
                "provinces": len(self.provinces), "example_id": self.example[0],
                "example_title": self.example[1], "variants": spellings}


def candidates(selected, *, limit: int | None = DEFAULT_LIMIT, min_reports: int = DEFAULT_MIN_REPORTS,
               progress: Callable[[Iterable, int], Iterable] | None = None,
               known: Collection[str] | None = None) -> list[dict[str, Any]]:
    """The candidates among the reports ``selected`` (search.engine.Selected)
    keeps, in at least ``min_reports`` of them, most widespread first
    (reports, then occurrences), at most ``limit`` (None: all).

    Each is ``{phrase, key, shape, reports, occurrences, first_year,
    provinces, example_id, example_title, variants}``: ``phrase`` is its
    most frequent spelling and ``variants`` its spellings; ``key`` the
    folded form that makes them one (index.normalize.fold); ``occurrences``
    how often the extractor found it; ``first_year`` the earliest report
    year among its reports (None when none is known); ``provinces`` how many
    known provinces they come from; the example is the report of that first
    year.  ``known`` (folded words that are no candidates) defaults to the
    dictionary's words."""
    known = dictionary_words() if known is None else known
    tallies: dict[str, _Tally] = {}
    records: Iterable = selected.records(selected.kept)
    if progress is not None:
        records = progress(records, len(selected.kept))
    for _, record in records:
        by_key: dict[str, list[Phrase]] = {}
        for found in phrases(record.get("text") or "", known):
            by_key.setdefault(found.key, []).append(found)
        for key, found in by_key.items():
            tallies.setdefault(key, _Tally()).add(found, record)
    rows = [tally.row(key) for key, tally in tallies.items() if tally.reports >= min_reports]
    rows.sort(key=lambda row: (-row["reports"], -row["occurrences"], row["key"]))
    return rows if limit is None else rows[:limit]


# The candidates as a flat table (CSV, JSON Lines, Parquet): spellings joined by 、.
TABLE = {"phrase": "string", "key": "string", "shape": "string", "reports": "int64", "occurrences": "int64",
         "first_year": "int32", "provinces": "int64", "example_id": "string", "example_title": "string",
         "variants": "string"}


def table_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**row, "variants": "、".join(row["variants"])} for row in rows]
