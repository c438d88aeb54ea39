"""Where a parsed query matches inside a stored text: regexes over normalized text.

Highlighting, occurrence counts and section scoping all look for the query in
the stored normalized text instead of re-tokenizing it.  An exact term
matches with any punctuation or spacing between its characters - the same
equivalence the index's folded bigrams implement - so what is highlighted and
counted is exactly what was found.
"""

from __future__ import annotations

import re
from typing import Any

from govsearch.search.query import ParsedQuery, Term

# Punctuation and spaces between characters, but never a paragraph break:
# the index's bigrams stop at line ends too (see index.analysis).
_GAP = r"(?:[^\w\n]|_)*"


def exact_regex(term: Term) -> str:
    """``双随机一公开`` → a pattern that also matches 双随机、一公开."""
    return _GAP.join(re.escape(c) for c in term.folded)


def _overlaps_itself(folded: str) -> bool:
    """Whether two occurrences of ``folded`` can overlap: it has a border
    (a proper prefix that is also a suffix, as 法治 in 法治法治)."""
    return any(folded[:k] == folded[-k:] for k in range(1, len(folded)))


def _every_occurrence(term: Term) -> tuple[re.Pattern, int]:
    """A pattern whose matches are every occurrence of ``term``, and the group
    that spans one.  A term that cannot overlap itself is found by a plain
    search, which skips ahead on its first character; only a term that can
    needs a lookahead tried at every position (five times slower)."""
    if _overlaps_itself(term.folded):
        return re.compile(f"(?=({exact_regex(term)}))", re.IGNORECASE), 1
    return re.compile(exact_regex(term), re.IGNORECASE), 0


class TextMatcher:
    """The query's terms as regexes, compiled once per search."""

    def __init__(self, parsed: ParsedQuery):
        self.parsed = parsed
        self._exact = {t: re.compile(exact_regex(t), re.IGNORECASE) for t in parsed.terms}
        self._occurrence_patterns: dict[Term, tuple[re.Pattern, int]] = {}
        # A named measure is marked whole: its parts alone (经验 in 经验做法) are no match to show.
        words = sorted({w for t in parsed.terms if not t.measure for w in t.words()}, key=len, reverse=True)
        phrases = sorted(parsed.terms, key=lambda t: len(t.folded), reverse=True)
        alternatives = [exact_regex(t) for t in phrases] + [re.escape(w) for w in words]
        self.highlight = re.compile("|".join(alternatives), re.IGNORECASE) if alternatives else None

    def term_in(self, term: Term, text: str) -> bool:
        """A plain term is in a text as a whole or as all of its words."""
        if self._exact[term].search(text):
            return True
        words = term.words()
        lowered = text.lower()
        return bool(words) and all(w in lowered for w in words)

    def matches(self, text: str) -> bool:
        return all(any(self.term_in(t, text) for t in group) for group in self.parsed.groups)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Every occurrence of a positive term as a whole, overlapping ones
        included (the substring layer counts them so), in text order."""
        found = []
        for term in self.parsed.terms:
            if term not in self._occurrence_patterns:
                self._occurrence_patterns[term] = _every_occurrence(term)
            pattern, group = self._occurrence_patterns[term]
            found.extend(m.span(group) for m in pattern.finditer(text))
        return sorted(found)

    def occurrences(self, text: str) -> int:
        """How often the terms occur as a whole (punctuation ignored)."""
        return sum(len(self._exact[t].findall(text)) for t in self.parsed.terms)

    def report_occurrences(self, record: dict[str, Any]) -> int:
        """Occurrences in a stored report's title and text."""
        return self.occurrences(f"{record.get('title', '')}\n{record.get('text', '')}")

    def matched_sections(self, text: str, sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The sections in which some term of the query occurs."""
        return [{"heading": s["heading"], "kind": s["kind"]} for s in sections
                if any(self.term_in(t, text[s["start"]:s["end"]]) for t in self.parsed.terms)]

    def matches_in_sections(self, text: str, sections: list[dict[str, Any]], kinds: list[str]) -> bool:
        """Every group of the query matches inside the sections of ``kinds``."""
        scoped = "\n".join(text[s["start"]:s["end"]] for s in sections if s["kind"] in kinds)
        return bool(scoped) and self.matches(scoped)
