"""Dates as government pages print them, defined once.

A page prints its dates as ``2023-04-19``, ``2023/4/19 10:30``, ``2023年4月19日``
or, below a signature, ``二〇二三年四月十九日``.  The metadata labels, the
extractor (a bare date above the body is its publication date), the
signature reader and the corrections all read dates through this module.
"""

from __future__ import annotations

import re
from datetime import date

# Arabic digits: year, month, day, maybe a time (2020-07-04 12:10:24).
DATE = (r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
        r"(?:\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?")
_DATE_RE = re.compile(DATE)
# The same, without groups, to build other patterns from.
DATE_TEXT = re.sub(r"\((?!\?)", "(?:", DATE)
# A line that is only a date, maybe in brackets: 【2023-04-19】.
DATE_ONLY = re.compile(rf"^[\s【\[]*{DATE_TEXT}[\s】\]]*$")

_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
# 二〇二三年四月十九日, as a signature's date is written.
_CN_DATE = re.compile(
    r"^([〇零○O一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日$")
_WRITTEN_DATE = re.compile(r"^(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
# The longest a line that is only a written date can be.
MAX_DATE_LINE = 16


def _iso(year: int, month: int, day: int) -> str:
    try:
        return date(year, month, day).isoformat()
    except ValueError:  # 2022-02-30, 2023-13-01: no such day
        return ""


def parse_date(text: str) -> str:
    """The first date in ``text`` that exists, as ISO ``yyyy-mm-dd``, or ``""``."""
    for m in _DATE_RE.finditer(text or ""):
        if iso := _iso(*(int(g) for g in m.groups())):
            return iso
    return ""


def is_iso_date(value: str) -> bool:
    """``yyyy-mm-dd`` of a day that exists (a correction's value)."""
    m = re.fullmatch(r"((?:19|20)\d{2})-([0-9]{2})-([0-9]{2})", value)
    return bool(m) and bool(_iso(*(int(g) for g in m.groups())))


def _cn_number(text: str) -> int:
    if "十" not in text:
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    tens, _, ones = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def written_date(line: str) -> str:
    """A line that is only a date as documents sign off (2023年1月31日 /
    二〇二三年一月三十一日), as ISO; else ``""``."""
    line = line.strip()
    if len(line) > MAX_DATE_LINE:
        return ""
    m = _CN_DATE.match(line)
    if m:
        return _iso(_cn_number(m.group(1)), _cn_number(m.group(2)), _cn_number(m.group(3)))
    return parse_date(line) if _WRITTEN_DATE.match(line) else ""


def closing_date(lines: list[str]) -> str:
    """The date line a report ends with, among its last four lines."""
    for line in reversed(lines[-4:]):
        if found := written_date(line):
            return found
    return ""
