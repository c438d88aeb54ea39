"""Two reports of one issuer side by side: what is new, gone and kept.

A year's report rewrites last year's rather than editing it: sentences are
reworded, merged and moved between sections, so a line diff reports
everything as changed.  Sentences are aligned instead by how much of their
wording they share (the Dice coefficient of their character bigrams, folded
as exact lookup folds them), each sentence paired at most once, the most
similar pairs first; a pair at or above KEPT is the same sentence kept
(reworded, perhaps), and what is left is new in the one report or gone from
the other.  Each sentence is filed under the kind of section it stands in
(measures, responsibility, shortcomings, plans, other) of its own report.

Named measures (the dictionary's) are compared as wholes, with their
occurrences in each report, punctuation inside them ignored.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from govsearch.index.analysis import dictionary_words
from govsearch.index.dates import DATE_ONLY, written_date
from govsearch.index.normalize import fold

KEPT = 0.6  # Dice of bigrams: the same sentence, reworded at most this far
MIN_CHARS = 6  # shorter pieces (a numbering, a stray clause) are not sentences
SECTION_KINDS = ("measures", "responsibility", "shortcomings", "plans", "other")
_END = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int  # offset in its report's text
    section: str  # the kind of section it stands in
    grams: frozenset[str]


def _bigrams(text: str) -> frozenset[str]:
    folded = fold(text)
    return frozenset(folded[i:i + 2] for i in range(len(folded) - 1))


def sentences(text: str, sections: list[dict[str, Any]]) -> list[Sentence]:
    """The report's sentences in order, each with its section's kind."""
    ordered = sorted(sections, key=lambda s: s["start"])
    starts = [s["start"] for s in ordered]
    out = []
    for m in _END.finditer(text):
        piece = m.group().strip()
        if len(fold(piece)) < MIN_CHARS or written_date(piece) or DATE_ONLY.match(piece):
            continue  # a numbering, a stray clause, the date it was signed
        i = bisect_right(starts, m.start()) - 1
        kind = ordered[i]["kind"] if i >= 0 and m.start() < ordered[i]["end"] else "other"
        out.append(Sentence(piece, m.start(), kind if kind in SECTION_KINDS else "other", _bigrams(piece)))
    return out


def dice(a: frozenset[str], b: frozenset[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 1.0


def align(these: list[Sentence], those: list[Sentence], kept: float = KEPT) -> list[tuple[int, int, float]]:
    """One-to-one pairs (i in ``these``, j in ``those``, similarity) at or
    above ``kept``, the most similar first; only sentences that share a
    bigram are scored."""
    postings: dict[str, list[int]] = defaultdict(list)
    for j, s in enumerate(those):
        for gram in s.grams:
            postings[gram].append(j)
    scored = []
    for i, s in enumerate(these):
        shared = Counter(j for gram in s.grams for j in postings.get(gram, ()))
        for j, n in shared.items():
            score = 2 * n / (len(s.grams) + len(those[j].grams))
            if score >= kept:
                scored.append((score, i, j))
    scored.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_i: set[int] = set()
    used_j: set[int] = set()
    pairs = []
    for score, i, j in scored:
        if i not in used_i and j not in used_j:
            used_i.add(i)
            used_j.add(j)
            pairs.append((i, j, round(score, 3)))
    return sorted(pairs)


def measures(text: str) -> Counter[str]:
    """The dictionary's named measures in ``text``, with their occurrences."""
    folded = fold(text)
    return Counter({m: n for m in dictionary_words() if len(m) >= 2 and (n := folded.count(m))})


def _line(s: Sentence) -> dict[str, Any]:
    return {"text": s.text, "start": s.start, "section": s.section}


def compare(this: dict[str, Any], other: dict[str, Any], kept: float = KEPT) -> dict[str, Any]:
    """What ``this`` report says that ``other`` did not (new), what
    ``other`` said that ``this`` does not (gone), and the pairs kept, per
    kind of section; the named measures new, gone and kept.  JSON-able."""
    a = sentences(this.get("text") or "", this.get("sections") or [])
    b = sentences(other.get("text") or "", other.get("sections") or [])
    pairs = align(a, b, kept)
    matched_a, matched_b = {i for i, _, _ in pairs}, {j for _, j, _ in pairs}
    by_kind: dict[str, dict[str, list]] = {kind: {"new": [], "gone": [], "kept": []} for kind in SECTION_KINDS}
    for i, s in enumerate(a):
        if i not in matched_a:
            by_kind[s.section]["new"].append(_line(s))
    for j, s in enumerate(b):
        if j not in matched_b:
            by_kind[s.section]["gone"].append(_line(s))
    for i, j, score in pairs:
        by_kind[a[i].section]["kept"].append({"this": _line(a[i]), "other": _line(b[j]), "similarity": score})
    ma, mb = measures(this.get("text") or ""), measures(other.get("text") or "")
    return {
        "sentences": {"this": len(a), "other": len(b), "kept": len(pairs), "new": len(a) - len(pairs),
                      "gone": len(b) - len(pairs)},
        "sections": [{"kind": kind, **lists} for kind, lists in by_kind.items() if any(lists.values())],
        "measures": {"new": sorted(({"measure": m, "this": ma[m]} for m in ma.keys() - mb.keys()),
                                   key=lambda r: (-r["this"], r["measure"])),
                     "gone": sorted(({"measure": m, "other": mb[m]} for m in mb.keys() - ma.keys()),
                                    key=lambda r: (-r["other"], r["measure"])),
                     "kept": sorted(({"measure": m, "this": ma[m], "other": mb[m]} for m in ma.keys() & mb.keys()),
                                    key=lambda r: (-r["this"] - r["other"], r["measure"]))},
        "similarity_threshold": kept,
    }
