"""TextMatcher.spans finds every occurrence of a term, overlapping ones included,
whether the term can overlap itself (a lookahead at every position) or not
(a plain search): checked against a lookahead reference and a folded scan."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from govsearch.index.normalize import fold
from govsearch.search.matching import TextMatcher, _overlaps_itself, exact_regex
from govsearch.search.query import parse

ALPHABET = st.sampled_from(list("法治政府法治、，。 \n双随机一公开aAbB"))
TERMS = ["法治", "法治法", "法法", "政府", "双随机一公开", "aa", "ab", "治", "法治政府法治", "随机、一"]


def reference(term_text: str, text: str) -> list[tuple[int, int]]:
    (term,) = parse(f'"{term_text}"').terms
    return [m.span(1) for m in re.finditer(f"(?=({exact_regex(term)}))", text, re.IGNORECASE)]


def folded_count(needle: str, text: str) -> int:
    """Overlapping occurrences in the folded lines (what the substring layer counts)."""
    return sum(sum(1 for p in range(len(f)) if f.startswith(needle, p)) for f in map(fold, text.split("\n")))


def test_borders_are_found():
    assert _overlaps_itself("法治法") and _overlaps_itself("aa") and _overlaps_itself("法治政府法治")
    assert not _overlaps_itself("法治") and not _overlaps_itself("双随机一公开") and not _overlaps_itself("治")


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(text=st.lists(ALPHABET, max_size=60).map("".join), term=st.sampled_from(TERMS))
def test_spans_are_every_occurrence(text, term):
    matcher = TextMatcher(parse(f'"{term}"'))
    spans = matcher.spans(text)
    assert spans == reference(term, text)
    assert len(spans) == folded_count(fold(term), text)
