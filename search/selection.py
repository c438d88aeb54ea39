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
    """A facet over a keyword column: values most frequent first.

    ``field`` is the Filters list that selects in it; with ``prefix``, a
    chosen value selects every indexed value it begins (山东 → 山东省; 3301 →
    every division code of 杭州), resolved against the view's values.
    ``limit`` caps how many values it lists (the unknown bucket aside) for
    columns with thousands of values; :meth:`tally` says how many there are."""

    def __init__(self, name: str, column: str, field: str, *, prefix: bool = False, limit: int | None = None) -> None:
        self.name, self.column, self.field, self.prefix, self.limit = name, column, field, prefix, limit

    def chosen(self, view: Any, filters: Filters) -> list | None:
        """The column values the filters select (None in it: the unknown bucket), or None for no selection."""
        wanted = getattr(filters, self.field)
        if not wanted:
            return None
        if not self.prefix:
            return list(wanted)
        prefixes = [p for p in wanted if p is not None]
        values = [v for v in view.columns[self.column].values if v and any(v.startswith(p) for p in prefixes)]
        return values + ([None] if None in wanted else [])

    def mask(self, view: Any, values: list) -> np.ndarray:
        """The reports whose value is one of ``values`` (None: the unknown bucket, "" in the column)."""
        return view.columns[self.column].mask(["" if v is None else v for v in values])

    def tally(self, view: Any, kept: np.ndarray) -> tuple[dict, int]:
        """(reports per value among ``kept`` - only the listed ones when the
        list is capped - and how many known values there are)."""
        return view.columns[self.column].counts(kept, self.limit)

    def _sort(self, items: list[tuple[Any, int]]) -> None:
        items.sort(key=lambda vn: (-vn[1], str(vn[0])))

    @staticmethod
    def _known(counts: dict) -> list[tuple[Any, int]]:
        return [(v, n) for v, n in counts.items() if v not in (None, "", 0) and n]

    def listed(self, counts: dict) -> list[dict[str, Any]]:
        """Values with their counts in this facet's order, the unknown bucket last."""
        items = self._known(counts)
        self._sort(items)
        unknown = sum(n for v, n in counts.items() if v in (None, "", 0))
        return ([{"value": v, "count": n} for v, n in items[:self.limit]]
                + ([{"value": None, "count": unknown}] if unknown else []))


class IssuerFacet(KeywordFacet):
    """The issuer across years: each key listed with a readable name."""

    def listed(self, counts: dict) -> list[dict[str, Any]]:
        from govsearch.search.issuers import label

        return [{**item, "label": label(item["value"])} if item["value"] else item for item in super().listed(counts)]


class YearFacet(KeywordFacet):
    """The year reported on: a numeric column (0 where unknown), newest first."""

    def mask(self, view: Any, values: list) -> np.ndarray:
        return np.isin(view.year, [0 if v is None else int(v) for v in values])

    def tally(self, view: Any, kept: np.ndarray) -> tuple[dict, int]:
        years, counts = np.unique(view.year[kept], return_counts=True)
        return {int(y): int(n) for y, n in zip(years, counts, strict=True)}, int(np.count_nonzero(years))

    def _sort(self, items: list[tuple[Any, int]]) -> None:
        items.sort(key=lambda vn: -vn[0])


# Places below the province run to thousands of values: their lists show the most frequent.
PLACE_LIMIT = 100
FACETS = {facet.name: facet for facet in (
    YearFacet("year", "report_year", "years"),
    KeywordFacet("level", "level", "levels"),
    KeywordFacet("issuer_kind", "issuer_kind", "issuer_kinds"),
    KeywordFacet("province", "province", "provinces", prefix=True),
    KeywordFacet("city", "city", "cities", prefix=True, limit=PLACE_LIMIT),
    KeywordFacet("county", "county", "counties", prefix=True, limit=PLACE_LIMIT),
    KeywordFacet("adcode", "adcode", "adcodes", prefix=True, limit=PLACE_LIMIT),
    KeywordFacet("doc_type", "doc_type", "doc_types"),
    IssuerFacet("issuer_key", "issuer_key", "issuer_keys", limit=PLACE_LIMIT),
)}

Selection = dict[str, "list | None"]


def selection(filters: Filters, view: Any) -> Selection:
    """Selected column values per facet, None where nothing is selected
    (a prefix that begins no indexed value selects nothing: an empty list)."""
    return {name: facet.chosen(view, filters) for name, facet in FACETS.items()}
