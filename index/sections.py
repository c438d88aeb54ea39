"""Split a report into its top-level sections and say what each one is.

Annual reports are numbered 一、二、三…  A heading counts only when the
numbering continues the sequence, so a list item such as 一、 inside a
paragraph never starts a section.  The kind comes from the heading text via
the rules in ``data/section_kinds.txt``.
"""

from __future__ import annotations

import functools
import re

from govsearch.index.bundled import data_file
from govsearch.index.report import Section

KINDS = ("measures", "responsibility", "shortcomings", "plans", "other")
_NUMERALS = "一二三四五六七八九十"
_HEADING = re.compile(rf"^([{_NUMERALS}]{{1,3}})、(.*)$")
# A heading line may run straight into its first paragraph (inline layouts).
MAX_HEADING = 60


def chinese_number(text: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十一 → 21 (up to 99)."""
    digits = {c: i + 1 for i, c in enumerate(_NUMERALS[:9])}
    if "十" not in text:
        return digits.get(text, 0) if len(text) == 1 else 0
    tens, _, ones = text.partition("十")
    return (digits.get(tens, 0) if tens else 1) * 10 + (digits.get(ones, 0) if ones else 0)


@functools.lru_cache(maxsize=1)
def _rules() -> tuple[tuple[str, re.Pattern[str]], ...]:
    data = data_file("section_kinds.txt")
    rules = []
    for line in data.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, _, pattern = line.partition("\t")
        if kind not in KINDS:
            raise ValueError(f"section_kinds.txt: unknown kind {kind!r}")
        rules.append((kind, re.compile(pattern)))
    return tuple(rules)


def classify(heading: str) -> str:
    """measures | responsibility | shortcomings | plans | other."""
    for kind, pattern in _rules():
        if pattern.search(heading):
            return kind
    return "other"


def _heading_text(rest: str) -> str:
    """The heading part of a heading line: up to the first sentence end or
    nested item, at most MAX_HEADING characters."""
    cut = re.split(r"[。；！？]|（[一二三四五六七八九十]{1,3}）", rest, maxsplit=1)[0]
    return cut[:MAX_HEADING].rstrip("：:，, ")


def find_sections(text: str) -> list[Section]:
    """Top-level sections with character offsets into ``text``."""
    found: list[tuple[int, str]] = []
    expected = 1
    offset = 0
    for line in text.split("\n"):
        m = _HEADING.match(line)
        if m and chinese_number(m.group(1)) == expected:
            heading = f"{m.group(1)}、{_heading_text(m.group(2))}"
            found.append((offset, heading))
            expected += 1
        offset += len(line) + 1
    sections = []
    for i, (start, heading) in enumerate(found):
        end = found[i + 1][0] - 1 if i + 1 < len(found) else len(text)
        sections.append(Section(heading=heading, kind=classify(heading), start=start, end=end))
    return sections
