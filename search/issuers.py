"""One issuer's reports across years (keys: index.issuer_identity).

What the report page, ``/api/reports/<id>`` and ``/api/issuers/<key>``
say of an issuer: its name, its reports by year, and the report a
comparison defaults to (the issuer's latest of an earlier year, of the same
kind of document where there is one).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from govsearch.index.issuer_identity import GOVERNMENT, PARTY, key_parts
from govsearch.search.query import QueryError, check_issuer_key

if TYPE_CHECKING:
    from govsearch.search.engine import Engine

# What an issuer's list says of each report.
LISTED = ("id", "title", "report_year", "publish_date", "doc_type", "publisher", "duplicate_of", "url")


@functools.lru_cache(maxsize=4096)
def label(key: str) -> str:
    """A readable name for a key: its place's name and the body's own."""
    from govsearch.index.gazetteer import load

    adcode, kind, own = key_parts(key)
    place = load().get(adcode) if adcode else None
    where = place.name if place else ""
    if kind == GOVERNMENT:
        return f"{own or where}人民政府"
    if kind == PARTY:
        return f"中共{where}{own or '委员会'}"
    return f"{where}{own}"


def reports_by_year(engine: Engine, key: str) -> list[dict[str, Any]]:
    """The issuer's reports, oldest year first (no known year last)."""
    rows = engine.issuer_reports(key, LISTED)
    return sorted(rows, key=lambda r: (r["report_year"] is None, r["report_year"] or 0, r["publish_date"] or "",
                                       r["id"]))


def issuer_answer(engine: Engine, key: str) -> dict[str, Any]:
    """What ``/api/issuers/<key>`` answers: the key, its name, its reports."""
    if check_issuer_key(key) is None:
        raise QueryError("请给出发布机构标识，如 150821:政府 (an issuer key is needed, e.g. 150821:政府)")
    reports = reports_by_year(engine, key)
    adcode, kind, own = key_parts(key)
    return {"key": key, "name": label(key), "adcode": adcode or None, "issuer_kind": kind, "own_name": own or None,
            "reports": reports, "years": sorted({r["report_year"] for r in reports if r["report_year"]})}


def siblings(engine: Engine, record: dict[str, Any]) -> list[dict[str, Any]]:
    """The other reports of a report's issuer, by year."""
    key = record.get("issuer_key") or ""
    return [r for r in reports_by_year(engine, key) if r["id"] != record["id"]] if key else []


def previous(record: dict[str, Any], others: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The report a comparison defaults to among ``others`` (see the
    module notes), or None: the issuer has no earlier report."""
    year = record.get("report_year")
    if not year:
        return None
    # A near-duplicate of another year is still that year's report (a
    # report copied forward is what a comparison should show); of the same year it is not.
    earlier = [r for r in others if r["report_year"] and r["report_year"] < year]
    same_kind = [r for r in earlier if r["doc_type"] == record.get("doc_type")]
    pool = same_kind or earlier
    return max(pool, key=lambda r: (r["report_year"], r["publish_date"] or "", r["id"])) if pool else None
