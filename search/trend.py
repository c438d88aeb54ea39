"""Trend: per report year, how many reports match, how often, and what share."""

from __future__ import annotations


def trend(reports: dict[int | None, int], occurrences: dict[int | None, int],
          year_totals: dict[int | None, int]) -> list[dict]:
    """Rows for every year that has reports, oldest first: matching reports,
    occurrences, all reports that year, and the share that match; last the
    row of year None (未识别), the reports whose year could not be read."""
    years = sorted(set(year_totals) | set(reports), key=lambda y: (y is None, y or 0))
    return [{"year": y, "reports": reports.get(y, 0), "occurrences": occurrences.get(y, 0),
             "total": year_totals.get(y, 0),
             "share": round(reports.get(y, 0) / year_totals[y], 4) if year_totals.get(y) else 0.0}
            for y in years]
