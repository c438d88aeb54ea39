"""Extraction stage: the article once, when the page carries it twice.

A 长者/无障碍/打印 copy, a hidden div holding the body glued into one line:
a block most of whose long paragraphs repeat text found outside it is a
copy; the earlier, visible, paragraphed one is the body and the other gets
no weight, so the chooser keeps the body and tidy drops the copy.
"""

from __future__ import annotations

from itertools import accumulate

from govsearch.index.extraction_settings import (
    COPY_MIN_CHARS,
    COPY_MIN_LINES,
    COPY_SHARE,
    FLAT_MIN_CHARS,
    FLAT_MIN_LINES,
)
from govsearch.index.segment import SPACES, Page


def _copy_key(text: str) -> str:
    return SPACES.sub("", text)


def _partners(page: Page) -> dict[int, list[int]]:
    """Long lines that repeat elsewhere on the page, each with where else its text stands.

    A paragraph repeats as the same line (a second ``<div>`` holding the
    body again) or inside one long line (the whole body glued into one hidden
    ``<div>`` for a read-aloud or elderly mode).
    """
    keys = {}
    for i, line in enumerate(page.lines):
        if line.chars >= COPY_MIN_CHARS and not line.boilerplate:
            keys[i] = _copy_key(line.text)
    by_key: dict[str, list[int]] = {}
    for i, key in keys.items():
        by_key.setdefault(key, []).append(i)
    partners: dict[int, list[int]] = {}
    for same in by_key.values():
        if len(same) > 1:
            for i in same:
                partners[i] = [j for j in same if j != i]
    flat = [i for i, key in keys.items() if len(key) >= FLAT_MIN_CHARS]
    lines = page.lines
    if flat:
        distinct = {key: same[0] for key, same in by_key.items()}
        for f in flat:
            whole = keys[f]
            inside = [i for key, i in distinct.items() if key != whole and len(key) < len(whole) and key in whole]
            covered = [j for i in inside for j in by_key[keys[i]]]
            # A few sentences of a paragraph may stand again in a table that
            # breaks the paragraph into tasks: the body glued into one line is
            # hidden (or chrome) where its paragraphs are not, or holds many.
            apart = any((lines[f].hidden, lines[f].chrome) > (lines[j].hidden, lines[j].chrome) for j in covered)
            if len(inside) < (COPY_MIN_LINES if apart else FLAT_MIN_LINES):
                continue
            partners.setdefault(f, []).extend(covered)
            for j in covered:
                partners.setdefault(j, []).append(f)
    return partners


def _copy_rank(page: Page, i: int, flat: bool) -> tuple[bool, bool, bool, int]:
    """Which occurrence of a repeated text is the body's own: visible, not chrome, in paragraphs, first."""
    line = page.lines[i]
    return line.hidden, line.chrome, flat, i


def mark_copies(page: Page) -> None:
    """Repeated-block detection: mark the second copy of the body and give it no weight.

    Pages carry the article twice: a print or 长者/无障碍 copy, hidden or
    placed elsewhere, sometimes glued into a single line.  A block is a copy
    when most of its long text (``COPY_SHARE``) repeats text found outside
    it, and that is at least ``COPY_MIN_LINES`` paragraphs (or one line that
    holds as many).  Of the occurrences of a text, the visible, not
    chrome, paragraphed, first one is the body's; a block made of the other
    occurrences is the copy.  A paragraph the article itself repeats (a
    photo caption, the same criteria under two headings) stands among
    other text, so no block around it is mostly repeats, and it stays.
    """
    partners = _partners(page)
    if len(partners) < 2:
        return
    flat = {i for i, others in partners.items() if any(page.lines[j].chars < page.lines[i].chars for j in others)
            and len(others) >= COPY_MIN_LINES}
    secondary = bytearray(len(page.lines))
    for i, others in partners.items():
        own = _copy_rank(page, i, i in flat)
        if any(_copy_rank(page, j, j in flat) < own for j in others):
            secondary[i] = 1
    if not any(secondary):
        return
    long_chars = [0, *accumulate(line.chars if line.chars >= COPY_MIN_CHARS else 0 for line in page.lines)]
    second_chars = [0, *accumulate(line.chars if secondary[k] else 0 for k, line in enumerate(page.lines))]
    second_lines = [0, *accumulate(secondary)]
    copies = []
    for block in page.blocks:
        total = long_chars[block.end] - long_chars[block.start]
        repeated = second_chars[block.end] - second_chars[block.start]
        if not total or repeated < COPY_SHARE * total:
            continue
        n = second_lines[block.end] - second_lines[block.start]
        if n >= COPY_MIN_LINES or any(secondary[k] and k in flat for k in range(block.start, block.end)):
            copies.append(block)
    for block in copies:
        for k in range(block.start, block.end):
            line = page.lines[k]
            line.copy = True
            line.weight = 0.0
