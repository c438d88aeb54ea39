"""The report attributes the research instruments group by, as integer codes.

A distribution cell, a diffusion unit and a panel row all need "which value
of this attribute has report N", for every report at once.  The facet
columns already hold that as codes (search.accel.Codes); the year is its
own numeric column.  This is the one place that turns a dimension's name
into (codes per docnum, the value of each code), with the unknown value
(``""`` in a column, 0 for the year) given as None, as the facets give it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from govsearch.search.query import QueryError

# What a distribution can be keyed by, and the places a diffusion follows.
DIMENSIONS = ("year", "province", "city", "county", "level", "issuer_kind", "doc_type")
UNITS = ("province", "city", "county")
NAMES = {"year": "年份", "province": "省份", "city": "城市", "county": "区县", "level": "层级",
         "issuer_kind": "主体", "doc_type": "类型"}


def coded(view: Any, name: str) -> tuple[np.ndarray, list]:
    """(code per docnum, value per code) of one dimension; None is the unknown value."""
    if name == "year":
        years = np.unique(view.year)
        return np.searchsorted(years, view.year).astype(np.int64), [int(y) or None for y in years]
    column = view.columns[name]
    return column.codes.astype(np.int64), [v or None for v in column.values]


def checked(names: Sequence[str], allowed: Sequence[str] = DIMENSIONS, most: int = 2) -> list[str]:
    """Dimension names as asked, each known, at most ``most`` (one named twice counts once)."""
    names = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    unknown = [n for n in names if n not in allowed]
    if unknown or not names or len(names) > most:
        raise QueryError(f"分组字段应为 {'、'.join(allowed)} 中的 1–{most} 个 (group by one to {most} "
                         f"of {', '.join(allowed)}; got {', '.join(names) or 'nothing'})")
    return names


def order_key(value: Any) -> tuple:
    """Values in a stable order for tables: known ones ascending, the unknown last."""
    return (value is None, value if value is not None else 0)
