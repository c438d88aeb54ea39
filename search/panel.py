"""Measure panel: one row per report, one count column per term.

What a researcher regresses on: for every report the query and filters
select (every report of the population when the query is empty), who
issued it, where, when, and how often each of several named measures
occurs in its text - counted as the concordance counts (the term whole,
punctuation and spaces inside it ignored), from the substring layer, so the
counts cost one lookup per term, not one scan per report.  Rows leave one
at a time: a panel of the whole index is streamed, never held.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from govsearch.index.normalize import fold, normalize_query
from govsearch.index.schema import ROW_COLUMNS
from govsearch.search import budget
from govsearch.search.query import QueryError

if TYPE_CHECKING:
    from govsearch.search.engine import Selected

# A row's report columns, then one column per term.
PANEL_FIELDS = ("id", "publisher", "adcode", "province", "city", "county", "level", "issuer_kind",
                "report_year", "doc_type", "url")
MAX_TERMS = 200
_SEPARATORS = re.compile(r"[|｜\n]")


def panel_terms(raw: str | Iterable[str]) -> list[str]:
    """The terms of ``A|B|C`` (or of lines, as a terms file has them): each
    normalized as a query is, given once, none a report column's name."""
    parts = _SEPARATORS.split(raw) if isinstance(raw, str) else [p for line in raw for p in _SEPARATORS.split(line)]
    wanted = [p for p in parts if p.strip() and not p.lstrip().startswith("#")]  # "# …": a comment line
    terms = list(dict.fromkeys(normalize_query(p).strip() for p in wanted))
    if not terms:
        raise QueryError("没有词语：用 | 分隔，如 枫桥经验|双随机一公开 (no terms: separate them with |)")
    if len(terms) > MAX_TERMS:
        raise QueryError(f"词语过多：最多 {MAX_TERMS} 个，收到 {len(terms)} 个 (at most {MAX_TERMS} terms)")
    for term in terms:
        if not fold(term):
            raise QueryError(f"词语无效：{term[:40]!r}，须含汉字、字母或数字 "
                             "(a term needs a letter, digit or ideograph)")
        if term in PANEL_FIELDS:
            raise QueryError(f"词语 {term!r} 与列名相同 (term {term!r} is also a column name)")
    return terms


def term_counts(selected: Selected, terms: list[str]) -> np.ndarray:
    """Occurrences of each term (rows) in each report's text (columns: docnums)."""
    view = selected.view
    return np.stack([view.substring_counts(fold(t), "text") for t in terms]) if terms else np.zeros((0, view.n))


def panel_order(selected: Selected) -> np.ndarray:
    """The panel's reports in a stable order: by division code, then year (arrays, no record read)."""
    kept, view = selected.kept, selected.view
    return kept[np.lexsort((kept, view.year[kept], view.columns["adcode"].codes[kept]))]


def kinds(terms: list[str]) -> dict[str, str]:
    """The panel's columns and their kinds (Parquet): text, the year, a count per term."""
    return {**{name: "int32" if name == "report_year" else "string" for name in PANEL_FIELDS},
            **dict.fromkeys(terms, "int64")}


def _columns(selected: Selected) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per PANEL_FIELDS column, (values, index): docnum d's value is
    ``values[index[d]]``, missing ones None - from the view's columns, so
    no stored record is read (at 100k reports, reading them was 30 s of the
    panel)."""
    view = selected.view
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    with selected.lock:
        for name in PANEL_FIELDS:
            if name == "report_year":
                years, index = np.unique(view.year, return_inverse=True)
                values = np.array([int(y) or None for y in years.tolist()], dtype=object)
            elif name in ROW_COLUMNS:
                values, index = view.row_values(ROW_COLUMNS[name]), np.arange(view.n)
            else:
                values, index = np.array(view.columns[name].values, dtype=object), view.columns[name].codes
            out[name] = (np.where(values == "", None, values), index)
    return out


def panel_rows(selected: Selected, terms: list[str], start: int = 0, stop: int | None = None,
               counts: np.ndarray | None = None, batch: int = 10_000) -> Iterator[dict[str, Any]]:
    """Rows ``start``..``stop`` of the panel (missing values null), in
    panel_order, ``batch`` at a time; ``counts``: term_counts already made
    for these terms."""
    counts = term_counts(selected, terms) if counts is None else counts
    order = panel_order(selected)[start:stop]
    sources = _columns(selected)
    for at in range(0, len(order), batch):
        budget.check()
        docnums = order[at:at + batch]
        columns = {name: values[index[docnums]].tolist() for name, (values, index) in sources.items()}
        for i, row_counts in enumerate(counts[:, docnums].T.tolist()):
            yield {**{name: column[i] for name, column in columns.items()}, **dict(zip(terms, row_counts, strict=True))}
