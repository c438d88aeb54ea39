"""Snippets by finding the query's words in the stored normalized text.

Re-tokenizing a stored report for Whoosh's highlighter costs seconds per page
of hits; a compiled alternation of the query words scans a 30k-character
report in well under a millisecond.  Every piece of document text is
HTML-escaped before the ``<mark>`` tags go in.
"""

from __future__ import annotations

import html
import re

SENTENCE_END = "。！？；!?;\n"
MAX_SNIPPETS = 3
# Characters of context on each side of a match, before trimming to sentences.
CONTEXT = 60


def _window(text: str, start: int, end: int) -> tuple[int, int]:
    """Context around [start, end): up to CONTEXT chars each side, cut at a
    sentence boundary when one is near enough."""
    lo = max(0, start - CONTEXT)
    hi = min(len(text), end + CONTEXT)
    left = max(text.rfind(c, lo, start) for c in SENTENCE_END)
    if left >= lo:
        lo = left + 1
    rights = [i for i in (text.find(c, end, hi) for c in SENTENCE_END) if i != -1]
    if rights:
        hi = min(rights) + 1
    return lo, hi


def _clip(window: tuple[int, int], start: int, taken: list[tuple[int, int]]) -> tuple[int, int]:
    """Shrink a window so that it does not repeat text another one shows."""
    lo, hi = window
    for a, b in taken:
        if b <= start:
            lo = max(lo, b)
        elif a > start:
            hi = min(hi, a)
    return lo, hi


def render(text: str, lo: int, hi: int, pattern: re.Pattern[str] | None) -> str:
    """Escaped text[lo:hi] with every match wrapped in <mark>."""
    segment = text[lo:hi]
    out, pos = [], 0
    for m in pattern.finditer(segment) if pattern is not None else ():
        out.append(html.escape(segment[pos:m.start()]))
        out.append(f"<mark>{html.escape(m.group(0))}</mark>")
        pos = m.end()
    out.append(html.escape(segment[pos:]))
    prefix = "…" if lo > 0 and text[lo - 1] not in SENTENCE_END else ""
    suffix = "…" if hi < len(text) and text[hi - 1] not in SENTENCE_END else ""
    return prefix + "".join(out).replace("\n", " ") + suffix


def render_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """Escaped ``text`` with each (start, end) span in <mark>; a span that
    overlaps the previous one is left unmarked (marks cannot nest)."""
    out, pos = [], 0
    for start, end in spans:
        if start < pos:
            continue
        out.append(html.escape(text[pos:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


def mark_paragraphs(text: str, spans: list[tuple[int, int]]) -> tuple[list[str], int]:
    """Each paragraph of ``text`` as escaped HTML, every span in a numbered
    ``<mark id="mN">`` (N counts from 1 in text order, as the concordance
    numbers its lines), and how many marks there are.  ``spans`` are sorted and never cross a paragraph
    break (no match does), so one walk over both is linear in the text:
    a 50 MB report is marked in seconds, not minutes."""
    out: list[str] = []
    offset, i, marks = 0, 0, 0
    for paragraph in text.split("\n"):
        end = offset + len(paragraph)
        inside = []
        while i < len(spans) and spans[i][0] <= end:
            inside.append((spans[i][0] - offset, spans[i][1] - offset))
            i += 1
        pieces = render_spans(paragraph, inside).split("<mark>")  # escaped text holds no "<mark>" of its own
        numbered = [pieces[0]]
        for piece in pieces[1:]:
            marks += 1
            numbered.append(f'<mark id="m{marks}">{piece}')
        out.append("".join(numbered))
        offset = end + 1
    return out, marks


def snippets(text: str, pattern: re.Pattern[str] | None, limit: int = MAX_SNIPPETS) -> list[str]:
    """Up to ``limit`` highlighted HTML snippets, preferring matches of terms
    not yet shown; the opening of the text when nothing matches."""
    windows: list[tuple[int, int]] = []
    shown: set[str] = set()
    if pattern is not None:
        matches = list(pattern.finditer(text))
        # First pass: one window per distinct word; second: fill up.
        for fresh_only in (True, False):
            for m in matches:
                if len(windows) >= limit:
                    break
                key = m.group(0).lower()
                if fresh_only and key in shown:
                    continue
                if any(lo <= m.start() < hi for lo, hi in windows):
                    continue
                windows.append(_clip(_window(text, m.start(), m.end()), m.start(), windows))
                shown.add(key)
    if not windows:
        return [render(text, 0, min(len(text), 2 * CONTEXT), None)]
    return [render(text, lo, hi, pattern) for lo, hi in sorted(windows)]
