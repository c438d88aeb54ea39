"""Concordance (KWIC): every occurrence of the query in every matching report.

A line is one occurrence of a query term as a whole (punctuation inside it
ignored) - what the substring layer counts.  So the number of lines per
report is known before its text is read, and a page of a concordance sorted
by report or year reads only the reports on that page.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from search.matching import TextMatcher

DEFAULT_WIDTH = 30
MAX_WIDTH = 200
SORTS = ("year", "report", "left", "right")


@dataclass
class Line:
    report_id: str
    title: str
    year: int | None
    level: str
    province: str
    left: str
    match: str
    right: str
    position: int  # character offset of the match in the report text

    def to_dict(self) -> dict[str, Any]:
        return {"report_id": self.report_id, "title": self.title, "year": self.year, "level": self.level,
                "province": self.province, "left": self.left, "match": self.match, "right": self.right,
                "position": self.position}


def _flat(text: str) -> str:
    return text.replace("\n", " ")


def lines_of(record: dict[str, Any], matcher: TextMatcher, width: int = DEFAULT_WIDTH) -> Iterator[Line]:
    """The occurrences in one report, in text order."""
    text = record.get("text", "")
    for start, end in matcher.spans(text):
        yield Line(record["id"], record.get("title", ""), record.get("report_year"), record.get("level", ""),
                   record.get("province", ""), _flat(text[max(0, start - width) : start]),
                   _flat(text[start:end]), _flat(text[end : end + width]), start)


def window(records: Iterable[dict[str, Any]], matcher: TextMatcher, start: int, stop: int | None,
           width: int = DEFAULT_WIDTH) -> list[Line]:
    """Lines start..stop of records already in line order.  A record's
    ``occurrences`` (from the substring layer) says how many lines it has, so
    records wholly before ``start`` are skipped without searching their text."""
    out: list[Line] = []
    seen = 0
    for record in records:
        if stop is not None and seen >= stop:
            break
        count = record.get("occurrences")
        if count is not None and seen + count <= start:
            seen += count
            continue
        for line in lines_of(record, matcher, width):
            if start <= seen and (stop is None or seen < stop):
                out.append(line)
            seen += 1
    return out


def concordance(records: Iterable[dict[str, Any]], matcher: TextMatcher, *, sort: str = "report",
                width: int = DEFAULT_WIDTH) -> list[Line]:
    """All occurrences across ``records`` (given in relevance order), sorted:
    by report (relevance, then position), year (newest first), or the left
    context read right to left, or the right context - as concordancers do."""
    lines = [line for record in records for line in lines_of(record, matcher, width)]
    if sort == "year":
        lines.sort(key=lambda line: -(line.year or 0))
    elif sort == "left":
        lines.sort(key=lambda line: line.left[::-1])
    elif sort == "right":
        lines.sort(key=lambda line: line.right)
    return lines
