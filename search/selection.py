"""Facets and what the user selected in them."""

from __future__ import annotations

from search.query import Filters

# Facet name → the sortable column it counts and filters.
FACET_FIELDS = {"year": "report_year", "level": "level", "province": "province", "doc_type": "doc_type"}

Selection = dict[str, "list | None"]


def selection(filters: Filters, province_values: list[str]) -> Selection:
    """Selected values per facet, None where nothing is selected.  Provinces
    are the indexed names the user's prefixes resolved to (maybe none)."""
    return {"year": filters.years or None, "level": filters.levels or None,
            "province": province_values if filters.provinces else None,
            "doc_type": filters.doc_types or None}
