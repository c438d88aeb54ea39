"""Diffusion: when each place first mentioned a term, and the adoption curve.

A place (a province, city or county, as the cleaner read it) adopts a term
in the first report year in which one of its reports matches.  The curve
says, for every year N, how many places had adopted by N, how many places
reported at all in N, and the share of those reporting places that had
adopted by N - a share that cannot pass 1, as "adopters over places with a
report in N" can when an adopter reports nothing in N.  Reports of no
known year or no known place cannot date or place an adoption and are
counted apart (``undated``).  Arrays only, except for the first report of
each place on the page asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from govsearch.index.report import MAX_YEAR
from govsearch.search.dimensions import UNITS, checked, coded
from govsearch.search.records import public

if TYPE_CHECKING:
    from govsearch.search.engine import Selected


@dataclass
class Adoption:
    """One place's adoption: its first year and the report that dates it."""

    place: str
    first_year: int
    docnum: int  # the first report (earliest year; then earliest indexed)
    mentioning: int  # its matching reports in or after the first year
    reports: int  # all its reports in the population


def _dated(selected: Selected, unit: str) -> tuple[np.ndarray, list, np.ndarray]:
    """(place code per docnum, place names, docnums of known year and place) of the population."""
    codes, places = coded(selected.view, unit)
    unknown = places.index(None) if None in places else -1
    population = selected.population
    known = population[(selected.view.year[population] > 0) & (codes[population] != unknown)]
    return codes, places, known


def adoptions(selected: Selected, unit: str) -> tuple[list[Adoption], int]:
    """Every place that mentioned the query, earliest adopter first (ties by
    name), and how many matching reports had no known year or place."""
    (unit,) = checked([unit], UNITS, most=1)
    view = selected.view
    codes, places, known = _dated(selected, unit)
    in_known = np.isin(selected.kept, known)
    matched = selected.kept[in_known]
    # Earliest year first, then earliest docnum: the first row of each place is its first report.
    ordered = matched[np.lexsort((matched, view.year[matched], codes[matched]))]
    place_of = codes[ordered]
    firsts = ordered[np.flatnonzero(np.diff(place_of, prepend=-1))] if len(ordered) else ordered
    reports = np.bincount(codes[known], minlength=len(places))
    mentions = np.bincount(place_of, minlength=len(places))
    out = [Adoption(places[place], int(view.year[docnum]), docnum, int(mentions[place]), int(reports[place]))
           for docnum, place in zip(firsts.tolist(), codes[firsts].tolist(), strict=True)]
    out.sort(key=lambda a: (a.first_year, a.place))
    return out, int(np.count_nonzero(~in_known))


def curve(selected: Selected, unit: str, found: list[Adoption]) -> list[dict[str, Any]]:
    """Per report year of the population, oldest first: ``adopted`` (places
    that mentioned it in or before the year), ``reporting`` (places with a
    report that year), ``adopted_reporting`` (those of them that had
    adopted) and ``share`` = adopted_reporting / reporting."""
    view = selected.view
    codes, places, known = _dated(selected, unit)
    code_of = {name: code for code, name in enumerate(places)}
    firsts = np.zeros(len(places), dtype=np.int64)
    for adoption in found:
        firsts[code_of[adoption.place]] = adoption.first_year
    # Each (place, year) with a report once: who reported in each year.
    pairs = np.unique(codes[known] * (MAX_YEAR + 1) + view.year[known])
    place_of, year_of = np.divmod(pairs, MAX_YEAR + 1)
    adopted_by_then = (firsts[place_of] > 0) & (firsts[place_of] <= year_of)
    rows = []
    for year in np.unique(year_of).tolist():
        here = year_of == year
        reporting, adopted_there = int(np.count_nonzero(here)), int(np.count_nonzero(adopted_by_then & here))
        rows.append({"year": int(year), "adopted": int(np.count_nonzero((firsts > 0) & (firsts <= year))),
                     "reporting": reporting, "adopted_reporting": adopted_there,
                     "share": round(adopted_there / reporting, 4) if reporting else 0.0})
    return rows


# What the table says of each place's first report.
FIRST_REPORT = ("id", "title", "publisher", "report_year", "url")


# Places a page of the adoption table lists (the API's default, the page's size).
PLACES_PER_PAGE = 100
# Orders of the adoption table: earliest adopter first, by name, most mentioning or reporting first.
ORDERS = ("first_year", "place", "mentioning", "reports")


def _ordered(found: list[Adoption], order: str) -> list[Adoption]:
    if order == "place":
        return sorted(found, key=lambda a: a.place)
    if order in ("mentioning", "reports"):
        return sorted(found, key=lambda a: (-getattr(a, order), a.first_year, a.place))
    return found  # adoptions come earliest first


def diffusion(selected: Selected, unit: str, start: int = 0, stop: int | None = None,
              order: str = "first_year") -> dict[str, Any]:
    """The adoption table (places ``start``..``stop`` in ``order``, each with
    its first report read from the index) and the whole curve."""
    found, undated = adoptions(selected, unit)
    page = _ordered(found, order)[start:stop]
    firsts = dict(selected.records(np.array([a.docnum for a in page], dtype=np.int64)))
    places = [{"place": a.place, "first_year": a.first_year, "mentioning": a.mentioning, "reports": a.reports,
               "first_report": public(firsts[a.docnum], FIRST_REPORT)} for a in page]
    return {"unit": unit, "total": len(found), "undated": undated, "places": places,
            "curve": curve(selected, unit, found)}


# The adoption table as one flat row per place (CSV, Parquet).
TABLE = {"place": "string", "first_year": "int32", "mentioning": "int64", "reports": "int64",
         **{f"first_{name}": "int32" if name == "report_year" else "string" for name in FIRST_REPORT}}


def table_rows(places: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Places of a diffusion answer flattened: the first report's fields as first_…."""
    return [{**{k: v for k, v in p.items() if k != "first_report"},
             **{f"first_{k}": v for k, v in p["first_report"].items()}} for p in places]
