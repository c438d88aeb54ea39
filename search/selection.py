"""Facets and what the user selected in them.

A facet is an object, one class per kind (as datasette's facets): how it
filters the arrays by the chosen values, how it counts the values of the
matches, and in what order it lists them - with the 未识别 bucket (value
None: what the cleaner could not read) last, so no report drops out of a
facet unseen.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from govsearch.search.query import Filters


class KeywordFacet:
    """A facet over a keyword column: values most frequent first."""

    def __init__(self, name: str, column: str) -> None:
        self.name, self.column = name, column

    def mask(self, view: Any, values: list) -> np.ndarray:
        """The reports whose value is one of ``values`` (None: the unknown bucket, "" in the column)."""
        return view.columns[self.column].mask(["" if v is None else v for v in values])

    def counts(self, view: Any, kept: np.ndarray) -> dict:
        """Reports per value among the docnums ``kept``."""
        chosen = np.zeros(view.n, dtype=bool)
        chosen[kept] = True
        return view.columns[self.column].counts(chosen)

    def _sort(self, items: list[tuple[Any, int]]) -> None:
        items.sort(key=lambda vn: (-vn[1], str(vn[0])))

    def listed(self, counts: dict) -> list[dict[str, Any]]:
        """Values with their counts in this facet's order, the unknown bucket last."""
        items = [(v, n) for v, n in counts.items() if v not in (None, "", 0) and n]
        self._sort(items)
        unknown = sum(n for v, n in counts.items() if v in (None, "", 0))
        return [{"value": v, "count": n} for v, n in items] + ([{"value": None, "count": unknown}] if unknown else [])


class YearFacet(KeywordFacet):
    """The year reported on: a numeric column (0 where unknown), newest first."""

    def mask(self, view: Any, values: list) -> np.ndarray:
        return np.isin(view.year, [0 if v is None else int(v) for v in values])

    def counts(self, view: Any, kept: np.ndarray) -> dict:
        years, counts = np.unique(view.year[kept], return_counts=True)
        return {int(y): int(n) for y, n in zip(years, counts, strict=True)}

    def _sort(self, items: list[tuple[Any, int]]) -> None:
        items.sort(key=lambda vn: -vn[0])


FACETS = {"year": YearFacet("year", "report_year"), "level": KeywordFacet("level", "level"),
          "province": KeywordFacet("province", "province"), "doc_type": KeywordFacet("doc_type", "doc_type")}

Selection = dict[str, "list | None"]


def selection(filters: Filters, province_values: list[str]) -> Selection:
    """Selected values per facet, None where nothing is selected.  Provinces
    are the indexed names the user's prefixes resolved to (maybe none)."""
    return {"year": filters.years or None, "level": filters.levels or None,
            "province": province_values if filters.provinces else None,
            "doc_type": filters.doc_types or None}
