"""Distribution: where and when a query occurs, as a share of what was reported.

Each cell is one combination of values of one or two dimensions (province
× year, level, …).  It counts the matching reports, the occurrences in
them, all reports of the cell in the population the filters select, and
the share that match - collapsed as search collapses near-duplicates, so a
cell's ``reports`` are the facet count of its value and a mirror never
doubles a denominator.  Arrays only: no record is read.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from govsearch.search.dimensions import checked, coded, order_key

if TYPE_CHECKING:
    from govsearch.search.engine import Selected


def cell_codes(view: Any, by: Sequence[str]) -> tuple[np.ndarray, list[list]]:
    """One integer per docnum naming its cell, and each dimension's values."""
    key = np.zeros(view.n, dtype=np.int64)
    values = []
    for name in by:
        codes, names = coded(view, name)
        key = key * len(names) + codes
        values.append(names)
    return key, values


def columns(by: Sequence[str]) -> dict[str, str]:
    """A distribution table's columns and their kinds (for CSV and Parquet)."""
    return {**{name: "int32" if name == "year" else "string" for name in by},
            "reports": "int64", "occurrences": "int64", "total": "int64", "share": "float64"}


def share(part: int, whole: int) -> float:
    """``part`` of ``whole`` to four places; 0.0 for an empty whole."""
    return round(part / whole, 4) if whole else 0.0


def distribution(selected: Selected, by: Sequence[str]) -> list[dict[str, Any]]:
    """A row per cell that has reports in the population: the ``by`` values
    under their names, ``reports`` matching, ``occurrences`` (title and
    text, as the trend counts), ``total`` reports and ``share``; ordered by
    the ``by`` values, each dimension's unknown value (None) last."""
    by = checked(by)
    view, kept = selected.view, selected.kept
    key, values = cell_codes(view, by)
    cells = int(np.prod([len(v) for v in values])) if view.n else 0
    reports = np.bincount(key[kept], minlength=cells)
    occurrences = np.bincount(key[kept], weights=selected.match.occurrences[kept], minlength=cells)
    totals = np.bincount(key[selected.population], minlength=cells)
    rows = []
    for cell in np.flatnonzero(totals | reports).tolist():
        named, rest = {}, cell
        for name, names in zip(reversed(by), reversed(values), strict=True):
            rest, code = divmod(rest, len(names))
            named[name] = names[code]
        rows.append({**{name: named[name] for name in by}, "reports": int(reports[cell]),
                     "occurrences": int(occurrences[cell]), "total": int(totals[cell]),
                     "share": share(int(reports[cell]), int(totals[cell]))})
    rows.sort(key=lambda row: tuple(order_key(row[name]) for name in by))
    return rows


def summed(rows: list[dict[str, Any]], name: str) -> dict[Any, dict[str, int]]:
    """Rows of a two-way distribution summed over every dimension but ``name``
    (the map's per-province tiles from a province × year table)."""
    out: dict[Any, dict[str, int]] = {}
    for row in rows:
        cell = out.setdefault(row[name], {"reports": 0, "occurrences": 0, "total": 0})
        for count in cell:
            cell[count] += row[count]
    return {value: {**cell, "share": share(cell["reports"], cell["total"])} for value, cell in out.items()}
