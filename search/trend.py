"""Trend: per report year, how many reports match, how often, and what share."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from search.matching import TextMatcher


def trend(records: Iterable[dict[str, Any]], matcher: TextMatcher, year_totals: dict[int, int]) -> list[dict]:
    """Rows for every year that has reports, oldest first: matching reports,
    occurrences, all reports that year, and the share that match."""
    reports: dict[int, int] = {}
    occurrences: dict[int, int] = {}
    for record in records:
        year = record.get("report_year")
        if not year:
            continue
        reports[year] = reports.get(year, 0) + 1
        occurrences[year] = occurrences.get(year, 0) + matcher.report_occurrences(record)
    years = sorted(set(year_totals) | set(reports))
    return [{"year": y, "reports": reports.get(y, 0), "occurrences": occurrences.get(y, 0),
             "total": year_totals.get(y, 0),
             "share": round(reports.get(y, 0) / year_totals[y], 4) if year_totals.get(y) else 0.0}
            for y in years]
